import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { checkLoginThrottle, recordLoginAttempt, throttleMessage } from "./throttle";

describe("login throttling", () => {
  it("blocks an account after 5 failures in the window, with the minutes to wait", async () => {
    for (let i = 0; i < 4; i++) await recordLoginAttempt("eve@example.test", "10.0.0.1", false);
    expect(await checkLoginThrottle("eve@example.test", "10.0.0.1")).toEqual({ blocked: false });
    await recordLoginAttempt("EVE@example.test", "10.0.0.2", false);
    const v = await checkLoginThrottle("eve@example.test", "10.0.0.3");
    expect(v).toMatchObject({ blocked: true, scope: "account" });
    if (!v.blocked) throw new Error("unreachable");
    expect(v.retryAfterMinutes).toBeGreaterThanOrEqual(14);
    expect(v.retryAfterMinutes).toBeLessThanOrEqual(15);
    expect(throttleMessage(v)).toMatch(/^Too many failed sign-in attempts for this account\. Try again in 1[45] minutes\.$/);
  });

  it("forgets failures older than the window", async () => {
    const old = new Date(Date.now() - 16 * 60_000);
    await db().loginAttempt.createMany({
      data: Array.from({ length: 10 }, () => ({ key: "email:old@example.test", succeeded: false, at: old })),
    });
    expect(await checkLoginThrottle("old@example.test", null)).toEqual({ blocked: false });
  });

  it("limits one address more loosely than one account (people share NAT addresses)", async () => {
    for (let i = 0; i < 19; i++) await recordLoginAttempt(`user${i}@example.test`, "192.0.2.7", false);
    expect(await checkLoginThrottle("fresh@example.test", "192.0.2.7")).toEqual({ blocked: false });
    await recordLoginAttempt("user19@example.test", "192.0.2.7", false);
    expect(await checkLoginThrottle("fresh@example.test", "192.0.2.7")).toMatchObject({ blocked: true, scope: "address" });
    expect(await checkLoginThrottle("fresh@example.test", "192.0.2.8")).toEqual({ blocked: false });
  });

  it("clears an account's failures after a successful sign-in", async () => {
    for (let i = 0; i < 4; i++) await recordLoginAttempt("sam@example.test", "10.1.0.1", false);
    await recordLoginAttempt("sam@example.test", "10.1.0.1", true);
    await recordLoginAttempt("sam@example.test", "10.1.0.1", false);
    expect(await checkLoginThrottle("sam@example.test", "10.1.0.9")).toEqual({ blocked: false });
  });
});
