import type { RequestContext } from "@/lib/context/request-context";
import { runGovernanceChecks } from "@/lib/governance/run-governance-checks";
import { runRiskRules } from "@/lib/risk/run-risk-rules";
import { runCorrelation, type CorrelationMode, type CorrelationSummary } from "@/lib/correlation/run-correlation";

// The analysis after an ingest: correlation, then the governance checks and risk rules that read the sessions
// it leaves. It sits above those layers so that correlation never calls the analyses built on its output.
export async function runAnalysis({ ctx, mode }: { ctx: RequestContext; mode: CorrelationMode }): Promise<CorrelationSummary> {
  const summary = await runCorrelation({ ctx, mode });
  await runGovernanceChecks({ ctx });
  await runRiskRules({ ctx });
  return summary;
}
