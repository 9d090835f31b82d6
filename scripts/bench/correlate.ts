// Correlation benchmark: N normalized events (the four vendor formats of scripts/bench/synthetic.ts, run through
// the real sources) correlated in memory by lib/correlation/correlate.ts; figures printed, nothing asserted.
//   npm run bench -- correlate [--events N]
// The engine gets the events already normalized (as run-correlation.ts loads them from the event table), so the
// time measured is the engine's: accounts, identities, credentials, sessions, links, initiators.
import { correlate } from "../../lib/correlation/correlate";
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
  const n = arg(args, "--events", 1_000_000);
  const platforms = Object.keys(GENERATORS) as BenchPlatform[];
  const rss = rssSampler();
  const t0 = performance.now();
  const events: CorrelationEvent[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const platform = platforms[i % platforms.length];
    const [e] = getSource(platform)!.normalize(GENERATORS[platform](i), { fileName: `${platform}.json`, position: i });
    const data = toEventJson(e);
    // The engine reads these fields; drop the rest as the database loader would not need them either.
    data.extra = {};
    events[i] = { id: String(i + 1), file: `${platform}.json`, index: i, data };
  }
  const prepared = performance.now() - t0;
  console.log(`prepared ${n.toLocaleString()} normalized events in ${(prepared / 1000).toFixed(1)} s`);
  const t1 = performance.now();
  const r = correlate(events);
  const secs = (performance.now() - t1) / 1000;
  rss.stop();
  console.log(
    `correlate: ${n.toLocaleString()} events -> ${r.identities.length.toLocaleString()} identities, ${r.credentials.length.toLocaleString()} credentials, ` +
      `${r.sessions.length.toLocaleString()} sessions, ${r.links.length.toLocaleString()} links in ${secs.toFixed(2)} s ` +
      `(${Math.round(n / secs).toLocaleString()} events/s; target: 1M events <= 10 s); peak RSS ${rss.peakMb()} MB`,
  );
}
