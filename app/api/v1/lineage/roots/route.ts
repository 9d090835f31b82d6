import { userRoute } from "@/lib/api/handler";
import { searchLineageRoots } from "@/lib/sessions/search-lineage-roots";
import { lineageRootsQuery } from "@/lib/sessions/types";

// GET /api/v1/lineage/roots - identities and credentials matching a search text, to start a lineage graph from
export const GET = userRoute("GET /api/v1/lineage/roots", async ({ req }) => {
  const q = lineageRootsQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  return searchLineageRoots(q);
});
