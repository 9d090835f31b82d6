import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { apiRoute } from "@/lib/api/handler";
import { created } from "@/lib/api/responses";
import { AppError } from "@/lib/errors";
import { forToken, system } from "@/lib/context/request-context";
import { requestCorrelation } from "@/lib/analysis/schedule-analysis";
import { ingestBody } from "@/lib/ingest/ingest-body";
import { pushHeaders } from "@/lib/ingest/ingest-stream.types";
import { authenticatePushToken } from "@/lib/tokens/api-tokens";

// POST /api/v1/ingest/{platform} - push delivery: the body is one export (JSON array, NDJSON, an API page
// envelope, or gzip of these), authenticated by the source's API token (Authorization: Bearer ...)
export const POST = apiRoute("POST /api/v1/ingest/[platform]", async ({ req, client, params }) => {
  const { source, tokenId, tokenName } = await authenticatePushToken({ authorization: req.headers.get("authorization") });
  if (source.platform !== params.platform) {
    throw new AppError("FORBIDDEN", `This token delivers ${source.platform} to the source "${source.name}", not ${params.platform}.`);
  }
  const h = pushHeaders.parse(Object.fromEntries(req.headers));
  if (!req.body) throw new AppError("BAD_REQUEST", "The request has no body.");
  const result = await ingestBody({
    input: Readable.fromWeb(req.body as unknown as NodeReadableStream),
    fileName: h["x-file-name"] ?? `push-${new Date().toISOString().replace(/[:.]/g, "-")}.json`,
    byteSize: h["content-length"] ?? null,
    sourceId: source.id,
    via: "api",
    ctx: forToken({ id: tokenId, name: tokenName }, client),
  });
  // Sessions follow new data: correlation runs in the background after anything was stored.
  if (result.stored > 0) requestCorrelation({ ctx: system() });
  return created(result);
});
