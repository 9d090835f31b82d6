import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { hashPassword, passwordProblem } from "@/lib/auth/passwords";
import { recordAudit } from "@/lib/audit/record-audit";
import { actorUserId, type RequestContext } from "@/lib/context/request-context";
import type { UserDto } from "./types";
import type { UpdateUserInput } from "./update-user.types";
import { toUserDto } from "./user-dto";

// `input` is parsed by updateUserInput (the route contract, or the caller). At least one active administrator
// remains, and nobody removes their own administrator access.
export async function updateUser({ ctx, id, input: data }: { ctx: RequestContext; id: string; input: UpdateUserInput }): Promise<UserDto> {
  return db().$transaction(async (tx) => {
    // Lock the admin rows so two concurrent demotions cannot leave the system without an active admin.
    await tx.$queryRaw`SELECT id FROM "app_user" WHERE role = 'admin' FOR UPDATE`;
    const before = await tx.user.findUnique({ where: { id } });
    if (!before) throw new AppError("NOT_FOUND", "No such user.");
    const losesAdmin = before.role === "admin" && !before.disabled && ((data.role && data.role !== "admin") || data.disabled === true);
    if (losesAdmin) {
      if (id === actorUserId(ctx)) {
        throw new AppError("CONFLICT", "You cannot remove your own administrator access; ask another administrator.");
      }
      const otherAdmins = await tx.user.count({ where: { role: "admin", disabled: false, id: { not: id } } });
      if (otherAdmins === 0) throw new AppError("CONFLICT", "At least one active administrator must remain.");
    }
    if (data.password !== undefined && before.authProvider !== "local") {
      throw new AppError("CONFLICT", "This user signs in with single sign-on; its password is managed there.");
    }
    const problem = data.password !== undefined ? passwordProblem(data.password, before.email) : null;
    if (problem) throw new AppError("VALIDATION", problem, { password: [problem] });
    // A new password, a changed role or disabling ends the user's sessions (lib/auth/guard.ts): a session
    // signed in with the old password, or by someone since shut out, does not outlive the change.
    const endsSessions =
      data.password !== undefined || (data.role !== undefined && data.role !== before.role) || (data.disabled === true && !before.disabled);
    const after = await tx.user.update({
      where: { id },
      data: {
        role: data.role,
        disabled: data.disabled,
        name: data.name,
        passwordHash: data.password !== undefined ? await hashPassword(data.password) : undefined,
        ...(endsSessions ? { sessionVersion: { increment: 1 } } : {}),
      },
    });
    const pick = (u: typeof before) => ({ role: u.role, disabled: u.disabled, name: u.name });
    const changedPassword = data.password !== undefined;
    await recordAudit(
      {
        ctx,
        resourceType: "user",
        resourceId: id,
        details: {
          type: "user.updated",
          before: pick(before),
          after: { ...pick(after), ...(changedPassword ? { passwordChanged: true } : {}) },
        },
      },
      tx,
    );
    return toUserDto(after);
  });
}
