import { db } from "@/lib/db";
import { generatePassword, hashPassword, passwordProblem } from "@/lib/auth/passwords";
import { recordAudit } from "@/lib/audit/record-audit";
import { system } from "@/lib/context/request-context";

export type BootstrapResult = { created: false } | { created: true; email: string; generatedPassword: string | null };

// First start: when no user exists, create an administrator from SESSIONPROOF_ADMIN_EMAIL /
// SESSIONPROOF_ADMIN_PASSWORD, or else admin@sessionproof.local with a generated password that the caller
// prints once. Nothing happens once any user exists.
export async function bootstrapAdmin({ email, password }: { email?: string; password?: string }): Promise<BootstrapResult> {
  const count = await db().user.count();
  if (count > 0) return { created: false };
  const finalEmail = (email ?? "admin@sessionproof.local").toLowerCase();
  const problem = password ? passwordProblem(password, finalEmail) : null;
  if (problem) throw new Error(`SESSIONPROOF_ADMIN_PASSWORD cannot be used: ${problem}`);
  const generated = password ? null : generatePassword();
  const passwordHash = await hashPassword(password ?? generated!);
  await db().$transaction(async (tx) => {
    const user = await tx.user.create({
      data: { email: finalEmail, name: "Administrator", role: "admin", passwordHash, authProvider: "local" },
    });
    await recordAudit(
      {
        ctx: system(),
        resourceType: "user",
        resourceId: user.id,
        details: { type: "user.created", email: finalEmail, role: "admin", provider: "local" },
      },
      tx,
    );
  });
  return { created: true, email: finalEmail, generatedPassword: generated };
}
