import { pool } from "@/lib/db";
import { withTransaction } from "@/lib/db/transaction";
import { ensureSource } from "@/lib/ingest/sources";
import { appendRawRecords } from "@/lib/ledger/append-raw-records";
import { onBeforeCheckpoint } from "@/lib/ledger/create-checkpoint";
import { AUDIT_LEDGER_COLUMNS, AUDIT_PLATFORM, AUDIT_SOURCE_NAME, auditRecordJson, type AuditLedgerRow } from "./audit-ledger-record";
// Registers the audit trail's check with verifyLedger (loaded wherever audit entries are written or flushed).
import "./verify-audit-trail";

export { AUDIT_PLATFORM, AUDIT_SOURCE_NAME, auditRecordJson } from "./audit-ledger-record";

// The audit trail in the ledger. Every audit_log row becomes a raw record of the built-in source of platform
// AUDIT_PLATFORM (created on demand), and audit_log.rawRecordId points at it.
//
// Why a flush rather than an append inside recordAudit: recordAudit runs in its caller's transaction (the entry
// commits with the change it describes). Appending to the Merkle log takes the ledger's advisory lock until
// commit, so appending there would serialize every audited change behind every ingest. Instead:
//   - recordAudit writes the row only, and schedules a flush (debounced, in-process: scheduleAuditFlush);
//   - the flush appends every row with rawRecordId NULL, in id order, and sets rawRecordId, in ONE transaction
//     under its own advisory lock, so each entry is appended exactly once (a crash rolls both back together);
//   - it also runs before the audit trail is listed or exported, before a purge, before every checkpoint is
//     signed (so a checkpoint, and the case export that signs one, covers every entry committed before it),
//     before `ledger verify` and at server start-up, so what those show is in the ledger; rows of a caller transaction still open at flush time are taken by the next flush (the
//     debounce schedules a second sweep a few seconds later).
// Guarantee: every committed audit entry reaches the ledger at the next flush, exactly once, and once appended
// it can never be altered without verifyLedger noticing (the payload is the entry's JSON, see auditRecordJson),
// nor can its audit_log row (verify-audit-trail.ts compares the two).
// Ledger order is flush order; within one flush it is id order.
//
// The audit source creates raw records only, never events: nothing normalizes it, so sessions, correlation and
// coverage never see it; source lists that would confuse users filter it out with AUDIT_PLATFORM.

const FLUSH_LOCK = 7_265_101_007;
const CHUNK = 2000;

let inFlight: Promise<number> | null = null;

// Every checkpoint covers the audit entries committed before it: createCheckpoint runs this flush first (a failed
// flush is logged there and does not stop the checkpoint). Registered when this module loads, which every caller
// that records audit entries (and so every ingest, reprocess and export) has done.
onBeforeCheckpoint(() => flushAuditToLedger());

/** Appends every audit entry not yet in the ledger; returns how many were appended. Concurrent calls share one run. */
export async function flushAuditToLedger(): Promise<number> {
  if (inFlight) {
    // A run already going may have missed rows committed after it read; run once more after it.
    await inFlight.catch(() => 0);
  }
  inFlight = flushOnce();
  try {
    return await inFlight;
  } finally {
    inFlight = null;
  }
}

async function flushOnce(): Promise<number> {
  let total = 0;
  let source: string | null = null;
  for (;;) {
    const pending = await pool().query(`SELECT 1 FROM audit_log WHERE "rawRecordId" IS NULL LIMIT 1`);
    if (pending.rows.length === 0) return total;
    const sourceId = (source ??= (await ensureSource({ platform: AUDIT_PLATFORM, name: AUDIT_SOURCE_NAME })).id);
    const n = await withTransaction(
      async (client) => {
        const rows = (
          await client.query<AuditLedgerRow>(
            `SELECT ${AUDIT_LEDGER_COLUMNS} FROM audit_log a WHERE a."rawRecordId" IS NULL ORDER BY a.id LIMIT $1 FOR UPDATE`,
            [CHUNK],
          )
        ).rows;
        if (rows.length > 0) {
          const results = await appendRawRecords({
            client,
            rows: rows.map((r) => ({
              sourceId,
              batchId: null,
              fileName: "audit_log",
              position: Number(r.id),
              payload: Buffer.from(auditRecordJson(r), "utf8"),
            })),
          });
          await client.query(
            `UPDATE audit_log a SET "rawRecordId" = u.raw FROM unnest($1::bigint[], $2::bigint[]) AS u(id, raw) WHERE a.id = u.id`,
            [rows.map((r) => r.id), results.map((x) => x.id)],
          );
        }
        return rows.length;
      },
      { lock: FLUSH_LOCK },
    );
    total += n;
    if (n < CHUNK) return total;
  }
}

// Debounced in-process trigger, called by recordAudit. Off when SESSIONPROOF_AUDIT_AUTOFLUSH=0: the test
// setup sets it (tests call flushAuditToLedger themselves, so that a timer never writes into another test's
// database), and so can a process that flushes on its own schedule.
let timer: NodeJS.Timeout | null = null;
let sweep: NodeJS.Timeout | null = null;

export function scheduleAuditFlush(): void {
  if (process.env.SESSIONPROOF_AUDIT_AUTOFLUSH === "0") return;
  const run = () =>
    flushAuditToLedger().catch((err: Error) =>
      console.error("[audit] flush to the ledger failed (retried on the next entry):", err.message),
    );
  if (!timer) {
    timer = setTimeout(() => {
      timer = null;
      void run();
    }, 250);
    timer.unref?.();
  }
  // A second pass for entries whose transaction had not committed yet when the first one ran.
  if (sweep) clearTimeout(sweep);
  sweep = setTimeout(() => {
    sweep = null;
    void run();
  }, 5000);
  sweep.unref?.();
}

/**
 * For a process about to close its database (the CLI): cancels the pending timers and, when an entry was waiting
 * for them, flushes now, so that the entries reach the ledger before the connection goes and no timer fires
 * against a database that is shutting down.
 */
export async function drainAuditFlush(): Promise<void> {
  const pending = timer !== null || sweep !== null;
  if (timer) clearTimeout(timer);
  if (sweep) clearTimeout(sweep);
  timer = null;
  sweep = null;
  if (pending) await flushAuditToLedger();
}
