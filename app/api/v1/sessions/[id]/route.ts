import { z } from "zod";
import { userRoute } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { getSession } from "@/lib/sessions/get-session";
import { sessionDetailQuery } from "@/lib/sessions/types";
import { recordView } from "@/lib/audit/record-view";

const params = z.object({ id: z.guid({ message: "not a session id" }) });

// GET /api/v1/sessions/{id} - one session: the four answers, credential chain, links, events with raw records and proofs
export const GET = userRoute<{ id: string }>("GET /api/v1/sessions/[id]", async ({ req, ctx, params: p }) => {
  const { id } = params.parse(p);
  const q = sessionDetailQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  const session = await getSession({ id, ...q });
  if (!session) throw new AppError("NOT_FOUND", "No such session. It may have been regrouped by a later correlation run.");
  await recordView({ ctx, type: "session", id: session.id });
  return session;
});
