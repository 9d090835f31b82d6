import { describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { seedEvent } from "@/test/factories";
import { getLogRetention } from "./log-retention";
import { getFrameworkStatus } from "@/lib/compliance/get-framework-status";

// Retention per platform and log type from crafted events: the vendor's table, our policy and the data held decide,
// and one platform keeping its evidence does not make the retention control sufficient.

const now = new Date();
const ago = (days: number) => new Date(now.getTime() - days * 86_400_000);
const at = (platform: string, time: Date, classUid = 3002, data: object = {}) =>
  seedEvent({ platform, time, classUid, className: classUid === 3002 ? "Authentication" : "Account Change", activity: "logon", data });

const retentionFact = async () =>
  (await getFrameworkStatus({ framework: "nist-csf-2.0" })).controls
    .find((c) => c.id === "PR.PS-04")!
    .evidence.find((e) => e.source === "coverage:retention")!;

describe("retention per log type", () => {
  it("okta kept 400 days and current is sufficient; the control needs every platform", async () => {
    await at("okta", ago(400));
    await at("okta", ago(1));
    let r = await getLogRetention({ now });
    expect(r.rows.find((x) => x.platform === "okta")).toMatchObject({
      logType: "system-log",
      status: "sufficient",
      weKeep: "forever (no policy)",
    });
    expect(r.platforms).toEqual([expect.objectContaining({ platform: "okta", status: "sufficient" })]);
    expect((await retentionFact()).population).toMatchObject({ numerator: 1, denominator: 1 });

    // Salesforce: EventLogFile stalled 10 days ago (vendor keeps 1 day at the lowest tier): a gap; its Setup Audit
    // Trail is held and current but short; LoginHistory is not ingested (listed, not judged).
    await at("salesforce", ago(400), 3002, { extra: { shape: "eventlogfile" } });
    await at("salesforce", ago(10), 3002, { extra: { shape: "eventlogfile" } });
    await at("salesforce", ago(20), 3001, { extra: { shape: "setup-audit-trail" } });
    await at("salesforce", ago(1), 3001, { extra: { shape: "setup-audit-trail" } });
    r = await getLogRetention({ now });
    const sf = (id: string) => r.rows.find((x) => x.platform === "salesforce" && x.logType === id)!;
    expect(sf("eventlogfile")).toMatchObject({ status: "gap", vendorDays: 1, events: 2 });
    // Export before: the newest event held plus the vendor's (shortest) days, per log type.
    expect(sf("eventlogfile").exportBy).toBe(new Date(ago(10).getTime() + 86_400_000).toISOString());
    expect(sf("login-history").exportBy).toBeNull();
    expect(sf("setup-audit-trail")).toMatchObject({ status: "short_history", vendorDays: 180 });
    expect(sf("login-history")).toMatchObject({ status: "not_ingested", events: 0 });
    expect(r.platforms.find((p) => p.platform === "salesforce")).toMatchObject({
      status: "gap",
      reason: expect.stringContaining("EventLogFile"),
    });
    // One of two platforms: the retention control is not sufficient (100% by default).
    const fact = await retentionFact();
    expect(fact.population).toMatchObject({ numerator: 1, denominator: 2, thresholdPct: 100 });
    expect(fact.status).toBe("partial");
  });

  it("our own policy shorter than required is a gap even when the vendor and the data would do", async () => {
    const src = await pool().query<{ id: string }>(
      `INSERT INTO source (id, platform, name) VALUES (gen_random_uuid(), 'okta', 'okta-short-policy') RETURNING id`,
    );
    await pool().query(`INSERT INTO retention_policy (id, "sourceId", days, "updatedAt") VALUES (gen_random_uuid(), $1, 30, now())`, [
      src.rows[0].id,
    ]);
    const r = await getLogRetention({ now });
    expect(r.rows.find((x) => x.platform === "okta")).toMatchObject({
      status: "gap",
      weKeep: "30 days",
      reason: expect.stringContaining("30 days"),
    });
    expect(r.sufficientPlatforms).toBe(0);
  });
});
