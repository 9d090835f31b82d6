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
export const uploadFileContract = { headers: uploadHeaders };

// POST /api/v1/ingest/{platform}: a push token's delivery; the token decides the source.
export const pushIngestContract = { params: z.object({ platform: z.string() }) };
