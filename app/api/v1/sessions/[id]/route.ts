import { userRoute } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { getSession } from "@/lib/sessions/get-session";
import { recordView } from "@/lib/audit/record-view";

// GET /api/v1/sessions/{id} - one session: the four answers, credential chain, links, events with raw records and proofs
export const GET = userRoute("GET /api/v1/sessions/[id]", async ({ ctx, params: { id }, query }) => {
  const session = await getSession({ id, ...query });
  if (!session) throw new AppError("NOT_FOUND", "No such session. It may have been regrouped by a later correlation run.");
  await recordView({ ctx, type: "session", id: session.id });
  return session;
});
