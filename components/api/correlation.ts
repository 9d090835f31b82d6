"use client";

import { z } from "zod";
import { apiFetch, send } from "./client";

// What "Correlate now" reports of a run (the answer carries more: governance and risk summaries).
const runSummary = z.object({
  events: z.number(),
  identities: z.number(),
  credentials: z.number(),
  sessions: z.number(),
  links: z.number(),
  durationMs: z.number(),
});

export const runCorrelation = () => apiFetch("/api/v1/correlation", runSummary, send("POST", {}));
