// Session page first paint: a Playwright measurement (e2e/perf/session-page.perf.ts, playwright.perf.config.ts) of
// /sessions/<id> for a 10,000-event session, in Debian's chromium against the built app; figures printed by the
// spec, nothing asserted on time.
//   npm run bench -- session-page [--events N] [--runs R]
// It uses the end-to-end setup (scripts/e2e.ts: chromium check, fresh data folder, the app built when stale and
// started on the e2e port), so run it under the e2e lock: `flock /tmp/e2e.lock flock /tmp/bench.lock npm run bench -- session-page`.
import { spawnSync } from "node:child_process";

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

export async function run(args: string[]): Promise<void> {
  const env = { ...process.env };
  if (arg(args, "--events")) env.PERF_SESSION_EVENTS = arg(args, "--events");
  if (arg(args, "--runs")) env.PERF_RUNS = arg(args, "--runs");
  const r = spawnSync("npx", ["tsx", "scripts/e2e.ts", "--config", "playwright.perf.config.ts"], { stdio: "inherit", env });
  if (r.status !== 0) throw new Error(`the session page measurement failed (exit ${r.status})`);
}
