import { z } from "zod";

export const RETENTION_JOB_TYPE = "retention.purge";

// Placing a purge and a hold are serialized on this advisory lock: the purge holds it for its whole run, a new
// hold waits for it, so no record a new hold covers is purged after the hold committed.
export const PURGE_LOCK = 7_265_101_071;

const reason = z
  .string({ message: "Give a reason." })
  .trim()
  .min(5, { message: "Give a reason of at least 5 characters: it is recorded with the hold and shown to everyone." })
  .max(2000);

export const placeHoldInput = z.union([
  z.object({ caseId: z.guid({ message: "not a case id" }), reason }).strict(),
  z
    .object({
      sourceId: z.guid({ message: "not a source id" }),
      rangeStart: z.coerce.date({ message: "not a date" }).nullable().optional(),
      rangeEnd: z.coerce.date({ message: "not a date" }).nullable().optional(),
      reason,
    })
    .strict()
    .refine((v) => !v.rangeStart || !v.rangeEnd || v.rangeStart <= v.rangeEnd, {
      message: "The range must start before it ends.",
      path: ["rangeEnd"],
    }),
]);

export const releaseHoldInput = z.object({ reason }).strict();

export const retentionDaysInput = z
  .object({
    days: z
      .number({ message: "days must be a whole number of days, or null to keep forever" })
      .int()
      .min(1, { message: "Keep at least 1 day." })
      .max(36500)
      .nullable(),
  })
  .strict();

export type HoldScope =
  { caseId: string; caseNumber?: number | null } | { sourceId: string; rangeStart: string | null; rangeEnd: string | null };

export type HoldView = {
  id: string;
  scope: HoldScope;
  /** In words: "Case #12: title" or "okta, 2026-01-01 → 2026-02-01". */
  scopeLabel: string;
  reason: string;
  placedBy: string | null;
  placedAt: string;
  releasedBy: string | null;
  releasedAt: string | null;
  releaseReason: string | null;
  active: boolean;
  /** Raw records this hold covers now (active holds only; null once released). */
  heldRecords: number | null;
};

export type PurgeSourceResult = { sourceId: string; days: number; cutoff: string; purged: number; held: number };
export type PurgeResult = { jobId: string; purged: number; held: number; sources: PurgeSourceResult[] };
