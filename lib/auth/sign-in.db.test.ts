import bcrypt from "bcryptjs";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { testContext } from "@/lib/context/testing";
import { createUser } from "@/lib/users/create-user";
import { createUserInput } from "@/lib/users/create-user.types";
import { signInWithPassword } from "./sign-in";
import { SIGN_IN_ERRORS } from "./sign-in-errors";

const admin = testContext({ email: "root@example.test", role: "admin" });

async function owner(email: string) {
  const password = "owner-correct-passphrase-4";
  const u = await createUser({ ctx: admin, input: createUserInput.parse({ email, role: "analyst", password }) });
  return { ...u, password };
}

/** One sign-in; the per-account delay is recorded instead of waited for. */
async function attempt(email: string, password: string, ip: string, waits: number[] = []) {
  return signInWithPassword({
    credentials: { email, password },
    client: { ip, userAgent: "vitest" },
    wait: async (ms: number) => void waits.push(ms),
  });
}

const outcome = (r: PromiseSettledResult<unknown>) =>
  r.status === "fulfilled" ? "signed in" : (r.reason as Error).message === SIGN_IN_ERRORS.CredentialsSignin ? "checked" : "throttled";

describe("sign-in throttling", () => {
  it("40 parallel guesses from one address at a limit of 5: at most 5 reach the password check", async () => {
    const u = await owner("target@example.test");
    const results = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => attempt(u.email, `guess-number-${i}`, "203.0.113.9")));
    const counts = { checked: 0, throttled: 0, "signed in": 0 };
    for (const r of results) counts[outcome(r)]++;
    expect(counts["signed in"]).toBe(0);
    expect(counts.checked).toBeLessThanOrEqual(5);
    expect(counts.checked + counts.throttled).toBe(40);
    const wrong = await db().auditLog.count({
      where: { action: "auth.sign_in_failed", details: { path: ["reason"], equals: "bad_credentials" } },
    });
    expect(wrong).toBe(counts.checked);
  });

  it("guesses from other addresses cannot lock the owner out: they slow the account down, the right password still works", async () => {
    const u = await owner("victim@example.test");
    // An attacker spreads 10 guesses over 2 addresses (5 each, the most one address may try for one account).
    for (let a = 0; a < 2; a++) {
      for (let i = 0; i < 5; i++) await expect(attempt(u.email, `guess-${a}-${i}`, `198.51.100.${a + 1}`)).rejects.toThrow();
    }
    const waits: number[] = [];
    const signedIn = await attempt(u.email, u.password, "192.0.2.44", waits);
    expect(signedIn.id).toBe(u.id);
    // The owner waited (the per-account delay), but boundedly.
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(0);
    expect(waits[0]).toBeLessThanOrEqual(10_000);
    expect(await db().auditLog.count({ where: { actorId: u.id, action: "auth.sign_in" } })).toBe(1);
  });

  it("one address that keeps failing for an account is refused there, even with the right password, and nowhere else", async () => {
    const u = await owner("sam@example.test");
    for (let i = 0; i < 5; i++)
      await expect(attempt(u.email, `wrong-${i}`, "203.0.113.50")).rejects.toThrow(SIGN_IN_ERRORS.CredentialsSignin);
    await expect(attempt(u.email, u.password, "203.0.113.50")).rejects.toThrow(
      /^Too many failed sign-in attempts for this account from your network address\. Try again in 1[45] minutes\.$/,
    );
    expect((await attempt(u.email, u.password, "203.0.113.51")).id).toBe(u.id);
  });

  it("one address guessing across many accounts backs off, then is refused for every account", async () => {
    const waits: number[] = [];
    for (let i = 0; i < 20; i++) {
      await expect(attempt(`spray${i}@example.test`, "Winter2026!winter", "203.0.113.77", waits)).rejects.toThrow(
        SIGN_IN_ERRORS.CredentialsSignin,
      );
    }
    // The first 10 go at once, the next 10 wait longer and longer: the address backs off.
    expect(waits).toHaveLength(10);
    expect(waits.every((w, i) => w > 0 && w <= 10_000 && (i === 0 || w >= waits[i - 1]))).toBe(true);
    expect(waits[0]).toBeLessThan(waits[9]);
    const u = await owner("fresh@example.test");
    await expect(attempt(u.email, u.password, "203.0.113.77")).rejects.toThrow(
      /^Too many failed sign-in attempts from your network address\. Try again in 1[45] minutes\.$/,
    );
    expect((await attempt(u.email, u.password, "203.0.113.78")).id).toBe(u.id);
  });
});

describe("password hashes at sign-in", () => {
  it("a bcrypt hash from before still signs in, and is replaced by argon2id on that sign-in", async () => {
    const u = await owner("legacy@example.test");
    await db().user.update({ where: { id: u.id }, data: { passwordHash: await bcrypt.hash(u.password, 4) } });
    expect((await attempt(u.email, u.password, "192.0.2.90")).id).toBe(u.id);
    const row = await db().user.findUniqueOrThrow({ where: { id: u.id } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    // The same password works against the new hash; the session version is untouched (same password).
    expect((await attempt(u.email, u.password, "192.0.2.90")).id).toBe(u.id);
    expect(row.sessionVersion).toBe(0);
    await expect(attempt(u.email, "not-the-password-1", "192.0.2.90")).rejects.toThrow(SIGN_IN_ERRORS.CredentialsSignin);
  });
});
