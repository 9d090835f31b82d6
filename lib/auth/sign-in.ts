import { z } from "zod";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/record-audit";
import { forSignIn } from "@/lib/context/request-context";
import { hashPassword, needsRehash, verifyPassword } from "./passwords";
import { beginLoginAttempt, finishLoginAttempt, throttleMessage } from "./throttle";
import { SIGN_IN_ERRORS } from "./sign-in-errors";
import type { ClientInfo } from "./request-info";
import type { Role } from "./permissions";

const credentialsInput = z.object({ email: z.email(), password: z.string().min(1).max(200) });

/** What a successful sign-in hands to next-auth (its jwt callback puts it into the session token). */
type SignedInUser = { id: string; email: string; name: string | null; role: Role; sessionVersion: number };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A sign-in with email and password (next-auth's credentials provider calls it): throttled (lib/auth/throttle.ts),
 * audited, and refused with an Error whose message the sign-in page shows. `wait` serves the throttle's delay
 * (tests pass one that records it).
 */
export async function signInWithPassword({
  credentials,
  client,
  wait = sleep,
}: {
  credentials: unknown;
  client: ClientInfo;
  wait?: (ms: number) => Promise<void>;
}): Promise<SignedInUser> {
  const parsed = credentialsInput.safeParse(credentials);
  if (!parsed.success) throw new Error(SIGN_IN_ERRORS.CredentialsSignin);
  const email = parsed.data.email.toLowerCase();
  const { ip, userAgent: ua } = client;
  const verdict = await beginLoginAttempt(email, ip);
  if (verdict.blocked) {
    await recordAudit({
      ctx: forSignIn({ email, ip, userAgent: ua }),
      details: { type: "auth.sign_in_failed", provider: "credentials", email, reason: "throttled" },
    });
    throw new Error(throttleMessage(verdict));
  }
  // From here the attempt counts as a failure until the password proves right.
  if (verdict.delayMs > 0) await wait(verdict.delayMs);
  const user = await db().user.findUnique({ where: { email } });
  const ok = await verifyPassword(parsed.data.password, user?.authProvider === "local" ? user.passwordHash : null);
  if (!ok || !user) {
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
  await finishLoginAttempt(verdict.attempt);
  // A bcrypt hash from before argon2id is replaced now that the password is known (existing hashes keep working).
  const rehashed = needsRehash(user.passwordHash) ? await hashPassword(parsed.data.password) : undefined;
  await db().$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date(), passwordHash: rehashed } });
    await recordAudit(
      { ctx: forSignIn({ id: user.id, email, ip, userAgent: ua }), details: { type: "auth.sign_in", provider: "credentials" } },
      tx,
    );
  });
  return { id: user.id, email: user.email, name: user.name, role: user.role, sessionVersion: user.sessionVersion };
}
