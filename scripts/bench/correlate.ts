// Correlation benchmark: N normalized events (the four vendor formats of scripts/bench/synthetic.ts, run through
// the real sources) correlated in memory by lib/correlation/correlate.ts; figures printed, nothing asserted.
//   npm run bench -- correlate [--events N] [--runs R]
// The engine gets the events already normalized and projected to the fields it reads, as run-correlation.ts
// loads them from the event table (projectCorrelationData), so the time measured is the engine's: accounts,
// identities, credentials, sessions, links, initiators; each phase's time is printed too.
// A million held events do not fit the 384 MB heap `npm run bench` gives every bench, so this one runs in a
// child process with a larger heap (BENCH_CORRELATE_HEAP_MB, default 6144); peak RSS is the child's.
import { spawnSync } from "node:child_process";
import v8 from "node:v8";
import { CORRELATION_NODE_FLAGS } from "../../lib/correlation/engine/node-flags";
import { correlate } from "../../lib/correlation/correlate";
import { projectCorrelationData } from "../../lib/correlation/engine/projection";
import type { CorrelationEvent } from "../../lib/correlation/types";
import { toEventJson } from "../../lib/events/schema";
import { getSource } from "../../lib/sources/registry";
import { GENERATORS, type BenchPlatform } from "./synthetic";
import { rssSampler } from "./database";

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

export async function run(args: string[]): Promise<void> {
  const heapMb = Number(process.env.BENCH_CORRELATE_HEAP_MB ?? 6144);
  if (!args.includes("--child") && v8.getHeapStatistics().heap_size_limit < heapMb * 1024 * 1024 * 0.9) {
    const execArgv = process.execArgv.filter((a) => !a.startsWith("--max-old-space-size") && !a.startsWith("--max-semi-space-size"));
    const r = spawnSync(
      process.execPath,
      [`--max-old-space-size=${heapMb}`, ...CORRELATION_NODE_FLAGS, ...execArgv, "scripts/bench.ts", "correlate", ...args, "--child"],
      {
        stdio: "inherit",
      },
    );
    if (r.status !== 0) throw new Error(`correlate bench child exited with ${r.status ?? r.signal}`);
    return;
  }
  const n = arg(args, "--events", 1_000_000);
  const runs = Math.max(1, arg(args, "--runs", 1));
  const platforms = Object.keys(GENERATORS) as BenchPlatform[];
  const rss = rssSampler();
  const t0 = performance.now();
  const events: CorrelationEvent[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const platform = platforms[i % platforms.length];
    const [e] = getSource(platform)!.normalize(GENERATORS[platform](i), { fileName: `${platform}.json`, position: i });
    events[i] = { id: String(i + 1), file: `${platform}.json`, index: i, data: projectCorrelationData(toEventJson(e)) };
  }
  const prepared = performance.now() - t0;
  console.log(
    `prepared ${n.toLocaleString()} normalized events in ${(prepared / 1000).toFixed(1)} s (heap limit ${Math.round(v8.getHeapStatistics().heap_size_limit / 2 ** 20)} MB)`,
  );
  for (let k = 0; k < runs; k++) {
    rss.reset();
    const phases: string[] = [];
    const t1 = performance.now();
    const cpu0 = process.cpuUsage();
    const r = correlate(events, { onPhase: (name, ms) => phases.push(`${name} ${(ms / 1000).toFixed(2)}`) });
    const secs = (performance.now() - t1) / 1000;
    // CPU time (this process, GC threads included) varies less than wall time on a machine shared with others.
    const cpu = process.cpuUsage(cpu0);
    console.log(
      `correlate: ${n.toLocaleString()} events -> ${r.identities.length.toLocaleString()} identities, ${r.credentials.length.toLocaleString()} credentials, ` +
        `${r.sessions.length.toLocaleString()} sessions, ${r.links.length.toLocaleString()} links in ${secs.toFixed(2)} s ` +
        `(${Math.round(n / secs).toLocaleString()} events/s; target: 1M events <= 10 s); peak RSS ${rss.peakMb()} MB`,
    );
    console.log(`  CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s; phases (wall s): ${phases.join(", ")}`);
  }
  rss.stop();
}
