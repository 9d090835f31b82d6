import { z } from "zod";

// POST /api/v1/ingest/upload sends the file as the raw body; what describes it travels in headers.
const uploadHeaders = z.object({
  "x-file-name": z
    .string({ message: "Send the file name in the x-file-name header." })
    .transform((v) => decodeURIComponent(v))
    .pipe(z.string().min(1, "Send the file name in the x-file-name header.").max(500)),
  "x-platform": z
    .string()
    .max(50)
    .optional()
    .transform((v) => v || undefined),
  "x-source-name": z
    .string()
    .max(100)
    .optional()
    .transform((v) => v || undefined),
  "content-length": z.coerce.number().int().min(0).optional(),
});

const count = z.number().int().min(0);

/** How far an ingest has come (reported while it runs). */
export const ingestProgress = z.object({
  batchId: z.string(),
  bytesRead: count,
  byteSize: count.nullable(),
  read: count,
  stored: count,
  duplicate: count,
  quarantined: count,
});
export type IngestProgress = z.infer<typeof ingestProgress>;

/** The batch result of an ingest: read = stored + duplicate + quarantined. */
export const ingestResult = ingestProgress.extend({
  sourceId: z.string(),
  platform: z.string(),
  fileName: z.string(),
  status: z.enum(["completed", "failed"]),
  error: z.string().nullable(),
});
export type IngestResult = z.infer<typeof ingestResult>;

export const uploadFileContract = {
  headers: uploadHeaders,
  rawBody: ["application/octet-stream"],
  response: ingestResult,
  created: true,
} as const;

// POST /api/v1/ingest/{platform}: a push token's delivery; the token decides the source. The body is the export
// itself (JSON array, NDJSON, an API page envelope, or gzip of these), streamed.
export const pushIngestContract = {
  params: z.object({ platform: z.string() }),
  rawBody: ["application/json", "application/x-ndjson", "application/gzip"],
  response: ingestResult,
  created: true,
} as const;
