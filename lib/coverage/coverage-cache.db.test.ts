import { describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { seedEvent, seedGovernanceCheck, seedIdentity } from "@/test/factories";
import { getCoverage } from "./get-coverage";
import { getLogRetention } from "./log-retention";

// getCoverage keeps its aggregate in analytics_cache under the analytics_change stamp. A load with nothing changed
// must be served from the cache (proved by planting a marker in the cached value), and every kind of write to the
// tables it reads (insert, update, delete of events, a governance check, an identity's kind) must be seen at once.

const addEvent = (platform: string, fields: { srcIp?: string; identityId?: string; data?: object } = {}) =>
  seedEvent({ platform, time: "2025-02-01T00:00:00Z", classUid: 3002, className: "Authentication", activity: "logon", ...fields });

const fieldOf = async (platform: string, field: string) =>
  (await getCoverage()).platforms.find((p) => p.platform === platform)!.fields.find((f) => f.field === field)!.filled;
const eventsOf = async (platform: string) => (await getCoverage()).platforms.find((p) => p.platform === platform)?.events ?? 0;

describe("coverage cache", () => {
  it("serves an unchanged database from the cache and sees every write at once", async () => {
    const a = await addEvent("github", { srcIp: "1.1.1.1" });
    await addEvent("github");
    expect(await eventsOf("github")).toBe(2);
    expect(await fieldOf("github", "ip")).toBe(1);

    // Plant a marker in the cached value (same stamp): the next load must return it, i.e. not rescan.
    await pool().query(
      `UPDATE analytics_cache SET value = (SELECT json_agg(jsonb_set(r::jsonb, '{events}', '"77"')) FROM json_array_elements(value) r) WHERE name = 'coverage-v3'`,
    );
    expect(await eventsOf("github")).toBe(77);

    // Insert: recomputed.
    await addEvent("github", { srcIp: "2.2.2.2" });
    expect(await eventsOf("github")).toBe(3);
    expect(await fieldOf("github", "ip")).toBe(2);

    // Update of an event column.
    await pool().query(`UPDATE event SET "srcIp" = NULL WHERE id = $1`, [a]);
    expect(await fieldOf("github", "ip")).toBe(1);

    // A json key named in the stored text is parsed; the same word elsewhere in the text does not count.
    await addEvent("github", { data: { policy: { engine: "opa", result: "deny" } } });
    await addEvent("github", { data: { note: 'no "policy" here', extra: { policy: { engine: "x" } } } });
    expect(await fieldOf("github", "policy_decision")).toBe(1);

    // An identity's kind (actor_kind counts a known kind).
    const idn = await seedIdentity({ kind: "unknown", displayName: "x" });
    await addEvent("slack", { identityId: idn });
    expect(await fieldOf("slack", "actor_kind")).toBe(0);
    await pool().query(`UPDATE identity SET kind = 'human' WHERE id = $1`, [idn]);
    expect(await fieldOf("slack", "actor_kind")).toBe(1);

    // A governance check tying an event to a ticket.
    await seedGovernanceCheck({
      eventId: a,
      platform: "github",
      time: new Date(),
      action: "x",
      category: "admin_role_change",
      approvalRef: "CHG1",
      status: "ok",
    });
    expect(await fieldOf("github", "approval_ref")).toBe(1);

    // Delete.
    await pool().query(`DELETE FROM governance_check`);
    await pool().query(`DELETE FROM event WHERE platform = 'slack'`);
    expect(await eventsOf("slack")).toBe(0);
    expect(await fieldOf("github", "approval_ref")).toBe(0);
  });

  it("keeps the retention check's event scan in the same cache", async () => {
    const heldOf = async () => (await getLogRetention()).rows.filter((r) => r.platform === "okta").reduce((n, r) => n + r.events, 0);
    const before = await heldOf();
    await seedEvent({ platform: "okta", time: "2025-03-01T00:00:00Z", classUid: 3002, className: "Authentication", activity: "logon" });
    expect(await heldOf()).toBe(before + 1);
    // Same stamp: the planted value is served, so the page load did not rescan.
    await pool().query(
      `UPDATE analytics_cache SET value = (SELECT json_agg(jsonb_set(r::jsonb, '{events}', '"500"')) FROM json_array_elements(value) r) WHERE name = 'log-retention'`,
    );
    expect(await heldOf()).toBe(500);
    await seedEvent({ platform: "okta", time: "2025-03-02T00:00:00Z", classUid: 3002, className: "Authentication", activity: "logon" });
    expect(await heldOf()).toBe(before + 2);
  });

  it("trims a long change log and still reports the current data", async () => {
    await pool().query(`INSERT INTO analytics_change ("tableName") SELECT 'event' FROM generate_series(1, 10001)`);
    const before = await eventsOf("github");
    expect(Number((await pool().query(`SELECT count(*) FROM analytics_change`)).rows[0].count)).toBe(0);
    expect(await eventsOf("github")).toBe(before);
    await addEvent("github");
    expect(await eventsOf("github")).toBe(before + 1);
  });
});
