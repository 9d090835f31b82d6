import { userRoute } from "@/lib/api/handler";
import { listBatches } from "@/lib/ingest/list-batches";

// GET /api/v1/ingest/batches - recent ingest batches with their counts
export const GET = userRoute("GET /api/v1/ingest/batches", async ({ query: { limit } }) => ({
  items: await listBatches({ limit }),
  limit,
}));
