import { runGovernanceChecks } from "@/lib/governance/run-governance-checks";
import { runRiskRules } from "@/lib/risk/run-risk-rules";
import { runCorrelation, type CorrelationSummary } from "./run-correlation";

// Background correlation for the web server: each ingest that stored something asks for a run; requests that
// arrive while one is running coalesce into one more run after it, so sessions follow new data without piling
// up work. A failure is logged and does not lose the next request.

let running: Promise<void> | null = null;
let dirty = false;
let last: { at: string; summary: CorrelationSummary | null; error: string | null } | null = null;

async function loop(): Promise<void> {
  while (dirty) {
    dirty = false;
    try {
      const summary = await runCorrelation();
      // Governance checks and risk findings follow the sessions they read.
      await runGovernanceChecks({});
      await runRiskRules({});
      last = { at: new Date().toISOString(), summary, error: null };
    } catch (err) {
      last = { at: new Date().toISOString(), summary: null, error: (err as Error).message };
      console.error(`[sessionproof] correlation failed: ${(err as Error).message}`);
    }
  }
}

export function requestCorrelation(): void {
  dirty = true;
  running ??= loop().finally(() => {
    running = null;
  });
}

/** Resolves when no correlation is running or queued. */
export async function correlationIdle(): Promise<void> {
  while (running) await running;
}

export function correlationStatus(): { running: boolean; last: typeof last } {
  return { running: running !== null, last };
}
