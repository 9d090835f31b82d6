import { userRoute } from "@/lib/api/handler";
import { listIdentities } from "@/lib/sessions/list-identities";

// GET /api/v1/identities - list identities (kind, name, email, platforms, sessions, last seen)
export const GET = userRoute("GET /api/v1/identities", async ({ query }) => listIdentities(query));
