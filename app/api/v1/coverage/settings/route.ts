import { userRoute } from "@/lib/api/handler";
import { setRequiredRetention } from "@/lib/coverage/set-required-retention";

// PUT /api/v1/coverage/settings - change the organisation's required retention in days (admin)
export const PUT = userRoute("PUT /api/v1/coverage/settings", async ({ ctx, body }) => setRequiredRetention({ ctx, input: body }));
