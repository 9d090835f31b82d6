import { userRoute } from "@/lib/api/handler";
import { searchLineageRoots } from "@/lib/sessions/search-lineage-roots";

// GET /api/v1/lineage/roots - identities and credentials matching a search text, to start a lineage graph from
export const GET = userRoute("GET /api/v1/lineage/roots", async ({ query }) => ({
  items: await searchLineageRoots(query),
  limit: query.limit,
}));
