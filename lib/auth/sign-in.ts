import { z } from "zod";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/record-audit";
import { forSignIn } from "@/lib/context/request-context";
import { verifyPassword } from "./passwords";
import { checkLoginThrottle, recordLoginAttempt, throttleMessage } from "./throttle";
import { SIGN_IN_ERRORS } from "./sign-in-errors";
import type { ClientInfo } from "./request-info";
import type { Role } from "./permissions";

const credentialsInput = z.object({ email: z.email(), password: z.string().min(1).max(200) });

/** What a successful sign-in hands to next-auth (its jwt callback puts it into the session token). */
export type SignedInUser = { id: string; email: string; name: string | null; role: Role; sessionVersion: number };

/**
 * A sign-in with email and password (next-auth's credentials provider calls it): throttled, audited, and refused
 * with an Error whose message the sign-in page shows.
 */
export async function signInWithPassword({ credentials, client }: { credentials: unknown; client: ClientInfo }): Promise<SignedInUser> {
  const parsed = credentialsInput.safeParse(credentials);
  if (!parsed.success) throw new Error(SIGN_IN_ERRORS.CredentialsSignin);
  const email = parsed.data.email.toLowerCase();
  const { ip, userAgent: ua } = client;
  const verdict = await checkLoginThrottle(email, ip);
  if (verdict.blocked) {
    await recordAudit({
      ctx: forSignIn({ email, ip, userAgent: ua }),
      details: { type: "auth.sign_in_failed", provider: "credentials", email, reason: "throttled" },
    });
    throw new Error(throttleMessage(verdict));
  }
  const user = await db().user.findUnique({ where: { email } });
  const ok = await verifyPassword(parsed.data.password, user?.authProvider === "local" ? user.passwordHash : null);
  if (!ok || !user) {
    await recordLoginAttempt(email, ip, false);
    await recordAudit({
      ctx: forSignIn({ email, ip, userAgent: ua }),
      details: { type: "auth.sign_in_failed", provider: "credentials", email, reason: "bad_credentials" },
    });
    throw new Error(SIGN_IN_ERRORS.CredentialsSignin);
  }
  if (user.disabled) {
    await recordAudit({
      ctx: forSignIn({ id: user.id, email, ip, userAgent: ua }),
      details: { type: "auth.sign_in_failed", provider: "credentials", email, reason: "disabled" },
    });
    throw new Error(SIGN_IN_ERRORS.Disabled);
  }
  await recordLoginAttempt(email, ip, true);
  await db().$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
    await recordAudit(
      { ctx: forSignIn({ id: user.id, email, ip, userAgent: ua }), details: { type: "auth.sign_in", provider: "credentials" } },
      tx,
    );
  });
  return { id: user.id, email: user.email, name: user.name, role: user.role, sessionVersion: user.sessionVersion };
}
