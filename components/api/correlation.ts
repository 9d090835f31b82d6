"use client";

import { requestCorrelationContract } from "@/lib/analysis/schedule-analysis.types";
import { apiFetch, send } from "./client";

// "Correlate now": a full pass, answered with the run's summary (lib/analysis/schedule-analysis.types.ts).
export const runCorrelation = () => apiFetch("/api/v1/correlation", requestCorrelationContract.response, send("POST", {}));
