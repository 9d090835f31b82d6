import { userRoute } from "@/lib/api/handler";
import { listGovernanceChecks } from "@/lib/governance/list-governance-checks";

// GET /api/v1/governance/checks - privileged actions with their approval, JIT grant, rule outcomes and statuses (filters, sort, paging)
export const GET = userRoute("GET /api/v1/governance/checks", async ({ query }) => listGovernanceChecks(query));
