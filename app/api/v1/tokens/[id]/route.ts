import { z } from "zod";
import { userRoute } from "@/lib/api/handler";
import { revokeApiToken } from "@/lib/tokens/api-tokens";

const params = z.object({ id: z.uuid("Not a token id.") });

// DELETE /api/v1/tokens/{id} - revoke a push token (kept, marked revoked)
export const DELETE = userRoute<{ id: string }>("DELETE /api/v1/tokens/[id]", async ({ ctx, params: p }) =>
  revokeApiToken({
    id: params.parse(p).id,
    ctx,
  }),
);
