// `npm test`: everything, in order — type-check, lint, unit and integration tests (vitest, against a real
// PostgreSQL), end-to-end tests (Playwright in Debian's chromium). Every step runs even when an earlier one
// fails, so one run shows all problems; the exit code is non-zero when any step failed. The last line is the
// total in the form "N passed, N failed, N skipped". Stopped (SIGINT, SIGTERM, a CI timeout), it stops the
// running step's whole process tree (scripts/lib/children.ts) and exits.
import fs from "node:fs";
import { startGroup, stopGroup, withCleanup, type Group } from "./lib/children";

type Step = { name: string; cmd: string[]; results?: string; parse?: (json: unknown) => Counts };
type Counts = { passed: number; failed: number; skipped: number };

const vitestCounts = (j: unknown): Counts => {
  const r = j as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  return { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + r.numTodoTests };
};
const playwrightCounts = (j: unknown): Counts => {
  const s = (j as { stats: { expected: number; unexpected: number; skipped: number; flaky: number } }).stats;
  return { passed: s.expected, failed: s.unexpected + s.flaky, skipped: s.skipped };
};

const only = process.argv.slice(2);
const steps: Step[] = [
  { name: "typecheck", cmd: ["npx", "--no-install", "tsc", "--noEmit"] },
  { name: "lint", cmd: ["npx", "--no-install", "eslint", "--max-warnings=0", "."] },
  {
    name: "unit+integration",
    cmd: ["npx", "--no-install", "vitest", "run", "--reporter=default", "--reporter=json", "--outputFile.json=test-results/unit-results.json"],
    results: "test-results/unit-results.json",
    parse: vitestCounts,
  },
  { name: "e2e", cmd: ["npx", "--no-install", "tsx", "scripts/e2e.ts"], results: "test-results/e2e-results.json", parse: playwrightCounts },
].filter((s) => only.length === 0 || only.includes(s.name));

const total: Counts = { passed: 0, failed: 0, skipped: 0 };
const summary: string[] = [];
fs.mkdirSync("test-results", { recursive: true });
let current: Group | null = null;
await withCleanup(
  async () => {
    for (const step of steps) {
      if (step.results) fs.rmSync(step.results, { force: true });
      console.log(`\n=== ${step.name}: ${step.cmd.slice(2).join(" ")}`);
      const started = Date.now();
      current = startGroup(step.cmd[0], step.cmd.slice(1), { env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
      const status = await current.exited;
      current = null;
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      let counts: Counts = status === 0 ? { passed: 1, failed: 0, skipped: 0 } : { passed: 0, failed: 1, skipped: 0 };
      if (step.parse && step.results && fs.existsSync(step.results)) {
        counts = step.parse(JSON.parse(fs.readFileSync(step.results, "utf8")));
        // A runner that crashed or exited non-zero with no failing test still fails the step.
        if (status !== 0 && counts.failed === 0) counts.failed = 1;
      }
      total.passed += counts.passed;
      total.failed += counts.failed;
      total.skipped += counts.skipped;
      summary.push(
        `${status === 0 && counts.failed === 0 ? "ok  " : "FAIL"} ${step.name.padEnd(18)} ${secs.padStart(6)} s  ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`,
      );
    }
  },
  async (reason) => {
    // SIGTERM lets a step clean up after itself (scripts/e2e.ts stops Playwright's servers) before SIGKILL.
    if (reason !== "done" && current) await stopGroup((current as Group).pid, "SIGTERM", 60_000);
  },
);
console.log(`\n=== summary\n${summary.join("\n")}\n`);
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 ? 1 : 0);
