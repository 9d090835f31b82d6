"use client";

import { z } from "zod";
import { apiFetch, send } from "./client";

// Coverage is read by the server page; the client sets the organisation's required retention.
export const setRequiredRetention = (requiredRetentionDays: number | null) =>
  apiFetch("/api/v1/coverage/settings", z.object({ requiredRetentionDays: z.number() }), send("PUT", { requiredRetentionDays }));
