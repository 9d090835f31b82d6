import { z } from "zod";

const count = z.number().int().min(0);

/** What a risk-rule run reports (runRiskRules), e.g. in the answer of POST /api/v1/correlation. */
export const riskRunCounts = z.object({
  raised: count,
  updated: count,
  /** Findings whose condition no longer holds (kept, marked resolved in their evidence). */
  resolved: count,
  byRule: z.record(z.string(), count),
  sessionsScored: count,
});
export type RiskRunCounts = z.infer<typeof riskRunCounts>;
