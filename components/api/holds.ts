"use client";

import { z } from "zod";
import { apiFetch, send } from "./client";

// Legal holds are listed by server pages (Retention, the case page); placing or releasing one refreshes them.
const unread = z.unknown();

export type PlaceHold =
  { caseId: string; reason: string } | { sourceId: string; reason: string; rangeStart: string | null; rangeEnd: string | null };

export const placeHold = (body: PlaceHold) => apiFetch("/api/v1/holds", unread, send("POST", body));
export const releaseHold = ({ holdId, reason }: { holdId: string; reason: string }) =>
  apiFetch(`/api/v1/holds/${holdId}/release`, unread, send("POST", { reason }));
