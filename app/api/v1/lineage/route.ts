import { userRoute } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { getLineage } from "@/lib/sessions/get-lineage";

// GET /api/v1/lineage - the lineage graph from a credential or an identity (credentialId | identityId, depth, limit)
export const GET = userRoute("GET /api/v1/lineage", async ({ query }) => {
  const graph = await getLineage(query);
  if (!graph) throw new AppError("NOT_FOUND", query.credentialId ? "No such credential." : "No such identity.");
  return graph;
});
