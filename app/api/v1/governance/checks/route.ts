import { userRoute } from "@/lib/api/handler";
import { listGovernanceChecks } from "@/lib/governance/list-governance-checks";
import { checksQuery } from "@/lib/governance/types";

// GET /api/v1/governance/checks - privileged actions with their approval, JIT grant and policy decision (filters, sort, paging)
export const GET = userRoute("GET /api/v1/governance/checks", async ({ req }) => {
  const q = checksQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  return listGovernanceChecks(q);
});
