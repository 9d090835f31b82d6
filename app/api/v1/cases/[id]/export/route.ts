import { PassThrough, Readable } from "node:stream";
import { z } from "zod";
import { userRoute } from "@/lib/api/handler";
import { prepareCaseExport, writeCaseExport } from "@/lib/export/export-case";

const params = z.object({ id: z.guid({ message: "not a case id" }) });

// GET /api/v1/cases/{id}/export - the case's verifiable evidence package, streamed as a zip
export const GET = userRoute<{ id: string }>("GET /api/v1/cases/[id]/export", async ({ ctx, params: p }) => {
  const { id } = params.parse(p);
  // Not found and ledger problems surface here, as JSON errors, before any byte of the zip is sent.
  const prepared = await prepareCaseExport({ ctx, caseId: id });
  const body = new PassThrough();
  // The history entry is written when the stream completes (or fails); errors after the first byte end the download.
  writeCaseExport({ ctx, prepared, output: body }).catch((err) => console.error(`[export] case ${prepared.evidence.case.number}:`, err));
  return new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${prepared.fileName}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
