import { db } from "@/lib/db";
import { env } from "@/lib/env";

// Login throttling: after SESSIONPROOF_LOGIN_MAX_FAILURES failed attempts for one account or from one
// address within SESSIONPROOF_LOGIN_WINDOW_MINUTES, further attempts are refused until the window has passed.
export type ThrottleVerdict = { blocked: false } | { blocked: true; retryAfterMinutes: number; scope: "account" | "address" };

function keys(email: string, ip: string | null): { account: string; address: string | null } {
  return { account: `email:${email.toLowerCase()}`, address: ip ? `ip:${ip}` : null };
}

export async function checkLoginThrottle(email: string, ip: string | null): Promise<ThrottleVerdict> {
  const { SESSIONPROOF_LOGIN_MAX_FAILURES: max, SESSIONPROOF_LOGIN_WINDOW_MINUTES: minutes } = env();
  const since = new Date(Date.now() - minutes * 60_000);
  const k = keys(email, ip);
  // The address limit is wider than the account limit: many people may share one NAT address.
  const checks: Array<{ key: string; limit: number; scope: "account" | "address" }> = [{ key: k.account, limit: max, scope: "account" }];
  if (k.address) checks.push({ key: k.address, limit: max * 4, scope: "address" });
  for (const c of checks) {
    const failures = await db().loginAttempt.findMany({
      where: { key: c.key, succeeded: false, at: { gte: since } },
      orderBy: { at: "asc" },
      select: { at: true },
    });
    if (failures.length >= c.limit) {
      const oldestCounted = failures[failures.length - c.limit].at.getTime();
      const retryAfterMinutes = Math.max(1, Math.ceil((oldestCounted + minutes * 60_000 - Date.now()) / 60_000));
      return { blocked: true, retryAfterMinutes, scope: c.scope };
    }
  }
  return { blocked: false };
}

export async function recordLoginAttempt(email: string, ip: string | null, succeeded: boolean): Promise<void> {
  const k = keys(email, ip);
  const rows = [{ key: k.account, succeeded }];
  if (k.address) rows.push({ key: k.address, succeeded });
  await db().loginAttempt.createMany({ data: rows });
  if (succeeded) {
    // A successful sign-in clears the account's failure history.
    await db().loginAttempt.deleteMany({ where: { key: k.account, succeeded: false } });
  }
}

export function throttleMessage(v: Extract<ThrottleVerdict, { blocked: true }>): string {
  const what = v.scope === "account" ? "for this account" : "from your network address";
  return `Too many failed sign-in attempts ${what}. Try again in ${v.retryAfterMinutes} minute${v.retryAfterMinutes === 1 ? "" : "s"}.`;
}
