import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { backoffMs, beginLoginAttempt, finishLoginAttempt, throttleMessage } from "./throttle";

const limits = { maxFailures: 5, windowMinutes: 15 };
const fail = (email: string, ip: string | null) => beginLoginAttempt(email, ip, limits);

describe("login throttling", () => {
  it("40 parallel attempts at a limit of 5 for one account from one address: exactly 5 get through", async () => {
    const verdicts = await Promise.all(Array.from({ length: 40 }, () => fail("eve@example.test", "10.0.0.1")));
    expect(verdicts.filter((v) => !v.blocked)).toHaveLength(5);
    expect(await db().loginAttempt.count({ where: { key: "email+ip:eve@example.test 10.0.0.1", succeeded: false } })).toBe(5);
  });

  it("refuses an address for an account after 5 failures, with the minutes to wait; the account stays open elsewhere", async () => {
    for (let i = 0; i < 5; i++)
      expect(await fail(i % 2 ? "ADA@example.test" : "ada@example.test", "10.0.0.5")).toMatchObject({ blocked: false });
    const v = await fail("ada@example.test", "10.0.0.5");
    expect(v).toMatchObject({ blocked: true, scope: "account_address" });
    if (!v.blocked) throw new Error("unreachable");
    expect(v.retryAfterMinutes).toBeGreaterThanOrEqual(14);
    expect(v.retryAfterMinutes).toBeLessThanOrEqual(15);
    expect(throttleMessage(v)).toMatch(
      /^Too many failed sign-in attempts for this account from your network address\. Try again in 1[45] minutes\.$/,
    );
    // Elsewhere the account is slowed down, not shut.
    expect(await fail("ada@example.test", "10.0.0.6")).toMatchObject({ blocked: false, delayMs: 1000 });
  });

  it("forgets failures older than the window", async () => {
    const old = new Date(Date.now() - 16 * 60_000);
    const keys = ["email:old@example.test", "ip:10.9.9.9", "email+ip:old@example.test 10.9.9.9"];
    await db().loginAttempt.createMany({
      data: keys.flatMap((key) => Array.from({ length: 30 }, () => ({ key, succeeded: false, at: old }))),
    });
    expect(await fail("old@example.test", "10.9.9.9")).toMatchObject({ blocked: false, delayMs: 0 });
  });

  it("limits one address more loosely than one account (people share NAT addresses), and delays it before that", async () => {
    const delays: number[] = [];
    for (let i = 0; i < 20; i++) {
      const v = await fail(`user${i}@example.test`, "192.0.2.7");
      if (v.blocked) throw new Error(`blocked at ${i}`);
      delays.push(v.delayMs);
    }
    expect(delays).toEqual([...Array(10).fill(0), 1000, 2000, 4000, 8000, ...Array(6).fill(10_000)]);
    expect(await fail("fresh@example.test", "192.0.2.7")).toMatchObject({ blocked: true, scope: "address" });
    expect(await fail("fresh@example.test", "192.0.2.8")).toMatchObject({ blocked: false, delayMs: 0 });
  });

  it("a success forgets this address's failures for the account, not the account's failures from elsewhere", async () => {
    for (let i = 0; i < 4; i++) await fail("sam@example.test", "10.1.0.1");
    await fail("sam@example.test", "10.1.0.2");
    const ok = await fail("sam@example.test", "10.1.0.1");
    if (ok.blocked) throw new Error("unreachable");
    expect(ok.delayMs).toBe(1000);
    await finishLoginAttempt(ok.attempt);
    expect(await db().loginAttempt.count({ where: { key: "email+ip:sam@example.test 10.1.0.1", succeeded: false } })).toBe(0);
    // 5 failures of the account remain (4 from .1, 1 from .2): the next attempt anywhere still waits.
    expect(await fail("sam@example.test", "10.1.0.1")).toMatchObject({ blocked: false, delayMs: 1000 });
  });

  it("attempts whose address is unknown share one address", async () => {
    for (let i = 0; i < 20; i++) await fail(`nobody${i}@example.test`, null);
    expect(await fail("someone@example.test", null)).toMatchObject({ blocked: true, scope: "address" });
  });

  it("backoff: free, then 1 s doubling, capped at 10 s", () => {
    expect([0, 4, 5, 6, 7, 8, 9, 50].map((f) => backoffMs(f, 5))).toEqual([0, 0, 1000, 2000, 4000, 8000, 10_000, 10_000]);
  });
});
