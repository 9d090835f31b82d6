import { env } from "@/lib/env";
import { withTransaction } from "@/lib/db/transaction";

// Sign-in throttling, built so that guessing is slow and nobody can shut an account's owner out:
//  - one address, one account: after SESSIONPROOF_LOGIN_MAX_FAILURES failures in SESSIONPROOF_LOGIN_WINDOW_MINUTES,
//    that address is refused for that account until the window has passed (the owner elsewhere is not affected);
//  - one address, all accounts: attempts are delayed more and more once it has failed 2 x MAX times in the window
//    (backoff), and refused after 4 x MAX (a password spray; wider limits, because people share NAT addresses);
//  - one account, all addresses: failures delay every further attempt on the account (up to MAX_DELAY_MS), never
//    refuse it, so guesses spread over many addresses are slowed while the right password still gets in.
// The check and the record are one step: in a transaction holding an advisory lock on the address, the failures are
// counted and, unless a limit is reached, this attempt is recorded as a failure before the password is checked (it
// turns into a success afterwards). Parallel attempts therefore count each other: 40 at once from one address for
// one account let exactly MAX through. An unknown address (no peer address, see request-info.ts) counts as one
// shared address.

type ThrottleScope = "address" | "account_address";
/** The rows recording one attempt (as failures until finishLoginAttempt says otherwise). */
type LoginAttemptRecord = { ids: string[]; pairKey: string };
type ThrottleVerdict =
  { blocked: true; scope: ThrottleScope; retryAfterMinutes: number } | { blocked: false; attempt: LoginAttemptRecord; delayMs: number };
type LoginLimits = { maxFailures: number; windowMinutes: number };

/** How much wider the per-address limits (backoff, refusal) are than the per-account one. */
const ADDRESS_BACKOFF_FACTOR = 2;
const ADDRESS_FACTOR = 4;
const MAX_DELAY_MS = 10_000;

function currentLimits(): LoginLimits {
  const e = env();
  return { maxFailures: e.SESSIONPROOF_LOGIN_MAX_FAILURES, windowMinutes: e.SESSIONPROOF_LOGIN_WINDOW_MINUTES };
}

function keysFor(email: string, ip: string | null) {
  const account = email.toLowerCase();
  const address = ip ?? "unknown";
  return { account: `email:${account}`, address: `ip:${address}`, pair: `email+ip:${account} ${address}` };
}

/** The wait before an attempt after `failures` recent failures: none for the first `free`, then 1 s doubling to 10 s. */
export function backoffMs(failures: number, free: number): number {
  return failures < free ? 0 : Math.min(1000 * 2 ** (failures - free), MAX_DELAY_MS);
}

/** Checks the limits and, unless one is reached, records this attempt as a failure: one atomic step. */
export async function beginLoginAttempt(email: string, ip: string | null, limits: LoginLimits = currentLimits()): Promise<ThrottleVerdict> {
  const k = keysFor(email, ip);
  const max = limits.maxFailures;
  const limited: Array<{ key: string; limit: number; scope: ThrottleScope }> = [
    { key: k.pair, limit: max, scope: "account_address" },
    { key: k.address, limit: max * ADDRESS_FACTOR, scope: "address" },
  ];
  return withTransaction(
    async (c) => {
      const { rows } = await c.query<{ key: string; n: number; recent: Date[]; now: Date }>(
        `SELECT key, count(*)::int AS n, (array_agg(at ORDER BY at DESC))[1:$3::int] AS recent, now() AS now
           FROM login_attempt
          WHERE key = ANY($1::text[]) AND NOT succeeded AND at > now() - make_interval(mins => $2::int)
          GROUP BY key`,
        [[k.pair, k.address, k.account], limits.windowMinutes, max * ADDRESS_FACTOR],
      );
      const byKey = new Map(rows.map((r) => [r.key, r]));
      for (const { key, limit, scope } of limited) {
        const r = byKey.get(key);
        if (r && r.n >= limit) {
          // Allowed again when the limit-th most recent failure leaves the window.
          const until = r.recent[limit - 1].getTime() + limits.windowMinutes * 60_000;
          return { blocked: true, scope, retryAfterMinutes: Math.max(1, Math.ceil((until - r.now.getTime()) / 60_000)) };
        }
      }
      const inserted = await c.query<{ id: string }>(
        `INSERT INTO login_attempt (key, succeeded) SELECT unnest($1::text[]), false RETURNING id::text`,
        [[k.account, k.address, k.pair]],
      );
      const failures = (key: string) => byKey.get(key)?.n ?? 0;
      const delayMs = Math.max(backoffMs(failures(k.account), max), backoffMs(failures(k.address), max * ADDRESS_BACKOFF_FACTOR));
      return { blocked: false, attempt: { ids: inserted.rows.map((r) => r.id), pairKey: k.pair }, delayMs };
    },
    { lock: `login-throttle:${k.address}` },
  );
}

/**
 * The password was right: the attempt becomes a success and this address's failures for the account are forgotten.
 * The account's failures from elsewhere stay (they keep slowing a guesser down until they leave the window).
 */
export async function finishLoginAttempt(attempt: LoginAttemptRecord): Promise<void> {
  await withTransaction(async (c) => {
    await c.query(`UPDATE login_attempt SET succeeded = true WHERE id = ANY($1::bigint[])`, [attempt.ids]);
    await c.query(`DELETE FROM login_attempt WHERE key = $1 AND NOT succeeded`, [attempt.pairKey]);
  });
}

export function throttleMessage(v: Extract<ThrottleVerdict, { blocked: true }>): string {
  const what = v.scope === "account_address" ? "for this account from your network address" : "from your network address";
  return `Too many failed sign-in attempts ${what}. Try again in ${v.retryAfterMinutes} minute${v.retryAfterMinutes === 1 ? "" : "s"}.`;
}
