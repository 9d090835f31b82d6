import { userRoute } from "@/lib/api/handler";
import { updateUser } from "@/lib/users/update-user";

// PATCH /api/v1/users/{id} - change role, name, password or disabled (admin)
export const PATCH = userRoute("PATCH /api/v1/users/[id]", async ({ ctx, params: { id }, body }) => updateUser({ ctx, id, input: body }));
