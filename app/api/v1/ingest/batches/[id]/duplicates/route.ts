import { userRoute } from "@/lib/api/handler";
import { listDuplicates } from "@/lib/ingest/list-duplicates";

// GET /api/v1/ingest/batches/{id}/duplicates - the records the batch counted as duplicates (?sort=position|time&dir=&offset=&limit=),
// each with the stored record it duplicates
export const GET = userRoute("GET /api/v1/ingest/batches/[id]/duplicates", async ({ params: { id }, query }) =>
  listDuplicates({ batchId: id, query }),
);
