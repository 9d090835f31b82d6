import { userRoute } from "@/lib/api/handler";
import { listAudit } from "@/lib/audit/list-audit";

// GET /api/v1/audit - the dashboard's own audit trail: filters (actor, action, resourceType, from, to, q), sort, paging
export const GET = userRoute("GET /api/v1/audit", async ({ query }) => listAudit({ query }));
