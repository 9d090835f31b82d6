import { userRoute } from "@/lib/api/handler";
import { exportQuarantine, quarantineFilter } from "@/lib/ingest/quarantine";

// GET /api/v1/ingest/quarantine/download - the quarantined records as NDJSON (file, position, reason, raw)
export const GET = userRoute("GET /api/v1/ingest/quarantine/download", async ({ req }) => {
  const filter = quarantineFilter.parse(Object.fromEntries(new URL(req.url).searchParams));
  const gen = exportQuarantine({ filter });
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await gen.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
  });
  const name = `quarantine-${filter.batchId ?? filter.sourceId ?? "all"}.ndjson`;
  return new Response(body, {
    headers: { "content-type": "application/x-ndjson", "content-disposition": `attachment; filename="${name}"`, "cache-control": "no-store" },
  });
});
