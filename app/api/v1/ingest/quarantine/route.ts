import { userRoute } from "@/lib/api/handler";
import { listQuarantine, quarantineFilter } from "@/lib/ingest/quarantine";

// GET /api/v1/ingest/quarantine - quarantined records (?batchId=&sourceId=&includeResolved=) with their reasons
export const GET = userRoute("GET /api/v1/ingest/quarantine", async ({ req }) =>
  listQuarantine({ filter: quarantineFilter.parse(Object.fromEntries(new URL(req.url).searchParams)) }),
);
