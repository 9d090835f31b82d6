import { userRoute } from "@/lib/api/handler";
import { revokeApiToken } from "@/lib/tokens/api-tokens";

// DELETE /api/v1/tokens/{id} - revoke a push token (kept, marked revoked)
export const DELETE = userRoute("DELETE /api/v1/tokens/[id]", async ({ ctx, params: { id } }) => revokeApiToken({ ctx, id }));
