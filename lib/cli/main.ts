// `npm run cli -- <command> [args]`: the command-line entry point (see lib/cli/registry.ts for the commands).
import { spawnSync } from "node:child_process";
import v8 from "node:v8";
import { CORRELATION_NODE_FLAGS } from "@/lib/correlation/engine/node-flags";
import { commands } from "./registry";
import { runCli } from "./run-cli";

// `npm run cli` caps the heap at 384 MB: ingest streams, and a small heap keeps its RSS low. A full correlation
// pass holds every event's correlation fields at once (about 2.3 GB at 1M events), so that command re-runs itself
// with a larger heap (SESSIONPROOF_CORRELATE_HEAP_MB, default 6144) and the engine's young-generation size instead of dying out of memory on a big store.
const HEAP_MB: Record<string, number> = { correlate: Number(process.env.SESSIONPROOF_CORRELATE_HEAP_MB ?? 6144) };

const argv = process.argv.slice(2);
const wanted = HEAP_MB[argv[0] ?? ""];
const limitMb = v8.getHeapStatistics().heap_size_limit / 2 ** 20;
if (wanted && limitMb < wanted * 0.9 && !process.env.SESSIONPROOF_CLI_REEXEC) {
  const execArgv = process.execArgv.filter((a) => !a.startsWith("--max-old-space-size") && !a.startsWith("--max-semi-space-size"));
  const r = spawnSync(
    process.execPath,
    [`--max-old-space-size=${wanted}`, ...CORRELATION_NODE_FLAGS, ...execArgv, process.argv[1], ...argv],
    {
      stdio: "inherit",
      env: { ...process.env, SESSIONPROOF_CLI_REEXEC: "1" },
    },
  );
  process.exit(r.status ?? 1);
} else {
  runCli({ argv, commands }).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
