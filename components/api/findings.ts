"use client";

import { z } from "zod";
import { apiFetch, send } from "./client";

// Findings are listed and shown by server pages; the client only changes their status.
const statusChange = z.object({ id: z.string(), status: z.enum(["open", "dismissed"]) });

/** Dismiss or reopen, with the reason kept in the finding's history and the audit trail. */
export const changeFindingStatus = ({ id, action, reason }: { id: string; action: "dismiss" | "reopen"; reason: string }) =>
  apiFetch(`/api/v1/findings/${id}/${action}`, statusChange, send("POST", { reason }));
