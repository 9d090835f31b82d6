import { userRoute } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { getIdentity } from "@/lib/sessions/get-identity";
import { recordView } from "@/lib/audit/record-view";

// GET /api/v1/identities/{id} - one identity: aliases with merge rules, sessions across platforms, credentials
export const GET = userRoute("GET /api/v1/identities/[id]", async ({ ctx, params: { id } }) => {
  const identity = await getIdentity({ id });
  if (!identity) throw new AppError("NOT_FOUND", "No such identity. It may have been merged into another by a later correlation run.");
  await recordView({ ctx, type: "identity", id: identity.id });
  return identity;
});
