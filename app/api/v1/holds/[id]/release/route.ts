import { userRoute } from "@/lib/api/handler";
import { releaseHold } from "@/lib/retention/release-hold";

// POST /api/v1/holds/{id}/release - release a hold with a reason ({reason})
export const POST = userRoute("POST /api/v1/holds/[id]/release", async ({ ctx, params: { id }, body }) =>
  releaseHold({ ctx, holdId: id, input: body }),
);
