import { z } from "zod";
import { limitedListResult } from "@/lib/list-result";

const count = z.number().int().min(0);

const batchDto = z.object({
  id: z.string(),
  fileName: z.string(),
  platform: z.string(),
  /** Null for a file refused because no source recognised its format. */
  sourceName: z.string().nullable(),
  format: z.string().nullable(),
  via: z.string(),
  status: z.string(),
  byteSize: count.nullable(),
  bytesRead: count,
  read: count,
  stored: count,
  duplicate: count,
  quarantined: count,
  /** Records holding no event (digest files, empty pages): neither stored nor quarantined. */
  skipped: count,
  /** What was skipped and why. */
  note: z.string().nullable(),
  /** Records of this batch quarantined at first and stored by a later re-processing. */
  resolvedLater: count,
  error: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type BatchDto = z.infer<typeof batchDto>;

// GET /api/v1/ingest/batches: the most recent `limit` batches with their counts.
export const listBatchesContract = {
  query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
  response: limitedListResult(batchDto),
};
