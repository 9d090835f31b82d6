import { userRoute } from "@/lib/api/handler";
import { approveRiskAcceptance } from "@/lib/risk/dismiss-finding";

// POST /api/v1/findings/{id}/approve - approve a risk acceptance made by someone else (the finding becomes an exception until its expiry)
export const POST = userRoute("POST /api/v1/findings/[id]/approve", async ({ ctx, params: { id }, body }) =>
  approveRiskAcceptance({ ctx, id, input: body }),
);
