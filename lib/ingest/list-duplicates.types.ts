import { z } from "zod";
import { pageResult } from "@/lib/list-result";

// What a batch counted as duplicate (lib/ingest/native-dedup.ts writes ingest_duplicate), and the stored record each
// one duplicates: GET /api/v1/ingest/batches/{id}/duplicates and the Ingest page's duplicates panel. Only what the
// table and the records it names hold: nothing here is inferred.

const count = z.number().int().min(0);

/**
 * Why a record was counted as duplicate:
 * - same_event: the platform's own event id (with its class and time) was stored before, from other bytes (an
 *   overlapping or re-shaped export). This copy is kept in the ledger verbatim, with no events.
 * - same_bytes: the exact bytes were stored before for this source; the ledger holds them once (the original's leaf).
 * - quarantined: the exact bytes of an unreadable record were quarantined before for this source.
 */
export const DUPLICATE_KINDS = ["same_event", "same_bytes", "quarantined"] as const;
export const duplicateKind = z.enum(DUPLICATE_KINDS);
export type DuplicateKind = z.infer<typeof duplicateKind>;

const DUPLICATE_SORTS = ["position", "time"] as const;
export type DuplicateSort = (typeof DUPLICATE_SORTS)[number];

export const batchIdParams = z.object({ id: z.guid({ message: "not an ingest batch id" }) });

/** `time` sorts by the original's event time (duplicates without one last). An unreadable value falls back to its default. */
export const listDuplicatesQuery = z.object({
  sort: z.enum(DUPLICATE_SORTS).catch("position").default("position"),
  dir: z.enum(["asc", "desc"]).catch("asc").default("asc"),
  offset: z.coerce.number().int().min(0).catch(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).catch(100).default(100),
});
export type ListDuplicatesQuery = z.infer<typeof listDuplicatesQuery>;

/** The original's event that stands for the duplicate: the one with the matched native id (the first event without one). */
const originalEvent = z.object({
  id: z.string(),
  time: z.string(),
  className: z.string(),
  /** data.event_name; null when the platform gives none. */
  name: z.string().nullable(),
  /** The session it was correlated into; null before correlation or when it has none. */
  sessionId: z.string().nullable(),
});

/** The record the duplicate duplicates: a ledger raw record (same_event, same_bytes) or a quarantined record. */
const duplicateOriginal = z.object({
  type: z.enum(["raw_record", "quarantined_record"]),
  id: z.string(),
  /** The batch that stored it (this batch itself for a record repeated inside one file); null for records stored outside a batch. */
  batchId: z.string().nullable(),
  fileName: z.string(),
  position: count,
  /** When it was appended to the ledger, or quarantined. */
  at: z.string(),
  /** Raw records: whether retention purged its payload (its leaf hash stays in the ledger). */
  payloadPurged: z.boolean(),
  /** How many events the original holds (0 for a quarantined record). */
  eventCount: count,
  event: originalEvent.nullable(),
});

export const duplicateDto = z.object({
  id: z.string(),
  /** The duplicate's position in this batch's file (0-based, as every record position). */
  position: count,
  /** This batch's file. */
  fileName: z.string(),
  kind: duplicateKind,
  /** The platform's event id that matched (same_event); for same_bytes the record's native id when it has one. */
  nativeId: z.string().nullable(),
  /** The ledger leaf holding this copy: its own (same_event), the original's (same_bytes), none (quarantined). */
  rawRecordId: z.string().nullable(),
  /** Null only if the named record is no longer found. */
  original: duplicateOriginal.nullable(),
});
export type DuplicateDto = z.infer<typeof duplicateDto>;

/**
 * One page of a batch's duplicates. `batch.duplicateCount` is the batch's count; `total` is how many are listed
 * (fewer only for batches ingested before duplicates were recorded).
 */
export const duplicatesPage = pageResult(duplicateDto).extend({
  batch: z.object({ id: z.string(), fileName: z.string(), platform: z.string(), duplicateCount: count }),
  sort: z.enum(DUPLICATE_SORTS),
  dir: z.enum(["asc", "desc"]),
});
export type DuplicatesPage = z.infer<typeof duplicatesPage>;

// GET /api/v1/ingest/batches/{id}/duplicates
export const listDuplicatesContract = { params: batchIdParams, query: listDuplicatesQuery, response: duplicatesPage };
