import type { RequestContext } from "@/lib/context/request-context";
import type { GovernanceRunCounts } from "@/lib/governance/types";
import { runGovernanceChecks } from "@/lib/governance/run-governance-checks";
import { runRiskRules, type RiskRunCounts } from "@/lib/risk/run-risk-rules";
import { runCorrelation, type CorrelationMode, type CorrelationSummary } from "@/lib/correlation/run-correlation";

// The analysis after an ingest: correlation, then the governance checks and risk rules that read the sessions
// it leaves. Every way data arrives (the web server's background run, POST /api/v1/correlation, `npm run cli --
// ingest` and `correlate`, the demo load) calls this one function, so checks and findings exist after any of
// them. It sits above those layers so that correlation never calls the analyses built on its output.
export type AnalysisSummary = CorrelationSummary & { governance: GovernanceRunCounts; risk: RiskRunCounts };

export async function runAnalysis({ ctx, mode }: { ctx: RequestContext; mode: CorrelationMode }): Promise<AnalysisSummary> {
  const summary = await runCorrelation({ ctx, mode });
  const governance = await runGovernanceChecks({ ctx });
  const risk = await runRiskRules({ ctx });
  return { ...summary, governance, risk };
}

/** One line for people: what the analysis found. */
export function describeAnalysis(s: AnalysisSummary): string {
  const problems = s.governance.checks - (s.governance.byStatus.ok ?? 0);
  return (
    `Correlated ${s.events.toLocaleString()} events: ${s.identities} identities, ${s.sessions} sessions, ${s.links} links; ` +
    `${s.governance.checks} governance checks (${problems} not ok); ${s.risk.raised} findings raised, ${s.risk.updated} updated, ` +
    `${s.risk.resolved} resolved (${s.durationMs} ms correlation).`
  );
}
