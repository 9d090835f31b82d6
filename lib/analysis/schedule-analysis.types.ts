import { z } from "zod";
import { runCorrelationQuery } from "@/lib/correlation/run-correlation.types";
import { analysisSummary } from "./run-analysis.types";

// POST /api/v1/correlation: runs the correlation now (?mode=incremental or full) and answers with the summary of
// the analysis and when it finished.
export const requestCorrelationContract = { query: runCorrelationQuery, response: analysisSummary.extend({ at: z.string() }) };
