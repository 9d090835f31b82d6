import { z } from "zod";
import { ROLES } from "@/lib/auth/permissions";

// What the API and UI may see of a user, as a zod schema with its type (no server imports: client components
// import this module). The input schemas sit in create-user.types.ts and update-user.types.ts.

/** What the API and UI may see of a user: never the password hash. */
export const userDto = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: z.enum(ROLES),
  authProvider: z.string(),
  disabled: z.boolean(),
  createdAt: z.string(),
  lastLoginAt: z.string().nullable(),
});
export type UserDto = z.infer<typeof userDto>;
