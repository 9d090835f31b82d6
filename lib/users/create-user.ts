import { z } from "zod";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { ROLES } from "@/lib/auth/permissions";
import { hashPassword, passwordProblem } from "@/lib/auth/passwords";
import { recordAudit } from "@/lib/audit/record-audit";
import type { RequestContext } from "@/lib/context/request-context";
import { toUserDto, type UserDto } from "./user-dto";

export const createUserInput = z
  .object({
    email: z.email("Enter a valid email address.").transform((e) => e.toLowerCase()),
    name: z.string().trim().max(200).optional(),
    role: z.enum(ROLES, { message: `Role must be one of ${ROLES.join(", ")}.` }),
    password: z.string().superRefine((p, ctx) => {
      const problem = passwordProblem(p);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  })
  // The rule that needs the account's email (the password must not be it), once the others have passed.
  .superRefine((v, ctx) => {
    const problem = passwordProblem(v.password) ? null : passwordProblem(v.password, v.email);
    if (problem) ctx.addIssue({ code: "custom", path: ["password"], message: problem });
  });
export type CreateUserInput = z.input<typeof createUserInput>;

export async function createUser({ ctx, input }: { ctx: RequestContext; input: CreateUserInput }): Promise<UserDto> {
  const data = createUserInput.parse(input);
  const existing = await db().user.findUnique({ where: { email: data.email } });
  if (existing) throw new AppError("CONFLICT", `A user with the email ${data.email} already exists.`);
  const passwordHash = await hashPassword(data.password);
  const user = await db().$transaction(async (tx) => {
    const created = await tx.user.create({
      data: { email: data.email, name: data.name || null, role: data.role, passwordHash, authProvider: "local" },
    });
    await recordAudit(
      {
        ctx,
        resourceType: "user",
        resourceId: created.id,
        details: { type: "user.created", email: created.email, role: created.role, provider: "local" },
      },
      tx,
    );
    return created;
  });
  return toUserDto(user);
}
