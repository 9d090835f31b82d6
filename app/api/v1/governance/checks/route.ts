import { userRoute } from "@/lib/api/handler";
import { listGovernanceChecks } from "@/lib/governance/list-governance-checks";

// GET /api/v1/governance/checks - privileged actions with their approval, JIT grant and policy decision (filters, sort, paging)
export const GET = userRoute("GET /api/v1/governance/checks", async ({ ctx, query }) =>
  listGovernanceChecks({ ...query, tenantId: ctx.tenantId }),
);
