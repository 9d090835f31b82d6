import { beforeAll, describe, expect, it } from "vitest";
import { fromSessionUser, type RequestContext } from "@/lib/context/request-context";
import { db, pool } from "@/lib/db";
import { verifyLedger } from "@/lib/ledger/verify-ledger";
import { heldRawRecordIds } from "./held-raw-records";
import { listHolds } from "./list-holds";
import { listRetention } from "./list-retention";
import { placeHold } from "./place-hold";
import { purgeExpired } from "./purge-expired";
import { releaseHold } from "./release-hold";
import { setRetentionPolicy } from "./set-retention-policy";
import { placeHoldInput, releaseHoldInput, retentionDaysInput } from "./types";

import { seedCorrelated, seedUser } from "@/test/factories";
import { asOwner } from "@/test/owner-db";

// Purge and hold over real fixture exports. The fixtures' events are from 2025, so a 30-day policy evaluated at
// NOW expires every okta and github record; cloudtrail gets no policy and must stay untouched. Every expected set
// below is computed with plain queries here, not with the hold SQL under test.
const NOW = new Date("2026-06-01T00:00:00Z");
const FILES: [string, string][] = [
  ["aws-cloudtrail", "111122223333_CloudTrail_eu-west-1_20250304T1315Z_AbCdEfGh12345678.json"],
  ["okta", "okta-system-log-page.json"],
  ["github", "audit-log-stream.jsonl"],
];

let admin: RequestContext;
let okta: string;
let github: string;
let cloudtrail: string;
let caseId: string;
let heldSessionId: string;

const ids = async (sql: string, params: unknown[] = []) => new Set((await pool().query<{ id: string }>(sql, params)).rows.map((r) => r.id));
const payloadState = async () =>
  new Map(
    (await pool().query<{ id: string; purged: boolean }>(`SELECT id::text AS id, payload IS NULL AS purged FROM raw_record`)).rows.map(
      (r) => [r.id, r.purged],
    ),
  );

beforeAll(async () => {
  await seedCorrelated(FILES);
  const u = await seedUser("admin", "admin@retention.test");
  admin = fromSessionUser({ id: u.id, email: u.email, role: u.role, ip: "192.0.2.7", userAgent: "vitest" });
  const sources = new Map((await db().source.findMany()).map((s) => [s.platform, s.id]));
  okta = sources.get("okta")!;
  github = sources.get("github")!;
  cloudtrail = sources.get("aws-cloudtrail")!;
  // The okta session with the most events: a case cites it.
  heldSessionId = (
    await pool().query<{ id: string }>(
      `SELECT "sessionId"::text AS id FROM event WHERE "sourceId" = $1 AND "sessionId" IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
      [okta],
    )
  ).rows[0].id;
  const c = await db().case.create({ data: { title: "Retention test", createdById: u.id } });
  caseId = c.id;
  await db().caseItem.create({ data: { caseId, itemType: "session", refId: heldSessionId, addedById: u.id } });
});

describe("retention policies", () => {
  it("sets, changes and removes a policy, auditing before and after, and refuses days < 1", async () => {
    await setRetentionPolicy({ ctx: admin, sourceId: cloudtrail, input: retentionDaysInput.parse({ days: 10 }) });
    await setRetentionPolicy({ ctx: admin, sourceId: cloudtrail, input: retentionDaysInput.parse({ days: null }) });
    expect(retentionDaysInput.safeParse({ days: 0 }).success).toBe(false);
    const audit = await db().auditLog.findMany({
      where: { action: "retention.policy_changed", resourceId: cloudtrail },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => a.details)).toEqual([
      { type: "retention.policy_changed", sourceId: cloudtrail, before: null, after: 10 },
      { type: "retention.policy_changed", sourceId: cloudtrail, before: 10, after: null },
    ]);
    expect(audit[0].ip).toBe("192.0.2.7");
    expect(await db().retentionPolicy.findUnique({ where: { sourceId: cloudtrail } })).toBeNull();
  });
});

describe("purge and legal hold", () => {
  it("purges expired records, keeps held ones, and the ledger still verifies; a released hold's records go next time", async () => {
    await setRetentionPolicy({ ctx: admin, sourceId: okta, input: retentionDaysInput.parse({ days: 30 }) });
    await setRetentionPolicy({ ctx: admin, sourceId: github, input: retentionDaysInput.parse({ days: 30 }) });

    // Source hold on github: the middle third of its events' time span.
    const span = (
      await pool().query<{ lo: Date; hi: Date }>(`SELECT min(time) AS lo, max(time) AS hi FROM event WHERE "sourceId" = $1`, [github])
    ).rows[0];
    const third = (span.hi.getTime() - span.lo.getTime()) / 3;
    const rangeStart = new Date(span.lo.getTime() + third);
    const rangeEnd = new Date(span.lo.getTime() + 2 * third);

    expect(() => placeHoldInput.parse({ caseId, reason: "no" })).toThrow(/at least 5 characters/);
    const caseHold = await placeHold({ ctx: admin, input: placeHoldInput.parse({ caseId, reason: "Litigation: matter 42" }) });
    const sourceHold = await placeHold({
      ctx: admin,
      input: placeHoldInput.parse({ sourceId: github, rangeStart, rangeEnd, reason: "Regulator request R-7" }),
    });

    const heldBySession = await ids(`SELECT DISTINCT "rawRecordId"::text AS id FROM event WHERE "sessionId" = $1`, [heldSessionId]);
    const heldByRange = await ids(
      `SELECT DISTINCT "rawRecordId"::text AS id FROM event WHERE "sourceId" = $1 AND time >= $2 AND time <= $3`,
      [github, rangeStart, rangeEnd],
    );
    expect(heldBySession.size).toBeGreaterThan(0);
    expect(heldByRange.size).toBeGreaterThan(0);
    const held = new Set([...heldBySession, ...heldByRange]);
    expect(new Set(await heldRawRecordIds())).toEqual(held);

    const holds = await listHolds();
    expect(holds.find((h) => h.id === caseHold.id)!.heldRecords).toBe(heldBySession.size);
    expect(holds.find((h) => h.id === sourceHold.id)!.heldRecords).toBe(heldByRange.size);
    expect(holds.find((h) => h.id === sourceHold.id)!.scopeLabel).toContain("github");

    const withPolicy = await ids(`SELECT id::text AS id FROM raw_record WHERE "sourceId" IN ($1, $2)`, [okta, github]);
    const untouched = await ids(`SELECT id::text AS id FROM raw_record WHERE "sourceId" = $1`, [cloudtrail]);
    const expectedPurged = new Set([...withPolicy].filter((id) => !held.has(id)));
    const expectedHeld = [...withPolicy].filter((id) => held.has(id)).length;
    expect(expectedPurged.size).toBeGreaterThan(0);

    const result = await purgeExpired({ ctx: admin, now: NOW, chunkSize: 7 });
    expect(result.purged).toBe(expectedPurged.size);
    expect(result.held).toBe(expectedHeld);
    const state = await payloadState();
    for (const [id, purged] of state) expect([id, purged]).toEqual([id, expectedPurged.has(id)]);
    for (const id of untouched) expect(state.get(id)).toBe(false);

    const report = await verifyLedger();
    expect(report.errors).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.purged).toBe(expectedPurged.size);

    const job = await db().job.findUniqueOrThrow({ where: { id: result.jobId } });
    expect([job.status, job.progress]).toEqual(["succeeded", 1]);
    const audit = await db().auditLog.findFirstOrThrow({ where: { action: "retention.purged" } });
    expect(audit.details).toMatchObject({ purged: expectedPurged.size, held: expectedHeld });

    // A policy that has not expired anything purges nothing: a 2000-day policy on github at NOW.
    await setRetentionPolicy({ ctx: admin, sourceId: github, input: retentionDaysInput.parse({ days: 2000 }) });
    await releaseHold({ ctx: admin, holdId: caseHold.id, input: releaseHoldInput.parse({ reason: "Matter 42 settled" }) });
    const second = await purgeExpired({ ctx: admin, now: NOW });
    // Only the okta records the case held are purged now; github's range stays held and is within 2000 days anyway.
    const oktaHeld = [...heldBySession].filter((id) => !heldByRange.has(id));
    expect(second.purged).toBe(oktaHeld.length);
    expect(second.held).toBe(0);
    const after = await payloadState();
    for (const id of heldBySession) expect(after.get(id)).toBe(true);
    for (const id of heldByRange) expect(after.get(id)).toBe(false);
    expect((await verifyLedger()).ok).toBe(true);

    const history = await db().legalHold.findUniqueOrThrow({ where: { id: caseHold.id } });
    expect([history.releaseReason, history.releasedById]).toEqual(["Matter 42 settled", admin.actor.id]);
    const activity = await db().caseActivity.findMany({ where: { caseId }, orderBy: { id: "asc" } });
    expect(activity.map((a) => a.action)).toEqual(["hold_placed", "hold_released"]);
    const holdAudit = await db().auditLog.findMany({ where: { action: { startsWith: "hold." } }, orderBy: { id: "asc" } });
    expect(holdAudit.map((a) => [a.action, (a.details as { reason: string }).reason])).toEqual([
      ["hold.placed", "Litigation: matter 42"],
      ["hold.placed", "Regulator request R-7"],
      ["hold.released", "Matter 42 settled"],
    ]);
    await expect(
      releaseHold({ ctx: admin, holdId: caseHold.id, input: releaseHoldInput.parse({ reason: "again, twice" }) }),
    ).rejects.toThrow(/already released/);

    const rows = await listRetention();
    // okta's only hold was released: every okta record is purged now.
    const oktaAll = await ids(`SELECT id::text AS id FROM raw_record WHERE "sourceId" = $1`, [okta]);
    expect(rows.find((r) => r.sourceId === okta)).toMatchObject({ days: 30, rawRecords: oktaAll.size, purged: oktaAll.size });
    expect(rows.find((r) => r.sourceId === cloudtrail)).toMatchObject({ days: null, purged: 0 });
  });
});

describe("the purge and its audit entry", () => {
  it("commit together: a purge that fails before or after writing its audit entry leaves neither", async () => {
    // cloudtrail has been kept so far: a 30-day policy expires its records.
    await setRetentionPolicy({ ctx: admin, sourceId: cloudtrail, input: retentionDaysInput.parse({ days: 30 }) });
    const purgedIn = async (ids: Map<string, boolean>) => new Map([...(await payloadState())].filter(([id]) => ids.has(id)));
    const before = await payloadState();
    const purgeAudits = async () => (await pool().query(`SELECT 1 FROM audit_log WHERE action = 'retention.purged'`)).rowCount;
    const auditsBefore = await purgeAudits();

    // Two failures injected by trigger: the audit insert itself (after the payloads were cleared), and the job's
    // final update (after the audit row was written). Either must roll back the payloads and the audit row.
    // (as the owner: the app's role may not create functions or triggers)
    await asOwner((c) =>
      c.query(`CREATE FUNCTION fail_purge() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected purge failure'; END $$`),
    );
    const points = [
      `BEFORE INSERT ON audit_log FOR EACH ROW WHEN (NEW.action = 'retention.purged')`,
      `BEFORE UPDATE ON job FOR EACH ROW WHEN (NEW.status = 'succeeded')`,
    ];
    for (const point of points) {
      await asOwner((c) => c.query(`CREATE TRIGGER fail_purge ${point} EXECUTE FUNCTION fail_purge()`));
      try {
        await expect(purgeExpired({ ctx: admin, now: NOW, chunkSize: 7 })).rejects.toThrow(/injected purge failure/);
      } finally {
        await asOwner((c) => c.query(`DROP TRIGGER fail_purge ON ${point.includes("audit_log") ? "audit_log" : "job"}`));
      }
      // (the purge's audit flush appends pending audit entries to the ledger: new raw records, not compared)
      expect(await purgedIn(before)).toEqual(before);
      expect(await purgeAudits()).toBe(auditsBefore);
      const failed = await db().job.findFirstOrThrow({ where: { type: "retention.purge" }, orderBy: { createdAt: "desc" } });
      expect([failed.status, failed.message]).toEqual(["failed", expect.stringContaining("injected purge failure")]);
    }
    await asOwner((c) => c.query(`DROP FUNCTION fail_purge()`));

    const result = await purgeExpired({ ctx: admin, now: NOW, chunkSize: 7 });
    expect(result.purged).toBeGreaterThan(0);
    const purgedNow = [...(await payloadState())].filter(([id, purged]) => purged && !before.get(id)).map(([id]) => id);
    expect(purgedNow.length).toBe(result.purged);
    const audit = await db().auditLog.findMany({ where: { action: "retention.purged", resourceId: result.jobId } });
    expect(audit.map((a) => a.details)).toEqual([expect.objectContaining({ purged: result.purged, held: result.held })]);
    // The job's result was written in the purge's transaction too (the audit row's xmin changes when the flush
    // links it to its ledger leaf, the job row's does not).
    const xmins = await pool().query<{ xmin: string }>(
      `SELECT DISTINCT xmin::text AS xmin FROM (SELECT xmin FROM raw_record WHERE id = ANY($1::bigint[]) UNION ALL SELECT xmin FROM job WHERE id = $2::uuid) x`,
      [purgedNow, result.jobId],
    );
    expect(xmins.rows).toHaveLength(1);
  });
});
