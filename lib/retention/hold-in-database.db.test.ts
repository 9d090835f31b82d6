import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, pool } from "@/lib/db";
import { flushAuditToLedger } from "@/lib/audit/flush-audit-to-ledger";
import { removeCaseItem } from "@/lib/cases/remove-case-item";
import { updateItemAnnotation } from "@/lib/cases/update-item-annotation";
import { annotationInput } from "@/lib/cases/types";
import { placeHold } from "./place-hold";
import { purgeExpired } from "./purge-expired";
import { releaseHold } from "./release-hold";
import { setRetentionPolicy } from "./set-retention-policy";
import { placeHoldInput, releaseHoldInput, retentionDaysInput } from "./types";
import { expectAppError, seedCorrelated, seedUser, type SeededUser } from "@/test/factories";

// Legal holds enforced by the database itself, not only by the purge job: a connection with the app's own
// credentials (DATABASE_URL) that writes the purge statement by hand, for a record a hold covers, is refused;
// so are the other ways around a hold through the tables (deleting or rewriting the hold, taking the evidence out
// of the held case, hiding the hold table behind a temporary table of the same name). Every expected held set is
// computed here with plain queries.
const NOW = new Date("2026-06-01T00:00:00Z");
const FILES: [string, string][] = [
  ["aws-cloudtrail", "111122223333_CloudTrail_eu-west-1_20250304T1315Z_AbCdEfGh12345678.json"],
  ["okta", "okta-system-log-page.json"],
  ["github", "audit-log-stream.jsonl"],
];
const PURGE = `UPDATE raw_record SET payload = NULL, "purgedAt" = now() WHERE id = ANY($1::bigint[])`;

let admin: SeededUser;
let app: pg.Client;
let sources: Map<string, string>;
let caseId: string;
let sessionItemId: string;
let caseHoldId: string;
let heldBySession: string[];
let heldByEvent: string[];
let heldByIdentity: string[];
let heldBySource: string[];
let unheld: string[];

const ids = async (text: string, params: unknown[] = []) => (await pool().query<{ id: string }>(text, params)).rows.map((r) => r.id);
const purgedCount = async (list: string[]) =>
  Number(
    (
      await pool().query<{ n: string }>(`SELECT count(*)::text AS n FROM raw_record WHERE id = ANY($1::bigint[]) AND payload IS NULL`, [
        list,
      ])
    ).rows[0].n,
  );

beforeAll(async () => {
  await seedCorrelated(FILES);
  admin = await seedUser("admin", "admin@hold-db.test");
  sources = new Map((await db().source.findMany()).map((s) => [s.platform, s.id]));
  const okta = sources.get("okta")!;
  const cloudtrail = sources.get("aws-cloudtrail")!;
  const github = sources.get("github")!;
  // A case citing an okta session, one cloudtrail event and a cloudtrail identity; a source hold on all of github.
  const sessionId = (
    await ids(
      `SELECT "sessionId"::text AS id FROM event WHERE "sourceId" = $1 AND "sessionId" IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
      [okta],
    )
  )[0];
  const [eventId] = await ids(`SELECT id::text AS id FROM event WHERE "sourceId" = $1 ORDER BY id LIMIT 1`, [cloudtrail]);
  const [identityId] = await ids(
    `SELECT "identityId"::text AS id FROM event WHERE "sourceId" = $1 AND "identityId" IS NOT NULL AND id <> $2 GROUP BY 1 ORDER BY count(*), 1 LIMIT 1`,
    [cloudtrail, eventId],
  );
  caseId = (await db().case.create({ data: { title: "Held in the database", createdById: admin.id } })).id;
  sessionItemId = (await db().caseItem.create({ data: { caseId, itemType: "session", refId: sessionId, addedById: admin.id } })).id;
  await db().caseItem.create({ data: { caseId, itemType: "event", refId: eventId, addedById: admin.id } });
  await db().caseItem.create({ data: { caseId, itemType: "identity", refId: identityId.toUpperCase(), addedById: admin.id } });
  caseHoldId = (await placeHold({ ctx: admin.ctx, input: placeHoldInput.parse({ caseId, reason: "Litigation: matter 7" }) })).id;
  await placeHold({ ctx: admin.ctx, input: placeHoldInput.parse({ sourceId: github, reason: "Regulator request R-9" }) });

  heldBySession = await ids(`SELECT DISTINCT "rawRecordId"::text AS id FROM event WHERE "sessionId" = $1`, [sessionId]);
  heldByEvent = await ids(`SELECT "rawRecordId"::text AS id FROM event WHERE id = $1`, [eventId]);
  heldByIdentity = await ids(`SELECT DISTINCT "rawRecordId"::text AS id FROM event WHERE "identityId" = $1`, [identityId]);
  heldBySource = await ids(`SELECT id::text AS id FROM raw_record WHERE "sourceId" = $1`, [github]);
  const held = new Set([...heldBySession, ...heldByEvent, ...heldByIdentity, ...heldBySource]);
  unheld = (await ids(`SELECT id::text AS id FROM raw_record WHERE "sourceId" IN ($1, $2) ORDER BY id`, [okta, cloudtrail])).filter(
    (id) => !held.has(id),
  );
  for (const list of [heldBySession, heldByEvent, heldByIdentity, heldBySource, unheld]) expect(list.length).toBeGreaterThan(0);

  // The app's own credentials, as anyone holding them (a compromised server, a stolen .env) would use them.
  app = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await app.connect();
});

afterAll(async () => {
  await app?.end();
});

describe("a legal hold enforced by the database", () => {
  it("refuses a purge of held records written by hand, for every kind of hold, and lets an unheld record go", async () => {
    for (const [kind, list] of Object.entries({ heldBySession, heldByEvent, heldByIdentity, heldBySource })) {
      await expect(app.query(PURGE, [[list[0]]]), kind).rejects.toMatchObject({
        code: "42501",
        message: expect.stringMatching(/legal hold/),
      });
      // One held record among unheld ones: the whole statement is refused.
      await expect(app.query(PURGE, [[unheld[0], list[list.length - 1]]]), kind).rejects.toMatchObject({ code: "42501" });
    }
    expect(await purgedCount([...heldBySession, ...heldByEvent, ...heldByIdentity, ...heldBySource, unheld[0]])).toBe(0);
    await app.query(PURGE, [[unheld[0]]]);
    expect(await purgedCount([unheld[0]])).toBe(1);
  });

  it("is not fooled by a temporary table that hides legal_hold", async () => {
    await app.query(`CREATE TEMP TABLE legal_hold (LIKE public.legal_hold)`);
    try {
      await expect(app.query(PURGE, [[heldBySource[0]]])).rejects.toMatchObject({ code: "42501" });
    } finally {
      await app.query(`DROP TABLE pg_temp.legal_hold`);
    }
    expect(await purgedCount([heldBySource[0]])).toBe(0);
  });

  it("refuses to delete a hold or rewrite it, and accepts only a release with who and why", async () => {
    await expect(app.query(`DELETE FROM legal_hold WHERE id = $1`, [caseHoldId])).rejects.toMatchObject({ code: "42501" });
    for (const change of [`reason = 'changed'`, `"caseId" = NULL`, `"releasedAt" = now()`, `"placedAt" = now() - interval '1 year'`]) {
      await expect(app.query(`UPDATE legal_hold SET ${change} WHERE id = $1`, [caseHoldId]), change).rejects.toMatchObject({
        code: "42501",
      });
    }
    expect(await db().legalHold.findUniqueOrThrow({ where: { id: caseHoldId } })).toMatchObject({
      reason: "Litigation: matter 7",
      releasedAt: null,
    });
  });

  it("keeps a held case's evidence in the case; its annotations may change", async () => {
    await expectAppError(removeCaseItem({ ctx: admin.ctx, caseId, itemId: sessionItemId }), "CONFLICT", /legal hold/);
    await expect(app.query(`DELETE FROM case_item WHERE "caseId" = $1`, [caseId])).rejects.toMatchObject({ code: "42501" });
    await expect(app.query(`UPDATE case_item SET "refId" = 'x' WHERE id = $1`, [sessionItemId])).rejects.toMatchObject({ code: "42501" });
    await updateItemAnnotation({
      ctx: admin.ctx,
      caseId,
      itemId: sessionItemId,
      input: annotationInput.parse({ annotation: "the session the matter is about" }),
    });
    expect(await db().caseItem.count({ where: { caseId } })).toBe(3);
  });

  it("the purge job skips held records; after a release they go, and the item can leave the case", async () => {
    const okta = sources.get("okta")!;
    await setRetentionPolicy({ ctx: admin.ctx, sourceId: okta, input: retentionDaysInput.parse({ days: 30 }) });
    const first = await purgeExpired({ ctx: admin.ctx, now: NOW });
    expect(first.held).toBe(heldBySession.length);
    expect(await purgedCount(heldBySession)).toBe(0);
    await releaseHold({ ctx: admin.ctx, holdId: caseHoldId, input: releaseHoldInput.parse({ reason: "Matter 7 settled" }) });
    const second = await purgeExpired({ ctx: admin.ctx, now: NOW });
    expect([second.purged, second.held]).toEqual([heldBySession.length, 0]);
    await expect(app.query(`UPDATE legal_hold SET "releaseReason" = 'rewritten' WHERE id = $1`, [caseHoldId])).rejects.toMatchObject({
      code: "42501",
    });
    await removeCaseItem({ ctx: admin.ctx, caseId, itemId: sessionItemId });
  });
});

describe("the purge in the ledger", () => {
  it("records who purged, when, and under which policy; the entry is in the ledger after the flush", async () => {
    const cloudtrail = sources.get("aws-cloudtrail")!;
    await setRetentionPolicy({ ctx: admin.ctx, sourceId: cloudtrail, input: retentionDaysInput.parse({ days: 45 }) });
    const policy = await db().retentionPolicy.findUniqueOrThrow({ where: { sourceId: cloudtrail } });
    const result = await purgeExpired({ ctx: admin.ctx, now: NOW });
    expect(result.purged).toBeGreaterThan(0);
    await flushAuditToLedger();
    const entry = await db().auditLog.findFirstOrThrow({ where: { action: "retention.purged", resourceId: result.jobId } });
    expect(entry.rawRecordId).not.toBeNull();
    const leaf = await db().rawRecord.findUniqueOrThrow({ where: { id: entry.rawRecordId! } });
    const inLedger = JSON.parse(Buffer.from(leaf.payload!).toString("utf8")) as Record<string, unknown>;
    expect(inLedger).toMatchObject({ action: "retention.purged", actorId: admin.id, actorEmail: admin.email, at: entry.at.toISOString() });
    expect(inLedger.details).toMatchObject({
      type: "retention.purged",
      jobId: result.jobId,
      asOf: NOW.toISOString(),
      sources: expect.arrayContaining([
        {
          sourceId: cloudtrail,
          policyId: policy.id,
          days: 45,
          policyUpdatedAt: policy.updatedAt.toISOString(),
          policyUpdatedById: admin.id,
          cutoff: new Date(NOW.getTime() - 45 * 86_400_000).toISOString(),
          purged: expect.any(Number),
          held: 0,
        },
      ]),
    });
  });
});
