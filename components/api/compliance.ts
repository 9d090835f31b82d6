"use client";

import { z } from "zod";
import { setComplianceThresholdsContract } from "@/lib/compliance/set-compliance-thresholds.types";
import { apiFetch, send } from "./client";

// Compliance views are read by server pages; the client scopes controls out of (and back into) the assessment.
const scoped = z.object({ framework: z.string(), controlId: z.string() }).passthrough();

/** Scope a control out ("not applicable") or back in; the reason is shown with the control and kept in the audit trail. */
export const changeControlScope = ({
  framework,
  controlId,
  action,
  reason,
}: {
  framework: string;
  controlId: string;
  action: "out" | "in";
  reason: string;
}) =>
  apiFetch(
    `/api/v1/compliance/${framework}/${encodeURIComponent(controlId)}/scope`,
    scoped,
    send(action === "out" ? "PUT" : "DELETE", { reason }),
  );

/** Change the control-status thresholds (any subset; each value a number, or the text typed so the server names it). */
export const setComplianceThresholds = (input: Record<string, number | string>) =>
  apiFetch("/api/v1/compliance/settings", setComplianceThresholdsContract.response, send("PUT", input));
