import { z } from "zod";
import { PERMISSIONS, ROLES, type Permission } from "@/lib/auth/permissions";

// GET /api/v1/me: the signed-in user and the permissions of their role.
export const getProfileContract = {
  response: z.object({
    id: z.string(),
    email: z.string(),
    name: z.string().nullable(),
    role: z.enum(ROLES),
    permissions: z.array(z.enum(Object.keys(PERMISSIONS) as [Permission, ...Permission[]])),
  }),
};
