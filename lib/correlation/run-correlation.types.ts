import { z } from "zod";

// POST /api/v1/correlation?mode=incremental: a full pass unless asked otherwise.
export const runCorrelationContract = { query: z.object({ mode: z.enum(["full", "incremental"]).default("full") }) };
