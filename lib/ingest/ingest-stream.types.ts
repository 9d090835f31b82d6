import { z } from "zod";

/**
 * A file name sent in the x-file-name header, URI-encoded (encodeURIComponent) so that any name travels in a
 * header. Encoding that does not decode, control characters (NUL included) and over-long names are refused with
 * a message rather than reaching the database.
 */
const fileNameHeader = (missing: string) =>
  z.string({ message: missing }).transform((v, ctx) => {
    let name: string;
    try {
      name = decodeURIComponent(v);
    } catch {
      ctx.addIssue({
        code: "custom",
        message: "The file name in x-file-name is not valid URI encoding: encode it with encodeURIComponent (UTF-8).",
      });
      return z.NEVER;
    }
    if (!name) ctx.addIssue({ code: "custom", message: missing });
    else if (name.length > 500) ctx.addIssue({ code: "custom", message: "The file name is longer than 500 characters." });
    else if (/[\u0000-\u001f\u007f]/.test(name)) {
      ctx.addIssue({
        code: "custom",
        message: "The file name contains control characters (such as NUL or a line break); rename the file.",
      });
    } else return name;
    return z.NEVER;
  });

const contentLength = z.coerce.number().int().min(0).optional();

// POST /api/v1/ingest/upload sends the file as the raw body; what describes it travels in headers.
const uploadHeaders = z.object({
  "x-file-name": fileNameHeader("Send the file name in the x-file-name header."),
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
  /** The name of a saved grant mapping to read the file with (a PAM / JIT tool's grant export without a reader). */
  "x-grant-mapping": z
    .string()
    .max(200)
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      try {
        return decodeURIComponent(v);
      } catch {
        ctx.addIssue({
          code: "custom",
          message: "The mapping name in x-grant-mapping is not valid URI encoding: encode it with encodeURIComponent.",
        });
        return z.NEVER;
      }
    }),
  "content-length": contentLength,
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
  /** Records that hold no event (a CloudTrail digest file, an API page without items): not stored, not quarantined. */
  skipped: count,
});
export type IngestProgress = z.infer<typeof ingestProgress>;

/** The batch result of an ingest: read = stored + duplicate + quarantined + skipped. */
export const ingestResult = ingestProgress.extend({
  /** What was skipped and why, one line per reason ("1 × CloudTrail digest file …: skipped"); null when nothing was. */
  note: z.string().nullable(),
  sourceId: z.string(),
  platform: z.string(),
  fileName: z.string(),
  status: z.enum(["completed", "failed"]),
  error: z.string().nullable(),
  /** Which limit stopped the batch, if one did (the route answers 413 for "size"). */
  limit: z.enum(["size", "quarantine"]).nullable(),
});
export type IngestResult = z.infer<typeof ingestResult>;

export const uploadFileContract = {
  headers: uploadHeaders,
  rawBody: ["application/octet-stream"],
  response: ingestResult,
  created: true,
} as const;

// POST /api/v1/ingest/{platform}: a push token's delivery; the token decides the source. The body is the export
// itself (JSON array, NDJSON, an API page envelope, or gzip of these), streamed. Its headers are parsed by the
// route after the token is checked (pushHeaders), so a caller without a token learns nothing about them.
export const pushIngestContract = {
  params: z.object({ platform: z.string() }),
  rawBody: ["application/json", "application/x-ndjson", "application/gzip"],
  response: ingestResult,
  created: true,
} as const;
export const pushHeaders = z.object({
  "x-file-name": fileNameHeader("The file name in x-file-name is empty.").optional(),
  "content-length": contentLength,
});
