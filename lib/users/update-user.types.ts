import { z } from "zod";
import { ROLES } from "@/lib/auth/permissions";
import { newPassword } from "@/lib/auth/password-policy";
import { userDto } from "./types";

// The password is checked against the account's own email in updateUser, which reads it.
export const updateUserInput = z
  .object({
    role: z.enum(ROLES).optional(),
    disabled: z.boolean().optional(),
    name: z.string().trim().max(200).nullable().optional(),
    password: newPassword.optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "Nothing to change." });
export type UpdateUserInput = z.output<typeof updateUserInput>;

// PATCH /api/v1/users/{id}: the user as changed.
export const updateUserContract = { params: z.object({ id: z.uuid("Not a user id.") }), body: updateUserInput, response: userDto };
