import { userRoute } from "@/lib/api/handler";
import { listSessions } from "@/lib/sessions/list-sessions";

// GET /api/v1/sessions - list sessions (filters, sort, offset pagination with the total)
export const GET = userRoute("GET /api/v1/sessions", async ({ query }) => listSessions(query));
