import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { userRoute } from "@/lib/api/handler";
import { created } from "@/lib/api/responses";
import { AppError } from "@/lib/errors";
import { system } from "@/lib/context/request-context";
import { requestCorrelation } from "@/lib/analysis/schedule-analysis";
import { ingestBody } from "@/lib/ingest/ingest-body";

// POST /api/v1/ingest/upload - one file as the raw request body (streamed, never buffered whole), name in
// x-file-name (URI-encoded), optional x-platform and x-source-name; answers with the batch result
export const POST = userRoute("POST /api/v1/ingest/upload", async ({ req, ctx, headers: h }) => {
  if (!req.body) throw new AppError("BAD_REQUEST", "The request has no body: send the file as the body.");
  const result = await ingestBody({
    input: Readable.fromWeb(req.body as unknown as NodeReadableStream),
    fileName: h["x-file-name"],
    byteSize: h["content-length"] ?? null,
    platform: h["x-platform"],
    sourceName: h["x-source-name"],
    via: "upload",
    ctx,
  });
  // Sessions follow new data: correlation runs in the background after anything was stored.
  if (result.stored > 0) requestCorrelation({ ctx: system() });
  return created(result);
});
