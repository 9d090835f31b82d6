import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { hashPassword } from "@/lib/auth/passwords";
import { recordAudit } from "@/lib/audit/record-audit";
import type { RequestContext } from "@/lib/context/request-context";
import type { CreateUserInput } from "./create-user.types";
import type { UserDto } from "./types";
import { toUserDto } from "./user-dto";

// `input` is parsed by createUserInput (the route contract, or the caller); the email must still be free.
export async function createUser({ ctx, input: data }: { ctx: RequestContext; input: CreateUserInput }): Promise<UserDto> {
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
