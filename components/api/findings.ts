"use client";

import { z } from "zod";
import { apiFetch, send } from "./client";

// Findings are listed and shown by server pages; the client only changes their status.
const statusChange = z.object({ id: z.string(), status: z.enum(["open", "dismissed"]) }).passthrough();

export type DismissalType = "false_positive" | "risk_accepted";

/** Dismiss as a false positive, or as an accepted risk with an expiry date (approved later by someone else). */
export const dismissFinding = ({ id, type, reason, expiresAt }: { id: string; type: DismissalType; reason: string; expiresAt?: string }) =>
  apiFetch(
    `/api/v1/findings/${id}/dismiss`,
    statusChange,
    send("POST", type === "risk_accepted" ? { type, reason, expiresAt } : { type, reason }),
  );

/** Reopen a dismissed finding, with the reason kept in its history and the audit trail. */
export const reopenFinding = ({ id, reason }: { id: string; reason: string }) =>
  apiFetch(`/api/v1/findings/${id}/reopen`, statusChange, send("POST", { reason }));

/** Approve a risk acceptance someone else made. */
export const approveRiskAcceptance = ({ id, reason }: { id: string; reason: string }) =>
  apiFetch(`/api/v1/findings/${id}/approve`, statusChange, send("POST", { reason }));
