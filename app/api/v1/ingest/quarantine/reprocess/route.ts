import { userRoute } from "@/lib/api/handler";
import { reprocessQuarantine } from "@/lib/ingest/quarantine";

// POST /api/v1/ingest/quarantine/reprocess - run the current parsers over quarantined records again
export const POST = userRoute("POST /api/v1/ingest/quarantine/reprocess", async ({ ctx, body: filter }) =>
  reprocessQuarantine({ ctx, filter }),
);
