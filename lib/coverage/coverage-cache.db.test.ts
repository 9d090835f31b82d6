import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { getCoverage } from "./get-coverage";

// getCoverage keeps its aggregate in analytics_cache under the analytics_change stamp. A load with nothing changed
// must be served from the cache (proved by planting a marker in the cached value), and every kind of write to the
// tables it reads (insert, update, delete of events, a governance check, an identity's kind) must be seen at once.

const SOURCE = crypto.randomUUID();
let raw = 1;

async function addEvent(
  platform: string,
  fields: { srcIp?: string | null; identityId?: string | null; data?: object } = {},
): Promise<string> {
  const { rows } = await pool().query<{ id: string }>(
    `INSERT INTO event ("sourceId", "rawRecordId", platform, time, "classUid", "className", activity, "srcIp", "identityId", data)
     VALUES ($1, $2, $3, '2025-02-01T00:00:00Z', 3002, 'Authentication', 'logon', $4, $5, $6) RETURNING id`,
    [SOURCE, raw++, platform, fields.srcIp ?? null, fields.identityId ?? null, JSON.stringify(fields.data ?? {})],
  );
  return rows[0].id;
}

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
      `UPDATE analytics_cache SET value = (SELECT json_agg(jsonb_set(r::jsonb, '{events}', '"77"')) FROM json_array_elements(value) r) WHERE name = 'coverage'`,
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
    const idn = crypto.randomUUID();
    await pool().query(`INSERT INTO identity (id, kind, "displayName") VALUES ($1, 'unknown', 'x')`, [idn]);
    await addEvent("slack", { identityId: idn });
    expect(await fieldOf("slack", "actor_kind")).toBe(0);
    await pool().query(`UPDATE identity SET kind = 'human' WHERE id = $1`, [idn]);
    expect(await fieldOf("slack", "actor_kind")).toBe(1);

    // A governance check tying an event to a ticket.
    await pool().query(
      `INSERT INTO governance_check (id, "eventId", platform, time, action, category, "approvalRef", status, reasons)
       VALUES ($1, $2, 'github', now(), 'x', 'admin_role_change', 'CHG1', 'ok', '[]')`,
      [crypto.randomUUID(), a],
    );
    expect(await fieldOf("github", "approval_ref")).toBe(1);

    // Delete.
    await pool().query(`DELETE FROM governance_check`);
    await pool().query(`DELETE FROM event WHERE platform = 'slack'`);
    expect(await eventsOf("slack")).toBe(0);
    expect(await fieldOf("github", "approval_ref")).toBe(0);
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
