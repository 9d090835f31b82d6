import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { flushAuditToLedger } from "@/lib/audit/flush-audit-to-ledger";
import { recordAudit } from "@/lib/audit/record-audit";
import { system } from "@/lib/context/request-context";
import { pool } from "@/lib/db";
import { ingestStream } from "@/lib/ingest/ingest-stream";
import { checkpointLogPath } from "../checkpoint-log";
import type { LedgerError } from "../ledger-error";
import { leafHash, sha256 } from "../merkle";
import { clearRangeHashCache } from "../range-hashes";
import { verifyLedger, type LedgerReport } from "../verify-ledger";

// The database tamper cases: what a privileged database user can do to the evidence behind the application's back
// (as a superuser with the ledger's triggers switched off: session_replication_role = replica), each run against
// the same small ledger, verified, and undone. Shared by lib/ledger/tamper.db.test.ts, which asserts every case is
// detected and named, and `npm run bench -- tamper`, which prints the table. Not imported by application code.
//
// Each case is verified twice: by the database alone (`ledger verify`), and against the checkpoints published
// outside the database (`ledger verify --against <checkpoint log>`). A rollback of the whole database to an
// earlier state is consistent with itself: only the second catches it (docs/ledger-threat-model.md).

const SNAPSHOT = "tamper_snapshot";
const TABLES = ["raw_record", "event", "ledger_batch", "ledger_checkpoint", "ledger_subtree", "audit_log"] as const;

export type TamperFixture = {
  /** A connection string with the owner's or a superuser's rights: the attacker (the app's own role cannot switch triggers off). */
  attackerUrl: string;
  /** The published checkpoint log (what the administrator keeps outside the database). */
  log: string;
  checkpoints: { seq: number; treeSize: number }[];
};

export type TamperOutcome = {
  id: string;
  title: string;
  /** What must be named (a record, event, checkpoint, audit entry). */
  expected: string;
  /** `ledger verify` on the database alone reports a problem. */
  detectedInDatabase: boolean;
  /** `ledger verify --against <checkpoint log>` reports a problem. */
  detected: boolean;
  /** An error names the tampered thing (or locates it to the record / leaf range). */
  named: boolean;
  /** That error, or the first one when none names it. */
  finding: string | null;
  errors: number;
  /** The ledger verified sound again after the case was undone. */
  restored: boolean;
};

type Target = { expected: string; names: (e: LedgerError) => boolean };
type Attacker = pg.Client;

type TamperCase = { id: string; title: string; tamper: (db: Attacker) => Promise<Target> };

const fixtureFile = (platform: string, name: string) => path.resolve(process.cwd(), "lib", "sources", platform, "fixtures", name);

async function ingest(platform: string, name: string): Promise<void> {
  const r = await ingestStream({ input: fs.createReadStream(fixtureFile(platform, name)), fileName: name, via: "cli", ctx: system() });
  if (r.status !== "completed" || r.stored === 0) throw new Error(`tamper fixture: ingesting ${name} stored nothing (${r.error})`);
}

/**
 * The ledger every case starts from: three ingests (each signs a checkpoint after flushing the audit trail), then
 * audit entries flushed after the last checkpoint (records no checkpoint signs yet, in a batch written after it).
 * A snapshot of the ledger tables is kept in the database to undo each case.
 */
export async function buildTamperFixture({ attackerUrl }: { attackerUrl: string }): Promise<TamperFixture> {
  const log = checkpointLogPath();
  if (!log) throw new Error("tamper fixture: the checkpoint log is off (SESSIONPROOF_CHECKPOINT_LOG=off)");
  await ingest("okta", "okta-system-log-page.json");
  await ingest("github", "audit-log-stream.jsonl");
  await ingest("entra", "graph-signins-page.json");
  await recordAudit({ ctx: system(), resourceType: "session", resourceId: "s-1", details: { type: "view.session", id: "s-1" } });
  await recordAudit({ ctx: system(), resourceType: "identity", resourceId: "i-1", details: { type: "view.identity", id: "i-1" } });
  await flushAuditToLedger();
  const cps = await pool().query<{ seq: string; treeSize: string }>(
    `SELECT seq::text AS seq, "treeSize"::text AS "treeSize" FROM ledger_checkpoint ORDER BY seq`,
  );
  const owner = new pg.Client({ connectionString: attackerUrl });
  await owner.connect();
  try {
    await owner.query(`DROP SCHEMA IF EXISTS ${SNAPSHOT} CASCADE`);
    await owner.query(`CREATE SCHEMA ${SNAPSHOT}`);
    for (const t of TABLES) await owner.query(`CREATE TABLE ${SNAPSHOT}.${t} AS SELECT * FROM ${t}`);
  } finally {
    await owner.end();
  }
  return { attackerUrl, log, checkpoints: cps.rows.map((c) => ({ seq: Number(c.seq), treeSize: Number(c.treeSize) })) };
}

async function restore(db: Attacker): Promise<void> {
  for (const t of TABLES) {
    await db.query(`DELETE FROM ${t}`);
    await db.query(`INSERT INTO ${t} SELECT * FROM ${SNAPSHOT}.${t}`);
  }
  clearRangeHashCache();
}

// Targets, picked from the fixture by what they are (never by hard-coded ids).
async function record(db: Attacker, platform: string, nth = 0): Promise<{ id: string; leafIndex: number; payload: Buffer }> {
  const r = await db.query<{ id: string; leafIndex: string; payload: Buffer }>(
    `SELECT r.id::text AS id, r."leafIndex"::text AS "leafIndex", r.payload FROM raw_record r JOIN source s ON s.id = r."sourceId"
      WHERE s.platform = $1 ORDER BY r."leafIndex" OFFSET $2 LIMIT 1`,
    [platform, nth],
  );
  if (!r.rows[0]) throw new Error(`tamper fixture: no ${platform} record #${nth}`);
  return { id: r.rows[0].id, leafIndex: Number(r.rows[0].leafIndex), payload: r.rows[0].payload };
}

/** An event that is its record's only one (so naming the record's events names it). */
async function singleEvent(db: Attacker, platform: string, nth = 0): Promise<{ id: string; rawRecordId: string }> {
  const r = await db.query<{ id: string; rawRecordId: string }>(
    `SELECT min(e.id)::text AS id, e."rawRecordId"::text AS "rawRecordId" FROM event e WHERE e.platform = $1
      GROUP BY e."rawRecordId" HAVING count(*) = 1 ORDER BY e."rawRecordId" OFFSET $2 LIMIT 1`,
    [platform, nth],
  );
  if (!r.rows[0]) throw new Error(`tamper fixture: no single-event ${platform} record`);
  return r.rows[0];
}

const isRecord = (id: string, kinds: readonly string[]) => (e: LedgerError) => e.rawRecordId === id && kinds.includes(e.kind);

export const TAMPER_CASES: readonly TamperCase[] = [
  {
    id: "edit-payload",
    title: "edit a raw payload",
    async tamper(db) {
      const r = await record(db, "okta", 2);
      const changed = Buffer.from(r.payload);
      changed[10] ^= 0x01; // one ASCII character of the JSON
      await db.query(`UPDATE raw_record SET payload = $2 WHERE id = $1`, [r.id, changed]);
      return { expected: `raw record ${r.id}`, names: isRecord(r.id, ["content-hash-mismatch"]) };
    },
  },
  {
    id: "replace-payload-rehash",
    title: "replace a payload, recompute both its hashes",
    async tamper(db) {
      const r = await record(db, "okta", 3);
      const forged = Buffer.from(r.payload.toString("utf8").replace(/"ipAddress": ?"[^"]*"/, '"ipAddress": "203.0.113.66"'), "utf8");
      if (forged.equals(r.payload)) throw new Error("tamper fixture: the Okta record has no ipAddress to replace");
      await db.query(`UPDATE raw_record SET payload = $2, "contentHash" = $3, "leafHash" = $4 WHERE id = $1`, [
        r.id,
        forged,
        sha256(forged),
        leafHash(forged),
      ]);
      return { expected: `raw record ${r.id}`, names: isRecord(r.id, ["batch-leaf-mismatch"]) };
    },
  },
  {
    id: "edit-event-ip",
    title: "edit an event's source IP (data, column, content hash)",
    async tamper(db) {
      const e = await singleEvent(db, "okta", 1);
      await db.query(
        `UPDATE event SET data = jsonb_set(data::jsonb, '{src_endpoint,ip}', '"203.0.113.66"')::json, "srcIp" = '203.0.113.66' WHERE id = $1`,
        [e.id],
      );
      await db.query(`UPDATE event SET "dataHash" = sha256(convert_to(data::text, 'UTF8')) WHERE id = $1`, [e.id]);
      return { expected: `event ${e.id}`, names: (x) => x.eventId === e.id && x.kind === "event-binding-mismatch" };
    },
  },
  {
    id: "edit-event-actor",
    title: "edit an event's actor (the column the pages read)",
    async tamper(db) {
      const e = await singleEvent(db, "github");
      await db.query(`UPDATE event SET "actorName" = 'mallory@example.com' WHERE id = $1`, [e.id]);
      return { expected: `event ${e.id}`, names: (x) => x.eventId === e.id && x.kind === "event-column-mismatch" };
    },
  },
  {
    id: "edit-event-name",
    title: "edit an event's name (the column the session answers and timelines read)",
    async tamper(db) {
      const e = await singleEvent(db, "github");
      await db.query(`UPDATE event SET "eventName" = 'repo.access' WHERE id = $1`, [e.id]);
      return { expected: `event ${e.id}`, names: (x) => x.eventId === e.id && x.kind === "event-column-mismatch" };
    },
  },
  {
    id: "delete-record",
    title: "delete a raw record (and its events)",
    async tamper(db) {
      const r = await record(db, "github", 1);
      await db.query(`DELETE FROM event WHERE "rawRecordId" = $1`, [r.id]);
      await db.query(`DELETE FROM raw_record WHERE id = $1`, [r.id]);
      return { expected: `raw record ${r.id}`, names: isRecord(r.id, ["leaf-index-gap"]) };
    },
  },
  {
    id: "delete-last-checkpoint",
    title: "delete the last checkpoint",
    async tamper(db) {
      const seq = Number((await db.query<{ s: string }>(`SELECT MAX(seq)::text AS s FROM ledger_checkpoint`)).rows[0].s);
      await db.query(`DELETE FROM ledger_checkpoint WHERE seq = $1`, [seq]);
      return { expected: `checkpoint #${seq}`, names: (e) => e.kind === "checkpoint-missing" && e.checkpointSeq === seq };
    },
  },
  {
    id: "delete-middle-checkpoint",
    title: "delete a checkpoint in the middle",
    async tamper(db) {
      await db.query(`DELETE FROM ledger_checkpoint WHERE seq = 2`);
      return { expected: "checkpoint #2", names: (e) => e.kind === "checkpoint-missing" && e.checkpointSeq === 2 };
    },
  },
  {
    id: "rollback",
    title: "roll the whole ledger back to checkpoint #2 (all tables)",
    async tamper(db) {
      const size = Number((await db.query<{ n: string }>(`SELECT "treeSize"::text AS n FROM ledger_checkpoint WHERE seq = 2`)).rows[0].n);
      const gone = `SELECT id FROM raw_record WHERE "leafIndex" >= ${size}`;
      await db.query(`DELETE FROM event WHERE "rawRecordId" IN (${gone})`);
      await db.query(`DELETE FROM audit_log WHERE "rawRecordId" IN (${gone}) OR "rawRecordId" IS NULL`);
      await db.query(`DELETE FROM raw_record WHERE "leafIndex" >= $1`, [size]);
      await db.query(`DELETE FROM ledger_batch WHERE "firstLeaf" >= $1`, [size]);
      await db.query(`DELETE FROM ledger_subtree WHERE start + (1::bigint << level) > $1`, [size]);
      await db.query(`DELETE FROM ledger_checkpoint WHERE seq > 2`);
      return {
        expected: `checkpoint #3 and the leaves from ${size} on`,
        names: (e) => (e.kind === "tree-shrank" && e.leafIndex === size) || (e.kind === "checkpoint-missing" && e.checkpointSeq === 3),
      };
    },
  },
  {
    id: "forged-append",
    title: "append a forged record with correct hashes (and its event)",
    async tamper(db) {
      const model = await record(db, "okta", 0);
      const payload = Buffer.from(model.payload.toString("utf8").replace(/"uuid": ?"[^"]*"/, `"uuid": "${crypto.randomUUID()}"`), "utf8");
      const r = await db.query<{ id: string }>(
        `INSERT INTO raw_record ("leafIndex", "tenantId", "sourceId", "batchId", "fileName", position, "contentHash", "leafHash", payload)
         SELECT (SELECT MAX("leafIndex") + 1 FROM raw_record), "tenantId", "sourceId", "batchId", "fileName", position + 1000, $2, $3, $4
           FROM raw_record WHERE id = $1 RETURNING id::text AS id`,
        [model.id, sha256(payload), leafHash(payload), payload],
      );
      const id = r.rows[0].id;
      await db.query(
        `INSERT INTO event ("tenantId", "sourceId", "rawRecordId", platform, time, "classUid", "className", activity, "nativeId", status,
                            "actorExternalId", "actorName", "actorType", "sessionKey", "credentialKey", "clientAppId", "srcIp", "userAgent",
                            "targetType", "targetId", "targetName", privileged, data, "dataHash")
         SELECT "tenantId", "sourceId", $2, platform, time, "classUid", "className", activity, "nativeId", status, "actorExternalId", "actorName",
                "actorType", "sessionKey", "credentialKey", "clientAppId", "srcIp", "userAgent", "targetType", "targetId", "targetName",
                privileged, data, "dataHash"
           FROM event WHERE "rawRecordId" = $1`,
        [model.id, id],
      );
      return { expected: `raw record ${id}`, names: isRecord(id, ["leaf-unbatched"]) };
    },
  },
  {
    id: "edit-checkpoint",
    title: "edit a checkpoint's root hash",
    async tamper(db) {
      const row = (await db.query<{ rootHash: Buffer }>(`SELECT "rootHash" FROM ledger_checkpoint WHERE seq = 2`)).rows[0];
      const changed = Buffer.from(row.rootHash);
      changed[0] ^= 0x01;
      await db.query(`UPDATE ledger_checkpoint SET "rootHash" = $1 WHERE seq = 2`, [changed]);
      return { expected: "checkpoint #2", names: (e) => e.kind === "checkpoint-signature-invalid" && e.checkpointSeq === 2 };
    },
  },
  {
    id: "reorder",
    title: "swap two records' places in the ledger",
    async tamper(db) {
      const [a, b] = [await record(db, "okta", 1), await record(db, "github", 0)];
      await db.query(`UPDATE raw_record SET "leafIndex" = -1 WHERE id = $1`, [a.id]);
      await db.query(`UPDATE raw_record SET "leafIndex" = $2 WHERE id = $1`, [b.id, a.leafIndex]);
      await db.query(`UPDATE raw_record SET "leafIndex" = $2 WHERE id = $1`, [a.id, b.leafIndex]);
      return { expected: `raw record ${b.id}`, names: isRecord(b.id, ["leaf-order", "batch-leaf-mismatch"]) };
    },
  },
  {
    id: "edit-audit-entry",
    title: "edit an audit log row (who did it)",
    async tamper(db) {
      const a = (
        await db.query<{ id: string }>(`SELECT id::text AS id FROM audit_log WHERE "rawRecordId" IS NOT NULL ORDER BY id OFFSET 1 LIMIT 1`)
      ).rows[0];
      await db.query(`UPDATE audit_log SET "actorEmail" = 'someone-else@example.com' WHERE id = $1`, [a.id]);
      return { expected: `audit entry ${a.id}`, names: (e) => e.kind === "audit-entry-mismatch" && e.auditId === a.id };
    },
  },
];

function describe(e: LedgerError): string {
  return `[${e.kind}] ${e.message}`;
}

/** Runs every case (or those named) against the fixture, undoing each; the database is left as the fixture was. */
export async function runTamperCases({ fixture, only }: { fixture: TamperFixture; only?: string[] }): Promise<TamperOutcome[]> {
  const db = new pg.Client({ connectionString: fixture.attackerUrl });
  await db.connect();
  const out: TamperOutcome[] = [];
  try {
    await db.query("SET session_replication_role = replica");
    for (const c of TAMPER_CASES) {
      if (only && !only.includes(c.id)) continue;
      let target: Target;
      let inDb: LedgerReport;
      let withLog: LedgerReport;
      try {
        target = await c.tamper(db);
        clearRangeHashCache();
        inDb = await verifyLedger({});
        withLog = await verifyLedger({ against: fixture.log });
      } finally {
        await restore(db);
      }
      const naming = withLog.errors.find(target.names);
      const sound = await verifyLedger({ against: fixture.log });
      out.push({
        id: c.id,
        title: c.title,
        expected: target.expected,
        detectedInDatabase: !inDb.ok,
        detected: !withLog.ok,
        named: Boolean(naming),
        finding: naming ? describe(naming) : withLog.errors[0] ? describe(withLog.errors[0]) : null,
        errors: withLog.errors.length + withLog.omittedErrors,
        restored: sound.ok,
      });
    }
  } finally {
    await db.end();
  }
  return out;
}
