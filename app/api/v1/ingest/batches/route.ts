import { z } from "zod";
import { userRoute } from "@/lib/api/handler";
import { listBatches } from "@/lib/ingest/list-batches";

const query = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });

// GET /api/v1/ingest/batches - recent ingest batches with their counts
export const GET = userRoute("GET /api/v1/ingest/batches", async ({ req }) => {
  const { limit } = query.parse(Object.fromEntries(new URL(req.url).searchParams));
  return listBatches({ limit });
});
