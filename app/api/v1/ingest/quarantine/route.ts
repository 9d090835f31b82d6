import { userRoute } from "@/lib/api/handler";
import { listQuarantine } from "@/lib/ingest/quarantine";

// GET /api/v1/ingest/quarantine - quarantined records (?batchId=&sourceId=&includeResolved=) with their reasons
export const GET = userRoute("GET /api/v1/ingest/quarantine", async ({ query: filter }) => listQuarantine({ filter }));
