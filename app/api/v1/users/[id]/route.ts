import { z } from "zod";
import { userRoute, readJson } from "@/lib/api/handler";
import { updateUser } from "@/lib/users/update-user";

const params = z.object({ id: z.uuid("Not a user id.") });

// PATCH /api/v1/users/{id} - change role, name, password or disabled (admin)
export const PATCH = userRoute<{ id: string }>("PATCH /api/v1/users/[id]", async ({ req, ctx, params: p }) => {
  const { id } = params.parse(p);
  return updateUser({
    id,
    input: (await readJson(req)) as never,
    ctx,
  });
});
