import { userRoute } from "@/lib/api/handler";
import { can, PERMISSIONS, type Permission } from "@/lib/auth/permissions";

// GET /api/v1/me - the signed-in user and the permissions of their role
export const GET = userRoute("GET /api/v1/me", async ({ user }) => ({
  id: user.id,
  email: user.email,
  name: user.name,
  role: user.role,
  permissions: (Object.keys(PERMISSIONS) as Permission[]).filter((p) => can(user.role, p)),
}));
