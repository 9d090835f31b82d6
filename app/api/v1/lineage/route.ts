import { userRoute } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { getLineage } from "@/lib/sessions/get-lineage";
import { lineageQuery } from "@/lib/sessions/types";

// GET /api/v1/lineage - the lineage graph from a credential or an identity (credentialId | identityId, depth, limit)
export const GET = userRoute("GET /api/v1/lineage", async ({ req }) => {
  const q = lineageQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  const graph = await getLineage(q);
  if (!graph) throw new AppError("NOT_FOUND", q.credentialId ? "No such credential." : "No such identity.");
  return graph;
});
