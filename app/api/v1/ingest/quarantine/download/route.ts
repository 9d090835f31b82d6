import { userRoute } from "@/lib/api/handler";
import { download } from "@/lib/api/responses";
import { exportQuarantine } from "@/lib/ingest/quarantine";

// GET /api/v1/ingest/quarantine/download - the quarantined records as NDJSON (file, position, reason, raw)
export const GET = userRoute("GET /api/v1/ingest/quarantine/download", async ({ query: filter }) => {
  const gen = exportQuarantine({ filter });
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await gen.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
  });
  return download(body, {
    fileName: `quarantine-${filter.batchId ?? filter.sourceId ?? "all"}.ndjson`,
    contentType: "application/x-ndjson",
  });
});
