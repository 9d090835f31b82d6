import { userRoute } from "@/lib/api/handler";
import { created, wholeList } from "@/lib/api/responses";
import { listUsers } from "@/lib/users/list-users";
import { createUser } from "@/lib/users/create-user";

// GET /api/v1/users - list users (admin)
export const GET = userRoute("GET /api/v1/users", async () => wholeList(await listUsers()));

// POST /api/v1/users - create a local user (admin)
export const POST = userRoute("POST /api/v1/users", async ({ ctx, body }) => {
  const user = await createUser({ ctx, input: body });
  return created(user, `/api/v1/users/${user.id}`);
});
