import { userRoute } from "@/lib/api/handler";
import { reopenFinding } from "@/lib/risk/dismiss-finding";

// POST /api/v1/findings/{id}/reopen - reopen a finding with a reason (kept in its history and the audit trail)
export const POST = userRoute("POST /api/v1/findings/[id]/reopen", async ({ ctx, params: { id }, body: { reason } }) =>
  reopenFinding({ ctx, id, reason }),
);
