import { pool } from "@/lib/db";
import type { RequestContext } from "@/lib/context/request-context";
import { raw, sql } from "@/lib/db/sql";
import { csvCell } from "./csv-cell";
import { recordAudit } from "./record-audit";
import { flushAuditToLedger } from "./flush-audit-to-ledger";
import { AUDIT_COLUMNS, auditWhere, toEntry, type AuditEntry, type AuditFilters } from "./list-audit";

// The audit trail as CSV or NDJSON, streamed in id order by keyset (a chunk per query), so an export of any size
// uses constant memory. The export is itself an audit entry, written (and flushed to the ledger, with every
// entry before it) before the first byte goes out: the file then shows ledger leaf numbers for all its rows. The
// file holds the entries that matched when the export started (its count), not the export's own entry.

const CHUNK = 2000;
const CSV_COLUMNS = [
  "id",
  "at",
  "actorEmail",
  "actorId",
  "action",
  "resourceType",
  "resourceId",
  "ip",
  "userAgent",
  "leafIndex",
  "details",
] as const;

function line(format: "csv" | "ndjson", e: AuditEntry): string {
  if (format === "ndjson") return JSON.stringify(e) + "\n";
  return CSV_COLUMNS.map((c) => csvCell(e[c])).join(",") + "\n";
}

export async function exportAudit({
  ctx,
  format,
  filters,
}: {
  ctx: RequestContext;
  format: "csv" | "ndjson";
  filters: AuditFilters;
}): Promise<{ count: number; stream: ReadableStream<Uint8Array> }> {
  const where = auditWhere(filters);
  // The file holds exactly the entries counted here: rows added later (this export's own entry included) are past `last`.
  const head = (
    await pool().query<{ n: string; last: string }>(
      sql`SELECT count(*)::text AS n, COALESCE(max(a.id), 0)::text AS last FROM audit_log a WHERE ${where}`,
    )
  ).rows[0];
  const count = Number(head.n);
  const last = head.last;
  await recordAudit({
    ctx,
    resourceType: "audit_log",
    details: { type: "audit.exported", format, count, filters: JSON.parse(JSON.stringify(filters)) as Record<string, unknown> },
  });
  await flushAuditToLedger();
  const enc = new TextEncoder();
  let after = "0";
  let started = false;
  let done = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        if (format === "csv") controller.enqueue(enc.encode(CSV_COLUMNS.join(",") + "\n"));
      }
      if (done) return controller.close();
      try {
        const r = await pool().query<Parameters<typeof toEntry>[0]>(
          sql`SELECT ${raw(AUDIT_COLUMNS)} FROM audit_log a LEFT JOIN raw_record r ON r.id = a."rawRecordId"
            WHERE ${where} AND a.id > ${after}::bigint AND a.id <= ${last}::bigint ORDER BY a.id LIMIT ${CHUNK}`,
        );
        if (r.rows.length > 0) {
          controller.enqueue(enc.encode(r.rows.map((row) => line(format, toEntry(row))).join("")));
          after = r.rows[r.rows.length - 1].id;
        }
        if (r.rows.length < CHUNK) done = true;
      } catch (err) {
        controller.error(err);
      }
    },
  });
  return { count, stream };
}
