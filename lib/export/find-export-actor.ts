import { can, type Role } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

// Who the command line exports as: the export is recorded in the case history under a user, so the CLI needs one.
// Given an email, that user (enabled, with cases.export); otherwise the first enabled administrator.
export async function findExportActor({ email }: { email?: string }): Promise<{ id: string; email: string; role: Role }> {
  const u = email
    ? await db().user.findFirst({ where: { email: email.trim().toLowerCase() } })
    : await db().user.findFirst({ where: { role: "admin", disabled: false }, orderBy: { createdAt: "asc" } });
  if (!u) {
    throw new AppError(
      "NOT_FOUND",
      email
        ? `No user ${email}. Pass --as <email> of an existing user.`
        : "No administrator exists yet. Pass --as <email> of a user allowed to export cases.",
    );
  }
  if (u.disabled) throw new AppError("FORBIDDEN", `${u.email} is disabled; pass --as <email> of an enabled user.`);
  if (!can(u.role, "cases.export"))
    throw new AppError("FORBIDDEN", `${u.email} (${u.role}) may not export cases; use an analyst, auditor or administrator.`);
  return { id: u.id, email: u.email, role: u.role };
}
