import { userRoute } from "@/lib/api/handler";
import { dismissFinding } from "@/lib/risk/dismiss-finding";

// POST /api/v1/findings/{id}/dismiss - dismiss a finding with a reason (kept in its history and the audit trail)
export const POST = userRoute("POST /api/v1/findings/[id]/dismiss", async ({ ctx, params: { id }, body: { reason } }) =>
  dismissFinding({ ctx, id, reason }),
);
