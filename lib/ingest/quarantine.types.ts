import { z } from "zod";
import { listResult } from "@/lib/list-result";

/** The same filter selects what is listed, downloaded and re-processed. */
export const quarantineFilter = z.object({
  batchId: z.uuid().optional(),
  sourceId: z.uuid().optional(),
  includeResolved: z.coerce.boolean().optional(),
});
export type QuarantineFilter = z.infer<typeof quarantineFilter>;

const count = z.number().int().min(0);

const quarantinedDto = z.object({
  id: z.string(),
  batchId: z.string().nullable(),
  fileName: z.string(),
  position: count,
  reason: z.string(),
  /** The first 300 bytes of the record, as text. */
  preview: z.string(),
  size: count,
  createdAt: z.string(),
  reprocessedAt: z.string().nullable(),
  resolvedRawRecordId: z.string().nullable(),
});
export type QuarantinedDto = z.infer<typeof quarantinedDto>;

/** `untrusted`: records left alone because they were read from a damaged gzip member (not re-parsed, not stored). */
const reprocessResult = z.object({ attempted: count, resolved: count, stillQuarantined: count, untrusted: count });
export type ReprocessResult = z.infer<typeof reprocessResult>;

// GET /api/v1/ingest/quarantine: the first 200 quarantined records of the filter, and how many there are in all.
export const listQuarantineContract = { query: quarantineFilter, response: listResult(quarantinedDto).required({ total: true }) };
// GET /api/v1/ingest/quarantine/download: every quarantined record of the filter, one JSON object a line.
export const exportQuarantineContract = { query: quarantineFilter, download: ["application/x-ndjson"] } as const;
// POST /api/v1/ingest/quarantine/reprocess
export const reprocessQuarantineContract = { body: quarantineFilter, response: reprocessResult };
