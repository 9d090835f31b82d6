import { userRoute } from "@/lib/api/handler";
import { auditListQuery, listAudit } from "@/lib/audit/list-audit";

// GET /api/v1/audit - the dashboard's own audit trail: filters (actor, action, resourceType, from, to, q), sort, paging
export const GET = userRoute("GET /api/v1/audit", async ({ req }) => {
  const query = auditListQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  return listAudit({ query });
});
