import { userRoute, readJson } from "@/lib/api/handler";
import { listUsers } from "@/lib/users/list-users";
import { createUser } from "@/lib/users/create-user";

// GET /api/v1/users - list users (admin)
export const GET = userRoute("GET /api/v1/users", async () => listUsers());

// POST /api/v1/users - create a local user (admin)
export const POST = userRoute("POST /api/v1/users", async ({ req, ctx }) => {
  const created = await createUser({
    input: (await readJson(req)) as never,
    ctx,
  });
  return Response.json(created, { status: 201 });
});
