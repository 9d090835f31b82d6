import { userRoute } from "@/lib/api/handler";
import { listIdentities } from "@/lib/sessions/list-identities";
import { identitiesQuery } from "@/lib/sessions/types";

// GET /api/v1/identities - list identities (kind, name, email, platforms, sessions, last seen)
export const GET = userRoute("GET /api/v1/identities", async ({ req }) => {
  const q = identitiesQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  return listIdentities(q);
});
