import { userRoute } from "@/lib/api/handler";
import { setRetentionPolicy } from "@/lib/retention/set-retention-policy";

// PUT /api/v1/retention/policies/{sourceId} - set a source's retention in days ({days: n}) or remove it ({days: null})
export const PUT = userRoute("PUT /api/v1/retention/policies/[sourceId]", async ({ ctx, params: { sourceId }, body }) =>
  setRetentionPolicy({ ctx, sourceId, input: body }),
);
