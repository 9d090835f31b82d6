import fc from "fast-check";

// Property tests run with a fixed seed so that `npm test` and CI are reproducible: a red run is a real
// regression, not a roll of the dice. `npm run fuzz` explores fresh seeds with many more runs; a failure
// prints its seed, and FC_SEED=<seed> replays it here.
const seedEnv = process.env.FC_SEED;
const runs = process.env.FC_RUNS ? Number(process.env.FC_RUNS) : undefined;
fc.configureGlobal({
  ...(seedEnv === "random" ? {} : { seed: seedEnv ? Number(seedEnv) : 20261128 }),
  ...(runs ? { numRuns: runs } : {}),
});
