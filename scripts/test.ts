// `npm test`: everything, in order — type-check, lint, unit and integration tests (vitest, against a real
// PostgreSQL), end-to-end tests (Playwright in Debian's chromium). Every step runs even when an earlier one
// fails, so one run shows all problems; the exit code is non-zero when any step failed. The last line is the
// total in the form "N passed, N failed, N skipped". Stopped (SIGINT, SIGTERM, a CI timeout), it stops the
// running step's whole process tree (scripts/lib/children.ts) and exits.
import fs from "node:fs";
import { startGroup, stopGroup, withCleanup, type Group } from "./lib/children";

// `together`: consecutive steps so marked run at the same time (single-threaded tools, two cores), their output
// held back and printed in order when they have all finished.
type Step = { name: string; cmd: string[]; results?: string; parse?: (json: unknown) => Counts; together?: boolean };
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
/** The code Prettier formats (.prettierignore keeps data files, vendor fixtures and generated code out). */
const FORMATTED = ["**/*.{ts,tsx,mjs,cjs,js,css}"];

const steps: Step[] = [
  { name: "typecheck", cmd: ["npx", "--no-install", "tsc", "--noEmit"], together: true },
  { name: "lint", cmd: ["npx", "--no-install", "eslint", "--max-warnings=0", "."], together: true },
  // Formatting is checked, not applied: `npm run format` writes it.
  { name: "format", cmd: ["npx", "--no-install", "prettier", "--check", "--log-level", "warn", ...FORMATTED], together: true },
  {
    name: "unit+integration",
    cmd: [
      "npx",
      "--no-install",
      "vitest",
      "run",
      "--reporter=default",
      "--reporter=json",
      "--outputFile.json=test-results/unit-results.json",
    ],
    results: "test-results/unit-results.json",
    parse: vitestCounts,
  },
  { name: "e2e", cmd: ["npx", "--no-install", "tsx", "scripts/e2e.ts"], results: "test-results/e2e-results.json", parse: playwrightCounts },
].filter((s) => only.length === 0 || only.includes(s.name));

const total: Counts = { passed: 0, failed: 0, skipped: 0 };
const summary: string[] = [];
fs.mkdirSync("test-results", { recursive: true });
const running = new Set<Group>();

async function runStep(step: Step, quiet: boolean): Promise<{ line: string; output: string }> {
  if (step.results) fs.rmSync(step.results, { force: true });
  const header = `\n=== ${step.name}: ${step.cmd.slice(2).join(" ")}`;
  if (!quiet) console.log(header);
  const started = Date.now();
  const chunks: Buffer[] = [];
  const group = startGroup(step.cmd[0], step.cmd.slice(1), {
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: "1",
      // The typecheck step covers the code the e2e build is made of, so that build skips Next's own pass (next.config.ts).
      ...(steps.some((s) => s.name === "typecheck") ? { SESSIONPROOF_BUILD_SKIP_TYPECHECK: "1" } : {}),
    },
    stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit",
  });
  running.add(group);
  group.child.stdout?.on("data", (d: Buffer) => chunks.push(d));
  group.child.stderr?.on("data", (d: Buffer) => chunks.push(d));
  const status = await group.exited;
  running.delete(group);
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
  return {
    line: `${status === 0 && counts.failed === 0 ? "ok  " : "FAIL"} ${step.name.padEnd(18)} ${secs.padStart(6)} s  ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`,
    output: quiet ? `${header}\n${Buffer.concat(chunks).toString()}` : "",
  };
}

await withCleanup(
  async () => {
    for (let i = 0; i < steps.length;) {
      let j = i + 1;
      if (steps[i].together) while (j < steps.length && steps[j].together) j++;
      const batch = steps.slice(i, j);
      const results = await Promise.all(batch.map((step) => runStep(step, batch.length > 1)));
      for (const r of results) {
        if (r.output) process.stdout.write(r.output);
        summary.push(r.line);
      }
      i = j;
    }
  },
  async (reason) => {
    // SIGTERM lets a step clean up after itself (scripts/e2e.ts stops Playwright's servers) before SIGKILL.
    if (reason !== "done") await Promise.all([...running].map((g) => stopGroup(g.pid, "SIGTERM", 60_000)));
  },
);
console.log(`\n=== summary\n${summary.join("\n")}\n`);
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 ? 1 : 0);
