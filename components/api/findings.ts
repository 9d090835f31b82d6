"use client";

import type { z } from "zod";
import { approveRiskAcceptanceContract, dismissFindingContract, reopenFindingContract } from "@/lib/risk/dismiss-finding.types";
import { apiFetch, send } from "./client";

// Findings are listed and shown by server pages; the client only changes their status. Bodies are typed and answers
// parsed by the routes' contracts (lib/risk/dismiss-finding.types.ts).

export type DismissalType = "false_positive" | "risk_accepted";

/** Dismiss as a false positive, or as an accepted risk with an expiry date (approved later by someone else). */
export const dismissFinding = ({ id, type, reason, expiresAt }: { id: string; type: DismissalType; reason: string; expiresAt?: string }) =>
  apiFetch(
    `/api/v1/findings/${id}/dismiss`,
    dismissFindingContract.response,
    send(
      "POST",
      (type === "risk_accepted" ? { type, reason, expiresAt } : { type, reason }) satisfies z.input<typeof dismissFindingContract.body>,
    ),
  );

/** Reopen a dismissed finding, with the reason kept in its history and the audit trail. */
export const reopenFinding = ({ id, reason }: { id: string; reason: string }) =>
  apiFetch(
    `/api/v1/findings/${id}/reopen`,
    reopenFindingContract.response,
    send("POST", { reason } satisfies z.input<typeof reopenFindingContract.body>),
  );

/** Approve a risk acceptance someone else made. */
export const approveRiskAcceptance = ({ id, reason }: { id: string; reason: string }) =>
  apiFetch(
    `/api/v1/findings/${id}/approve`,
    approveRiskAcceptanceContract.response,
    send("POST", { reason } satisfies z.input<typeof approveRiskAcceptanceContract.body>),
  );
