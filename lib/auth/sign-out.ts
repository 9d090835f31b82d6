import type { JWT } from "next-auth/jwt";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/record-audit";
import { forSignIn } from "@/lib/context/request-context";
import type { ClientInfo } from "./request-info";

/**
 * Sign-out with JWT sessions: the cookie is cleared, but a copy of it would stay valid until it expires. Moving the
 * user's session version on ends every session signed in before (lib/auth/guard.ts), on every device. Only a current
 * session's sign-out does so, so that an old, already ended cookie cannot be used to sign the user out again and again.
 */
export async function endSessionsOnSignOut({ token, client }: { token: JWT | null; client: ClientInfo }): Promise<boolean> {
  const id = token?.uid;
  if (!id || typeof token.sv !== "number") return false;
  return db().$transaction(async (tx) => {
    const ended = await tx.user.updateMany({ where: { id, sessionVersion: token.sv }, data: { sessionVersion: { increment: 1 } } });
    if (ended.count === 0) return false;
    const email = typeof token.email === "string" ? token.email : "";
    await recordAudit({ ctx: forSignIn({ id, email, ...client }), details: { type: "auth.sign_out" } }, tx);
    return true;
  });
}
