import { pool } from "@/lib/db";
import { registerLedgerCheck, type LedgerError } from "@/lib/ledger/ledger-error";
import { AUDIT_LEDGER_COLUMNS, AUDIT_PLATFORM, auditRecordJson, type AuditLedgerRow } from "./audit-ledger-record";

// The audit trail against its copy in the ledger, run by every verifyLedger (registered below). The ledger record
// of an entry is checked like any record (hashes, signed append batch); this checks that audit_log, which the
// Audit page and exports read, still says what its ledger record says: an entry edited after it was flushed, one
// whose record is gone, and a record whose entry was deleted are each named. Entries not yet flushed are not
// covered (`ledger verify` flushes first).

const PAGE = 5000;

function differingFields(row: AuditLedgerRow, payload: Buffer): string {
  let recorded: Record<string, unknown>;
  try {
    recorded = JSON.parse(payload.toString("utf8")) as Record<string, unknown>;
  } catch {
    return "its ledger record is not JSON";
  }
  const now = JSON.parse(auditRecordJson(row)) as Record<string, unknown>;
  const keys = Object.keys(now).filter((k) => JSON.stringify(now[k]) !== JSON.stringify(recorded[k]));
  return keys.length
    ? keys.map((k) => `${k} is ${JSON.stringify(now[k])} in audit_log but ${JSON.stringify(recorded[k])} in the ledger`).join("; ")
    : "its text differs from its ledger record";
}

export async function verifyAuditTrail(fail: (e: LedgerError) => void): Promise<void> {
  for (let after = "0"; ;) {
    const r = await pool().query<AuditLedgerRow & { raw: string; found: boolean; leafIndex: string | null; payload: Buffer | null }>(
      `SELECT ${AUDIT_LEDGER_COLUMNS}, a."rawRecordId"::text AS raw, r.id IS NOT NULL AS found, r."leafIndex"::text AS "leafIndex", r.payload
         FROM audit_log a LEFT JOIN raw_record r ON r.id = a."rawRecordId"
        WHERE a."rawRecordId" IS NOT NULL AND a.id > $1::bigint ORDER BY a.id LIMIT ${PAGE}`,
      [after],
    );
    for (const row of r.rows) {
      const at = { auditId: row.id, rawRecordId: row.raw, leafIndex: row.leafIndex === null ? undefined : Number(row.leafIndex) };
      if (!row.found) {
        fail({
          kind: "audit-entry-record-missing",
          ...at,
          message: `audit entry ${row.id} points at raw record ${row.raw}, which the ledger does not hold (deleted)`,
        });
      } else if (row.payload && !row.payload.equals(Buffer.from(auditRecordJson(row), "utf8"))) {
        fail({
          kind: "audit-entry-mismatch",
          ...at,
          message: `audit entry ${row.id} was changed after it reached the ledger (raw record ${row.raw}): ${differingFields(row, row.payload)}`,
        });
      }
    }
    if (r.rows.length < PAGE) break;
    after = r.rows[r.rows.length - 1].id;
  }
  const orphans = await pool().query<{ id: string; leafIndex: string; payload: Buffer | null }>(
    `SELECT r.id::text AS id, r."leafIndex"::text AS "leafIndex", r.payload FROM raw_record r JOIN source s ON s.id = r."sourceId"
      WHERE s.platform = $1 AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a."rawRecordId" = r.id) ORDER BY r."leafIndex" LIMIT 100`,
    [AUDIT_PLATFORM],
  );
  for (const o of orphans.rows) {
    let auditId: string | undefined;
    try {
      auditId = String((JSON.parse(o.payload?.toString("utf8") ?? "null") as { id?: unknown } | null)?.id ?? "") || undefined;
    } catch {
      auditId = undefined;
    }
    fail({
      kind: "audit-entry-deleted",
      auditId,
      rawRecordId: o.id,
      leafIndex: Number(o.leafIndex),
      message: `raw record ${o.id} holds audit entry ${auditId ?? "(unreadable)"}, which audit_log no longer has (the entry was deleted)`,
    });
  }
}

registerLedgerCheck("audit-trail", verifyAuditTrail);
