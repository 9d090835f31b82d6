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

export type PlaceHoldInput = z.output<typeof placeHoldInput>;
export type ReleaseHoldInput = z.output<typeof releaseHoldInput>;
export type RetentionDaysInput = z.output<typeof retentionDaysInput>;

// What the retention routes answer, as zod schemas with their types inferred from them (no server imports here:
// client components import this module).
const isoTime = z.string();
const count = z.number().int().min(0);

const holdScope = z.union([
  z.object({ caseId: z.string(), caseNumber: z.number().int().nullable().optional() }),
  z.object({ sourceId: z.string(), rangeStart: isoTime.nullable(), rangeEnd: isoTime.nullable() }),
]);
export type HoldScope = z.infer<typeof holdScope>;

export const holdView = z.object({
  id: z.string(),
  scope: holdScope,
  /** In words: "Case #12: title" or "okta, 2026-01-01 → 2026-02-01". */
  scopeLabel: z.string(),
  reason: z.string(),
  placedBy: z.string().nullable(),
  placedAt: isoTime,
  releasedBy: z.string().nullable(),
  releasedAt: isoTime.nullable(),
  releaseReason: z.string().nullable(),
  active: z.boolean(),
  /** Raw records this hold covers now (active holds only; null once released). */
  heldRecords: count.nullable(),
});
export type HoldView = z.infer<typeof holdView>;

/** What placing a hold answers (201). */
export const placedHold = z.object({ id: z.string(), scope: holdScope });
/** What releasing a hold answers. */
export const releasedHold = z.object({ id: z.string(), released: z.literal(true) });

const purgeSourceResult = z.object({ sourceId: z.string(), days: z.number().int(), cutoff: isoTime, purged: count, held: count });
export type PurgeSourceResult = z.infer<typeof purgeSourceResult>;
const purgeResult = z.object({ jobId: z.string(), purged: count, held: count, sources: z.array(purgeSourceResult) });
export type PurgeResult = z.infer<typeof purgeResult>;

/** A purge job as the Retention page polls it (GET /api/v1/retention/jobs/{id}). */
export const purgeJobView = z.object({
  id: z.string(),
  status: z.string(),
  progress: z.number(),
  message: z.string().nullable(),
  result: purgeResult.nullable(),
  createdAt: isoTime,
  finishedAt: isoTime.nullable(),
});
export type PurgeJobView = z.infer<typeof purgeJobView>;

/** One source's retention as the Retention page lists it. */
export const sourceRetention = z.object({
  sourceId: z.string(),
  name: z.string(),
  platform: z.string(),
  /** Our retention in days; null keeps raw payloads forever. */
  days: z.number().int().nullable(),
  /**
   * How long the vendor itself keeps these logs, for orientation: the shortest-kept log type of the platform (named in
   * vendorLogType, at the license tier vendorTier, cited by vendorDoc) from lib/sources/<platform>/retention.ts. Null
   * days: not documented; all null: no vendor table (governance feeds, the audit trail).
   */
  vendorDays: z.number().nullable(),
  vendorLogType: z.string().nullable(),
  vendorTier: z.string().nullable(),
  vendorDoc: z.string().nullable(),
  vendorNote: z.string().nullable(),
  rawRecords: count,
  purged: count,
  oldestReceivedAt: isoTime.nullable(),
  isAuditTrail: z.boolean(),
});
export type SourceRetention = z.infer<typeof sourceRetention>;
