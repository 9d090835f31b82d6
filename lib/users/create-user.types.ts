import { z } from "zod";
import { ROLES } from "@/lib/auth/permissions";
import { newPassword, passwordProblem } from "@/lib/auth/password-policy";
import { userDto } from "./types";

export const createUserInput = z
  .object({
    email: z.email("Enter a valid email address.").transform((e) => e.toLowerCase()),
    name: z.string().trim().max(200).optional(),
    role: z.enum(ROLES, { message: `Role must be one of ${ROLES.join(", ")}.` }),
    password: newPassword,
  })
  // The rule that needs the account's email (the password must not be it), once the others have passed.
  .superRefine((v, ctx) => {
    const problem = passwordProblem(v.password) ? null : passwordProblem(v.password, v.email);
    if (problem) ctx.addIssue({ code: "custom", path: ["password"], message: problem });
  });
export type CreateUserInput = z.output<typeof createUserInput>;

// POST /api/v1/users: 201 with the new user (Location: /api/v1/users/{id}).
export const createUserContract = { body: createUserInput, response: userDto, created: true } as const;
