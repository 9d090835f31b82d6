"use client";

import type { z } from "zod";
import { placeHoldContract } from "@/lib/retention/place-hold.types";
import { releaseHoldContract } from "@/lib/retention/release-hold.types";
import { apiFetch, send } from "./client";

// Legal holds are listed by server pages (Retention, the case page); placing or releasing one refreshes them.

export type PlaceHold = z.input<typeof placeHoldContract.body>;

export const placeHold = (body: PlaceHold) => apiFetch("/api/v1/holds", placeHoldContract.response, send("POST", body));
export const releaseHold = ({ holdId, reason }: { holdId: string; reason: string }) =>
  apiFetch(
    `/api/v1/holds/${holdId}/release`,
    releaseHoldContract.response,
    send("POST", { reason } satisfies z.input<typeof releaseHoldContract.body>),
  );
