import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { z } from "zod";
import { userRoute } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { requestCorrelation } from "@/lib/analysis/schedule-analysis";
import { ingestStream } from "@/lib/ingest/ingest-stream";

const headers = z.object({
  fileName: z.string().min(1, "Send the file name in the x-file-name header.").max(500),
  platform: z.string().max(50).optional(),
  sourceName: z.string().max(100).optional(),
  size: z.coerce.number().int().min(0).optional(),
});

// POST /api/v1/ingest/upload - one file as the raw request body (streamed, never buffered whole), name in
// x-file-name (URI-encoded), optional x-platform and x-source-name; answers with the batch result
export const POST = userRoute("POST /api/v1/ingest/upload", async ({ req, user }) => {
  const h = headers.parse({
    fileName: decodeURIComponent(req.headers.get("x-file-name") ?? ""),
    platform: req.headers.get("x-platform") || undefined,
    sourceName: req.headers.get("x-source-name") || undefined,
    size: req.headers.get("content-length") ?? undefined,
  });
  if (!req.body) throw new AppError("BAD_REQUEST", "The request has no body: send the file as the body.");
  const result = await ingestStream({
    input: Readable.fromWeb(req.body as unknown as NodeReadableStream),
    fileName: h.fileName,
    byteSize: h.size ?? null,
    platform: h.platform,
    sourceName: h.sourceName,
    via: "upload",
    createdById: user.id,
    actor: { actorId: user.id, actorEmail: user.email, ip: user.ip, userAgent: user.userAgent },
  });
  // Sessions follow new data: correlation runs in the background after anything was stored.
  if (result.stored > 0) requestCorrelation();
  return result;
});
