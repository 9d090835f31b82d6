import { z } from "zod";
import { correlationSummary } from "@/lib/correlation/run-correlation.types";
import { governanceRunCounts } from "@/lib/governance/run-governance-checks.types";
import { riskRunCounts } from "@/lib/risk/run-risk-rules.types";

/**
 * What the analysis after an ingest reports: the correlation run, then the governance checks and risk rules, and
 * the analysis_run row that records it.
 */
export const analysisSummary = correlationSummary.extend({ governance: governanceRunCounts, risk: riskRunCounts, runId: z.string() });
export type AnalysisSummary = z.infer<typeof analysisSummary>;
