import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { flushAuditToLedger } from "@/lib/audit/flush-audit-to-ledger";
import { addCaseItem } from "@/lib/cases/add-case-item";
import { addNote } from "@/lib/cases/add-note";
import { createCase } from "@/lib/cases/create-case";
import { removeCaseItem } from "@/lib/cases/remove-case-item";
import { updateCase } from "@/lib/cases/update-case";
import { addItemInput, createCaseInput, noteInput, updateCaseInput } from "@/lib/cases/types";
import { system } from "@/lib/context/request-context";
import { runCorrelation } from "@/lib/correlation/run-correlation";
import { pool } from "@/lib/db";
import { createCheckpoint } from "@/lib/ledger/create-checkpoint";
import { verifyLedger } from "@/lib/ledger/verify-ledger";
import { placeHold } from "@/lib/retention/place-hold";
import { purgeExpired } from "@/lib/retention/purge-expired";
import { releaseHold } from "@/lib/retention/release-hold";
import { setRetentionPolicy } from "@/lib/retention/set-retention-policy";
import { placeHoldInput, releaseHoldInput, retentionDaysInput } from "@/lib/retention/types";
import { ingestFixture, seedUser } from "@/test/factories";
import { asOwner, ownerUrl } from "@/test/owner-db";
import { APPEND_ONLY, READ_ONLY, databaseRoles, grantAppRole, ownerWarning, prepareDatabase } from "./app-role";

// Least privilege: the app's runtime connection (DATABASE_URL, what the server, the worker and the CLI use) is a
// role that is no superuser and owns nothing, so whoever holds its credentials (a compromised server, a leaked
// .env) cannot switch off the triggers that keep the ledger append-only and legal holds in force. Migrations run
// as the owner.
const skip = inject("appRoleUnavailable");
let app: pg.Client;

const refused = { code: "42501" };

beforeAll(async () => {
  app = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await app.connect();
});
afterAll(async () => {
  await app?.end();
});

describe.skipIf(Boolean(skip))(`the app's database role${skip ? ` (skipped: ${skip})` : ""}`, () => {
  it("is no superuser, cannot create roles, databases or objects in the schema, and owns nothing", async () => {
    const role = (
      await app.query<Record<string, boolean>>(
        `SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls FROM pg_roles WHERE rolname = current_user`,
      )
    ).rows[0];
    expect(role).toEqual({ rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolreplication: false, rolbypassrls: false });
    expect((await app.query(`SELECT has_schema_privilege(current_schema(), 'CREATE') AS c`)).rows[0].c).toBe(false);
    // Owns no table, function or schema, and cannot act as a role that does.
    const owned = await app.query(
      `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND pg_has_role(current_user, c.relowner, 'USAGE')
       UNION ALL
       SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = current_schema() AND pg_has_role(current_user, p.proowner, 'USAGE')
       UNION ALL
       SELECT nspname FROM pg_namespace WHERE nspname = current_schema() AND pg_has_role(current_user, nspowner, 'USAGE')`,
    );
    expect(owned.rows).toEqual([]);
  });

  it("cannot switch the ledger's and the legal hold's triggers off, drop them, or replace their functions", async () => {
    const attacks = [
      `ALTER TABLE raw_record DISABLE TRIGGER raw_record_not_held`,
      `ALTER TABLE raw_record DISABLE TRIGGER ALL`,
      `ALTER TABLE legal_hold DISABLE TRIGGER legal_hold_release_only`,
      `DROP TRIGGER raw_record_purge_only ON raw_record`,
      `SET session_replication_role = replica`,
      `CREATE OR REPLACE FUNCTION sessionproof_raw_record_not_held() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$`,
      `CREATE OR REPLACE FUNCTION sessionproof_refuse_ledger_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$`,
      `ALTER FUNCTION sessionproof_held_raw_records(bigint[]) SET search_path = pg_temp`,
      `DROP FUNCTION sessionproof_held_raw_records(bigint[]) CASCADE`,
      `CREATE FUNCTION nothing() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$`,
      `ALTER TABLE raw_record OWNER TO current_user`,
      `TRUNCATE raw_record CASCADE`,
      `TRUNCATE audit_log`,
      `ALTER TABLE raw_record ADD COLUMN note text`,
      `CREATE TRIGGER mine BEFORE UPDATE ON raw_record FOR EACH ROW EXECUTE FUNCTION sessionproof_refuse_ledger_change()`,
    ];
    for (const statement of attacks) await expect(app.query(statement), statement).rejects.toMatchObject(refused);
    const state = await app.query<{ enabled: string }>(
      `SELECT DISTINCT tgenabled AS enabled FROM pg_trigger WHERE tgrelid IN ('raw_record'::regclass, 'legal_hold'::regclass) AND NOT tgisinternal`,
    );
    expect(state.rows).toEqual([{ enabled: "O" }]);
    expect((await app.query(`SHOW session_replication_role`)).rows[0].session_replication_role).toBe("origin");
  });

  it("may not delete or rewrite ledger rows, audit entries or holds even where no trigger would stop it", async () => {
    const attacks = [
      `DELETE FROM raw_record`,
      `UPDATE raw_record SET "leafHash" = "leafHash"`,
      `DELETE FROM ledger_checkpoint`,
      `DELETE FROM ledger_subtree`,
      `DELETE FROM ledger_batch`,
      `UPDATE ledger_batch SET signature = signature`,
      `DELETE FROM audit_log`,
      `UPDATE audit_log SET action = action`,
      `DELETE FROM legal_hold`,
      `UPDATE legal_hold SET reason = reason`,
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name) VALUES ('x', 'x', 'x')`,
    ];
    for (const statement of attacks) await expect(app.query(statement), statement).rejects.toMatchObject(refused);
  });

  it("does the app's work: ingest, correlation, case edits, holds, a purge of unheld records, the audit flush, checkpoints", async () => {
    const who = (await pool().query<{ u: string }>(`SELECT current_user AS u`)).rows[0].u;
    const owner = await asOwner(async (c) => (await c.query<{ u: string }>(`SELECT current_user AS u`)).rows[0].u);
    expect(who).not.toBe(owner);
    const admin = await seedUser("admin", "admin@app-role.test");
    const ingest = await ingestFixture("okta", "okta-system-log-page.json");
    expect(ingest.stored).toBeGreaterThan(0);
    expect((await runCorrelation({ ctx: system() })).sessions).toBeGreaterThan(0);
    const sessionId = (await pool().query<{ id: string }>(`SELECT id::text AS id FROM session ORDER BY id LIMIT 1`)).rows[0].id;
    const c = await createCase({ ctx: admin.ctx, input: createCaseInput.parse({ title: "Least privilege" }) });
    const item = await addCaseItem({ ctx: admin.ctx, caseId: c.id, input: addItemInput.parse({ itemType: "session", refId: sessionId }) });
    await addNote({ ctx: admin.ctx, caseId: c.id, input: noteInput.parse({ body: "written by the app's role" }) });
    await updateCase({ ctx: admin.ctx, caseId: c.id, input: updateCaseInput.parse({ severity: "high" }) });
    const hold = await placeHold({ ctx: admin.ctx, input: placeHoldInput.parse({ caseId: c.id, reason: "Kept while we look" }) });
    const okta = (await pool().query<{ id: string }>(`SELECT id::text AS id FROM source WHERE platform = 'okta'`)).rows[0].id;
    await setRetentionPolicy({ ctx: admin.ctx, sourceId: okta, input: retentionDaysInput.parse({ days: 30 }) });
    const purge = await purgeExpired({ ctx: admin.ctx, now: new Date("2026-06-01T00:00:00Z") });
    expect(purge.purged).toBeGreaterThan(0);
    expect(purge.held).toBeGreaterThan(0);
    await releaseHold({ ctx: admin.ctx, holdId: hold.id, input: releaseHoldInput.parse({ reason: "Done looking" }) });
    await removeCaseItem({ ctx: admin.ctx, caseId: c.id, itemId: (item as { id: string }).id });
    await flushAuditToLedger();
    await createCheckpoint();
    const report = await verifyLedger();
    expect(report.errors).toEqual([]);
    expect(report.purged).toBe(purge.purged);
  });

  it("has exactly the grants the policy names on every table; a table with an append-only trigger is in the policy", async () => {
    const rows = (
      await app.query<{ t: string; privileges: string[] }>(
        `SELECT c.relname AS t,
                ARRAY(SELECT p FROM unnest(ARRAY['SELECT','INSERT','UPDATE','DELETE','TRUNCATE','REFERENCES','TRIGGER']) p
                       WHERE has_table_privilege(c.oid, p)) AS privileges
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY 1`,
      )
    ).rows;
    expect(rows.length).toBeGreaterThan(30);
    for (const { t, privileges } of rows) {
      const expected = (READ_ONLY as readonly string[]).includes(t)
        ? ["SELECT"]
        : t in APPEND_ONLY
          ? ["SELECT", "INSERT"]
          : ["SELECT", "INSERT", "UPDATE", "DELETE"];
      expect([t, privileges]).toEqual([t, expected]);
    }
    // Column updates allowed on append-only tables: exactly the listed columns.
    for (const [t, columns] of Object.entries(APPEND_ONLY)) {
      const updatable = await app.query<{ a: string }>(
        `SELECT attname AS a FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped
            AND has_column_privilege($1::regclass, attnum, 'UPDATE') ORDER BY 1`,
        [t],
      );
      expect([t, updatable.rows.map((r) => r.a)]).toEqual([t, [...columns].sort()]);
    }
    const guarded = await app.query<{ t: string }>(
      `SELECT DISTINCT c.relname AS t FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_proc p ON p.oid = g.tgfoid
        WHERE NOT g.tgisinternal AND p.proname IN ('sessionproof_refuse_ledger_change', 'sessionproof_raw_record_purge_only', 'sessionproof_legal_hold_release_only')
          AND (g.tgtype & (8 | 16)) <> 0`,
    );
    for (const { t } of guarded.rows) expect(Object.keys(APPEND_ONLY), `${t} refuses changes by trigger`).toContain(t);
  });

  it("gets the app's privileges on a table a later migration creates, and applying the grants again changes nothing", async () => {
    await asOwner((c) => c.query(`CREATE TABLE later_feature (id bigserial PRIMARY KEY, note text)`));
    await app.query(`INSERT INTO later_feature (note) VALUES ('a'), ('b')`);
    await app.query(`UPDATE later_feature SET note = 'c' WHERE note = 'a'`);
    await app.query(`DELETE FROM later_feature WHERE note = 'b'`);
    expect((await app.query(`SELECT note FROM later_feature`)).rows).toEqual([{ note: "c" }]);
    await expect(app.query(`TRUNCATE later_feature`)).rejects.toMatchObject(refused);
    const snapshot = async () => (await app.query(`SELECT relname, relacl::text FROM pg_class WHERE relacl IS NOT NULL ORDER BY 1`)).rows;
    const before = await snapshot();
    await grantAppRole(ownerUrl(), decodeURIComponent(new URL(process.env.DATABASE_URL!).username));
    expect(await snapshot()).toEqual(before);
    // Your own server: DATABASE_URL the app's role, SESSIONPROOF_OWNER_DATABASE_URL the owner.
    const prepared = await prepareDatabase(
      databaseRoles({ env: { DATABASE_URL: process.env.DATABASE_URL, SESSIONPROOF_OWNER_DATABASE_URL: ownerUrl() } }),
    );
    expect(prepared).toMatchObject({ url: process.env.DATABASE_URL, migrations: { applied: [], checksumMismatches: [] } });
    expect(await snapshot()).toEqual(before);
  });

  it("start-up warns when the app would connect as the owner or a superuser, and not as its own role", async () => {
    expect(await ownerWarning(ownerUrl())).toMatch(/could switch off the triggers .*\(SESSIONPROOF_OWNER_DATABASE_URL\)/);
    expect(await ownerWarning(process.env.DATABASE_URL!)).toBeNull();
  });
});
