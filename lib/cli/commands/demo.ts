import fs from "node:fs";
import { parseArgs } from "node:util";
import { UsageError, type CliCommand } from "../command";

// The demo dataset from the command line: write it (vendor-shaped files + ground-truth.json).
const generate: CliCommand = {
  name: "demo generate",
  summary: "Write the demo dataset: a few days of a fictional company in each platform's export shape, plus ground truth",
  usage: "--seed <n> [--scale <k>] --out <dir> [--start <ISO date>]",
  help: [
    "Deterministic: the same seed writes byte-identical files (into a new or empty folder). --scale multiplies the",
    "background activity (people), not the stories. Ingest the result with `npm run cli -- ingest <dir>/*/` (the platform folders): ground-truth.json",
    "is not an audit log (it says which records form which session, for tests) and is refused as an unknown format.",
  ].join("\n"),
  database: "none",
  async run(args, io) {
    let values;
    try {
      ({ values } = parseArgs({
        args,
        options: { seed: { type: "string" }, scale: { type: "string" }, out: { type: "string" }, start: { type: "string" } },
        strict: true,
        allowPositionals: false,
      }));
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const seed = Number(values.seed);
    const scale = values.scale === undefined ? 1 : Number(values.scale);
    if (!values.seed || !Number.isInteger(seed)) throw new UsageError("--seed must be an integer");
    if (!Number.isInteger(scale) || scale < 1 || scale > 1000) throw new UsageError("--scale must be an integer from 1 to 1000");
    if (!values.out) throw new UsageError("--out <dir> is required");
    // A date, or a date-time with its zone: a zone-less time would be read in the machine's zone, and the same
    // seed must give the same files everywhere.
    const day = values.start?.slice(0, 10) ?? "";
    if (
      values.start !== undefined &&
      !(
        /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(values.start) &&
        !Number.isNaN(Date.parse(values.start)) &&
        new Date(Date.parse(day)).toISOString().slice(0, 10) === day
      )
    )
      throw new UsageError("--start must be an ISO date (2026-11-23) or a date-time with its zone (2026-11-23T00:00:00Z)");
    // Files left from another run would be ingested with the folder but are not in this ground truth.
    if (fs.existsSync(values.out) && fs.readdirSync(values.out).length > 0)
      throw new UsageError(`--out must be a new or empty folder: ${values.out} holds files`);
    const { generateDemo } = await import("@/lib/demo/generate-demo");
    const t0 = performance.now();
    const s = generateDemo({ seed, scale, outDir: values.out, start: values.start });
    io.out(`Wrote ${s.records.toLocaleString()} records in ${s.files} files to ${s.outDir} (${Math.round(performance.now() - t0)} ms):`);
    for (const [p, n] of Object.entries(s.perPlatform).sort()) io.out(`  ${p.padEnd(18)} ${n}`);
    io.out(`Ground truth: ${s.groundTruth}`);
    return 0;
  },
};

export const demoCommands: CliCommand[] = [generate];
