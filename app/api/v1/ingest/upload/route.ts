import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { userRoute } from "@/lib/api/handler";
import { created } from "@/lib/api/responses";
import { AppError } from "@/lib/errors";
import { system } from "@/lib/context/request-context";
import { requestCorrelation } from "@/lib/analysis/schedule-analysis";
import { ingestBody } from "@/lib/ingest/ingest-body";
import { getGrantMapping } from "@/lib/ingest/grant-mappings";

// POST /api/v1/ingest/upload - one file as the raw request body (streamed, never buffered whole), name in
// x-file-name (URI-encoded), optional x-platform, x-source-name and x-grant-mapping (a saved mapping's name, URI-encoded);
// answers with the batch result
export const POST = userRoute("POST /api/v1/ingest/upload", async ({ req, ctx, headers: h }) => {
  if (!req.body) throw new AppError("BAD_REQUEST", "The request has no body: send the file as the body.");
  const grantMapping = h["x-grant-mapping"] ? await getGrantMapping(h["x-grant-mapping"]) : undefined;
  const result = await ingestBody({
    input: Readable.fromWeb(req.body as unknown as NodeReadableStream),
    fileName: h["x-file-name"],
    byteSize: h["content-length"] ?? null,
    platform: h["x-platform"],
    sourceName: h["x-source-name"],
    grantMapping,
    via: "upload",
    ctx,
  });
  // Sessions follow new data: correlation runs in the background after anything was stored.
  if (result.stored > 0) requestCorrelation({ ctx: system() });
  return created(result);
});
