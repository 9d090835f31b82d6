import type { PoolClient } from "pg";
import { db } from "@/lib/db";
import { and, like, sql } from "@/lib/db/sql";
import { wellFormedText } from "@/lib/events/well-formed";
import { withTransaction } from "@/lib/db/transaction";
import { auditRow } from "@/lib/audit/record-audit";
import { insertAudit } from "@/lib/audit/insert-audit";
import type { RequestContext } from "@/lib/context/request-context";
import { appendRawRecords } from "@/lib/ledger/append-raw-records";
import { createCheckpoint } from "@/lib/ledger/create-checkpoint";
import { normalizeRecord } from "@/lib/sources/normalize-record";
import { parseCsvRecord } from "@/lib/sources/read/csv";
import { DAMAGED_GZIP_REASON } from "@/lib/sources/read/read-records";
import { getSource } from "@/lib/sources/registry";
import { NormalizeError } from "@/lib/sources/types";
import { toEventRow } from "@/lib/events/schema";
import { EventCopyBuffer } from "./bulk-insert";
import type { QuarantineFilter, QuarantinedDto, ReprocessResult } from "./quarantine.types";

export type { QuarantineFilter, QuarantinedDto, ReprocessResult } from "./quarantine.types";

function where(f: QuarantineFilter) {
  return {
    ...(f.batchId ? { batchId: f.batchId } : {}),
    ...(f.sourceId ? { sourceId: f.sourceId } : {}),
    ...(f.includeResolved ? {} : { resolvedRawRecordId: null }),
  };
}

export async function listQuarantine({ filter, limit = 200 }: { filter: QuarantineFilter; limit?: number }) {
  const [rows, total] = await Promise.all([
    db().quarantinedRecord.findMany({ where: where(filter), orderBy: [{ createdAt: "desc" }, { position: "asc" }], take: limit }),
    db().quarantinedRecord.count({ where: where(filter) }),
  ]);
  const items: QuarantinedDto[] = rows.map((r) => ({
    id: String(r.id),
    batchId: r.batchId,
    fileName: r.fileName,
    position: Number(r.position),
    reason: r.reason,
    preview: Buffer.from(r.raw).subarray(0, 300).toString("utf8"),
    size: r.raw.length,
    createdAt: r.createdAt.toISOString(),
    reprocessedAt: r.reprocessedAt?.toISOString() ?? null,
    resolvedRawRecordId: r.resolvedRawRecordId === null ? null : String(r.resolvedRawRecordId),
  }));
  return { items, total };
}

/** NDJSON lines {file, position, reason, raw} in file order, raw as the original text (or base64 if not UTF-8). */
export async function* exportQuarantine({ filter }: { filter: QuarantineFilter }): AsyncGenerator<string> {
  let after = BigInt(-1);
  for (;;) {
    const rows = await db().quarantinedRecord.findMany({
      where: { ...where(filter), id: { gt: after } },
      orderBy: { id: "asc" },
      take: 1000,
    });
    if (rows.length === 0) return;
    for (const r of rows) {
      const raw = Buffer.from(r.raw);
      const text = raw.toString("utf8");
      const isUtf8 = Buffer.from(text, "utf8").equals(raw);
      yield (
        JSON.stringify({
          file: r.fileName,
          position: Number(r.position),
          reason: r.reason,
          ...(isUtf8 ? { raw: text } : { rawBase64: raw.toString("base64") }),
        }) + "\n"
      );
    }
    after = rows[rows.length - 1].id;
  }
}

/** Re-processing reads quarantined records in pages of at most this many rows and (beyond one record) bytes. */
const REPROCESS_PAGE_ROWS = 500;
const REPROCESS_PAGE_BYTES = 8 * 1024 * 1024;

type QuarantinedRow = {
  id: string;
  sourceId: string;
  batchId: string | null;
  fileName: string;
  position: string;
  raw: Buffer;
  platform: string;
  header: string | null;
};

/** Parses and normalizes one quarantined record again: its events, or the (NUL-free) reason it still fails. */
function retry(r: QuarantinedRow): { events: ReturnType<typeof normalizeRecord> } | { reason: string } {
  const parser = getSource(r.platform);
  try {
    if (!parser) throw new NormalizeError(`no parser for platform ${r.platform}`);
    // A CSV row is read against its file's header (kept on the batch); a JSON record is parsed as is.
    const record = r.header != null ? parseCsvRecord(r.header, r.raw) : JSON.parse(r.raw.toString("utf8"));
    return { events: normalizeRecord(parser, record, { fileName: r.fileName, position: Number(r.position) }) };
  } catch (err) {
    const reason =
      err instanceof NormalizeError ? err.message : err instanceof SyntaxError ? `not valid JSON: ${err.message}` : (err as Error).message;
    // A JSON error quotes the record, which may hold NUL or half a surrogate pair: text columns refuse both.
    return { reason: wellFormedText(reason).slice(0, 2000) };
  }
}

/**
 * Runs the current parsers over quarantined records again (after a parser fix). Resolved records enter the ledger
 * and the events like any other; the rest keep (an updated) reason. The records are read in pages (ids and sizes
 * first, then the payloads of at most REPROCESS_PAGE_BYTES), so memory does not grow with the quarantine.
 */
export async function reprocessQuarantine({
  ctx,
  filter,
  pageBytes = REPROCESS_PAGE_BYTES,
}: {
  ctx: RequestContext;
  filter: QuarantineFilter;
  pageBytes?: number;
}): Promise<ReprocessResult> {
  const selected = and(
    sql`q."resolvedRawRecordId" IS NULL`,
    filter.batchId ? sql`q."batchId" = ${filter.batchId}::uuid` : null,
    filter.sourceId ? sql`q."sourceId" = ${filter.sourceId}::uuid` : null,
  );
  // Bytes from a gzip member that failed its checksum stay quarantined: a parser fix does not make them trustworthy.
  const damaged = sql`q.reason LIKE ${like(DAMAGED_GZIP_REASON, "prefix")}`;
  const match = and(selected, sql`NOT (${damaged})`);
  // One transaction with its audit entry: the records resolved, the reasons updated and the entry that counts
  // them commit together (the ledger's append lock is held until then, so concurrent ingests wait for it).
  const counts = await withTransaction(async (client) => {
    // Only the records quarantined when this started: the pages end even while ingests add more.
    const last = (
      await client.query<{ last: string }>(sql`SELECT COALESCE(max(q.id), 0)::text AS last FROM quarantined_record q WHERE ${match}`)
    ).rows[0].last;
    let after = "0";
    let attempted = 0;
    let resolved = 0;
    for (;;) {
      const sizes = await client.query<{ id: string; size: number }>(
        sql`SELECT q.id::text AS id, length(q.raw) AS size FROM quarantined_record q
             WHERE ${match} AND q.id > ${after}::bigint AND q.id <= ${last}::bigint ORDER BY q.id LIMIT ${REPROCESS_PAGE_ROWS}`,
      );
      if (sizes.rows.length === 0) break;
      let bytes = 0;
      const ids: string[] = [];
      for (const r of sizes.rows) {
        if (ids.length > 0 && bytes + r.size > pageBytes) break;
        ids.push(r.id);
        bytes += r.size;
      }
      after = ids[ids.length - 1];
      const page = await client.query<QuarantinedRow>(
        sql`SELECT q.id::text AS id, q."sourceId", q."batchId", q."fileName", q.position::text AS position, q.raw, s.platform, b.header
              FROM quarantined_record q JOIN source s ON s.id = q."sourceId" LEFT JOIN ingest_batch b ON b.id = q."batchId"
             WHERE q.id = ANY(${ids}::bigint[]) ORDER BY q.id`,
      );
      attempted += page.rows.length;
      resolved += await reprocessPage(client, page.rows);
    }
    const untrusted = Number(
      (await client.query<{ n: string }>(sql`SELECT count(*)::text AS n FROM quarantined_record q WHERE ${selected} AND ${damaged}`))
        .rows[0].n,
    );
    await insertAudit(client, auditRow(ctx, { type: "ingest.reprocess", count: attempted, resolved }));
    return { attempted, resolved, untrusted };
  });
  if (counts.resolved > 0) await createCheckpoint({});
  return { ...counts, stillQuarantined: counts.attempted - counts.resolved };
}

/** One page: the records that normalize now go into the ledger (with their events), the rest get their new reason. */
async function reprocessPage(client: PoolClient, rows: QuarantinedRow[]): Promise<number> {
  // Encoded first, one buffer per source: each record's events hash goes into its signed append batch.
  const buffers = new Map<string, EventCopyBuffer>();
  const fixed: { row: QuarantinedRow; buffer: EventCopyBuffer; k: number }[] = [];
  const failed: { id: string; reason: string }[] = [];
  for (const r of rows) {
    const outcome = retry(r);
    if (!("events" in outcome)) {
      failed.push({ id: r.id, reason: outcome.reason });
      continue;
    }
    let buffer = buffers.get(r.sourceId);
    if (!buffer) buffers.set(r.sourceId, (buffer = new EventCopyBuffer(r.sourceId)));
    try {
      fixed.push({ row: r, buffer, k: buffer.add(outcome.events.map(toEventRow)) });
    } catch (err) {
      failed.push({ id: r.id, reason: wellFormedText(`event not storable: ${(err as Error).message}`).slice(0, 2000) });
    }
  }
  if (fixed.length) {
    const results = await appendRawRecords({
      client,
      rows: fixed.map(({ row, buffer, k }) => ({
        sourceId: row.sourceId,
        batchId: row.batchId,
        fileName: row.fileName,
        position: Number(row.position),
        payload: row.raw,
        eventsHash: buffer.eventsHash(k),
      })),
    });
    const stored = new Map<EventCopyBuffer, Set<number>>();
    results.forEach((res, i) => {
      if (res.status !== "stored") return;
      const { buffer, k } = fixed[i];
      buffer.setRawRecordId(k, res.id);
      const set = stored.get(buffer) ?? new Set<number>();
      set.add(k);
      stored.set(buffer, set);
    });
    for (const [buffer, ks] of stored) await buffer.copy(client, (k) => ks.has(k));
    await client.query(
      `UPDATE quarantined_record q SET "reprocessedAt" = now(), "resolvedRawRecordId" = u.raw
         FROM unnest($1::bigint[], $2::bigint[]) AS u(id, raw) WHERE q.id = u.id`,
      [fixed.map(({ row }) => row.id), results.map((res) => String(res.id))],
    );
  }
  if (failed.length) {
    await client.query(
      `UPDATE quarantined_record q SET "reprocessedAt" = now(), reason = u.reason
         FROM unnest($1::bigint[], $2::text[]) AS u(id, reason) WHERE q.id = u.id`,
      [failed.map((f) => f.id), failed.map((f) => f.reason)],
    );
  }
  return fixed.length;
}
