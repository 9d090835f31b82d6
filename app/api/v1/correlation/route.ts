import { userRoute } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { correlationIdle, correlationStatus, requestCorrelation } from "@/lib/analysis/schedule-analysis";
import { runGovernanceChecks } from "@/lib/governance/run-governance-checks";
import { runRiskRules } from "@/lib/risk/run-risk-rules";

// POST /api/v1/correlation - run the correlation now and answer with its summary
// Goes through the same coalescing queue as the background runs that ingests request, so a click while a run is
// going adds one run after it instead of a second concurrent one; the answer is the summary of the last run.
// ?mode=incremental re-correlates only what the events stored since the last run touch; the default is a full pass.
// The run's audit entry names the user who asked.
export const POST = userRoute("POST /api/v1/correlation", async ({ ctx, query: { mode } }) => {
  requestCorrelation({ ctx, mode });
  await correlationIdle();
  const last = correlationStatus().last;
  if (!last || last.error || !last.summary) throw new AppError("INTERNAL", `The correlation failed: ${last?.error ?? "no result"}.`);
  // Findings read the sessions and governance checks just rebuilt (TODO(lead): move into the correlation job).
  const governance = await runGovernanceChecks({ ctx });
  const risk = await runRiskRules({ ctx });
  return { ...last.summary, at: last.at, governance, risk };
});
