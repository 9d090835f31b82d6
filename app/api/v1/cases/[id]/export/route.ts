import { PassThrough, Readable } from "node:stream";
import { userRoute } from "@/lib/api/handler";
import { download } from "@/lib/api/responses";
import { prepareCaseExport, writeCaseExport } from "@/lib/export/export-case";

// GET /api/v1/cases/{id}/export - the case's verifiable evidence package, streamed as a zip
export const GET = userRoute("GET /api/v1/cases/[id]/export", async ({ ctx, params: { id } }) => {
  // Not found and ledger problems surface here, as JSON errors, before any byte of the zip is sent.
  const prepared = await prepareCaseExport({ caseId: id });
  const body = new PassThrough();
  // The history entry is written when the stream completes (or fails); errors after the first byte end the download.
  writeCaseExport({ ctx, prepared, output: body }).catch((err) => console.error(`[export] case ${prepared.evidence.case.number}:`, err));
  // Trusted time: stamped, unavailable (the TSA failed; the package and the case history say why) or not_configured.
  return download(Readable.toWeb(body) as ReadableStream<Uint8Array>, {
    fileName: prepared.fileName,
    contentType: "application/zip",
    headers: { "X-Sessionproof-Timestamp": prepared.timestamp.status },
  });
});
