import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, pool } from "@/lib/db";
import { addCaseItem } from "@/lib/cases/add-case-item";
import { removeCaseItem } from "@/lib/cases/remove-case-item";
import { addItemInput } from "@/lib/cases/types";
import { collectCaseEvidence } from "@/lib/export/collect-case-evidence";
import { placeHold } from "./place-hold";
import { releaseHold } from "./release-hold";
import { placeHoldInput, releaseHoldInput } from "./types";
import { seedCorrelated, seedUser, type SeededUser } from "@/test/factories";
import { asOwner } from "@/test/owner-db";

// A case cites a session; the session is derived (event."sessionId" is re-assigned by every correlation run). Before
// case items pinned their evidence, a later run that moved the session's events into another session (or regrouped
// the session away) took those records out of the held case's legal hold, so they could be purged, and out of the
// case's export: the evidence of a held case changed under it. Here the app's own role writes what a correlation
// run writes (events re-assigned, the old session deleted); the hold must still cover exactly the records the case
// cited, a purge of them is refused, and the export still ships the cited events.
const FILES: [string, string][] = [["okta", "okta-system-log-page.json"]];
const PURGE = `UPDATE raw_record SET payload = NULL, "purgedAt" = now() WHERE id = ANY($1::bigint[])`;

let admin: SeededUser;
let app: pg.Client;
let caseId: string;
let itemId: string;
let holdId: string;
let cited: string;
let other: string;
let citedEvents: string[];
let citedRaw: string[];

const held = async (hold: string) =>
  (
    await pool().query<{ id: string }>(
      `SELECT DISTINCT "rawRecordId"::text AS id FROM sessionproof_held_raw_records() WHERE "holdId" = $1 ORDER BY 1`,
      [hold],
    )
  ).rows.map((r) => r.id);

beforeAll(async () => {
  await seedCorrelated(FILES);
  admin = await seedUser("admin", "admin@held-recorrelation.test");
  const sessions = (
    await pool().query<{ id: string }>(
      `SELECT "sessionId"::text AS id FROM event WHERE "sessionId" IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 2`,
    )
  ).rows.map((r) => r.id);
  expect(sessions).toHaveLength(2);
  [cited, other] = sessions;
  const rows = (
    await pool().query<{ id: string; raw: string }>(
      `SELECT id::text AS id, "rawRecordId"::text AS raw FROM event WHERE "sessionId" = $1 ORDER BY id`,
      [cited],
    )
  ).rows;
  citedEvents = rows.map((r) => r.id);
  citedRaw = [...new Set(rows.map((r) => r.raw))].sort();
  expect(citedEvents.length).toBeGreaterThan(1);

  caseId = (await db().case.create({ data: { title: "Held through a re-correlation", createdById: admin.id } })).id;
  itemId = (await addCaseItem({ ctx: admin.ctx, caseId, input: addItemInput.parse({ itemType: "session", refId: cited }) })).id;
  holdId = (await placeHold({ ctx: admin.ctx, input: placeHoldInput.parse({ caseId, reason: "Litigation: matter 12" }) })).id;
  app = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await app.connect();
});

afterAll(async () => {
  await app?.end();
});

describe("a held case's evidence across a re-correlation", () => {
  it("keeps the records the case cited under the hold and in the export when the session's events move away", async () => {
    expect(await held(holdId)).toEqual(citedRaw);
    const before = await collectCaseEvidence({ caseId });
    expect([...before.eventIds].map(String)).toEqual(citedEvents);

    // What a correlation run writes when it regroups: the events go to another session, the old one is gone.
    await app.query(`UPDATE event SET "sessionId" = $2 WHERE "sessionId" = $1`, [cited, other]);
    await app.query(`DELETE FROM session WHERE id = $1`, [cited]);

    expect(await held(holdId)).toEqual(citedRaw);
    await expect(app.query(PURGE, [citedRaw])).rejects.toMatchObject({ code: "42501" });
    const purged = await pool().query(`SELECT 1 FROM raw_record WHERE id = ANY($1::bigint[]) AND payload IS NULL`, [citedRaw]);
    expect(purged.rowCount).toBe(0);

    const after = await collectCaseEvidence({ caseId });
    expect(after.missing).toEqual([{ itemType: "session", refId: cited }]);
    expect([...after.eventIds].map(String)).toEqual(citedEvents);
    expect([...after.rawRecordIds].map(String).sort()).toEqual(citedRaw);
  });

  it("pins cannot be rewritten, nor removed while the case is held; they leave with the item after the release", async () => {
    const pins = () => db().caseItemEvidence.count({ where: { caseItemId: itemId } });
    expect(await pins()).toBe(citedEvents.length);
    // The app's role may only read and add pins; the owner is stopped by the trigger while the hold stands.
    await expect(app.query(`DELETE FROM case_item_evidence WHERE "caseId" = $1`, [caseId])).rejects.toMatchObject({ code: "42501" });
    await expect(app.query(`UPDATE case_item_evidence SET "rawRecordId" = 0 WHERE "caseId" = $1`, [caseId])).rejects.toMatchObject({
      code: "42501",
    });
    await asOwner(async (c) => {
      await expect(c.query(`DELETE FROM case_item_evidence WHERE "caseId" = $1`, [caseId])).rejects.toMatchObject({ code: "42501" });
      await expect(c.query(`UPDATE case_item_evidence SET "rawRecordId" = 0 WHERE "caseId" = $1`, [caseId])).rejects.toMatchObject({
        code: "42501",
      });
    });
    expect(await pins()).toBe(citedEvents.length);

    await releaseHold({ ctx: admin.ctx, holdId, input: releaseHoldInput.parse({ reason: "Matter 12 settled" }) });
    await removeCaseItem({ ctx: admin.ctx, caseId, itemId });
    expect(await pins()).toBe(0);
  });
});
