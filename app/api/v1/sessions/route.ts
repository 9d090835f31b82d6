import { userRoute } from "@/lib/api/handler";
import { listSessions } from "@/lib/sessions/list-sessions";
import { sessionsQuery } from "@/lib/sessions/types";

// GET /api/v1/sessions - list sessions (filters, sort, offset pagination with the total)
export const GET = userRoute("GET /api/v1/sessions", async ({ req }) => {
  const q = sessionsQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  return listSessions(q);
});
