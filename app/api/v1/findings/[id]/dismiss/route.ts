import { userRoute } from "@/lib/api/handler";
import { dismissFinding } from "@/lib/risk/dismiss-finding";

// POST /api/v1/findings/{id}/dismiss - dismiss a finding as a false positive or an accepted risk (with an expiry), with a reason
export const POST = userRoute("POST /api/v1/findings/[id]/dismiss", async ({ ctx, params: { id }, body }) =>
  dismissFinding({ ctx, id, input: body }),
);
