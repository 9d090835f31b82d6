import { db } from "@/lib/db";
import { withTransaction } from "@/lib/db/transaction";
import { auditRow } from "@/lib/audit/record-audit";
import { insertAudit } from "@/lib/audit/insert-audit";
import type { RequestContext } from "@/lib/context/request-context";
import { appendRawRecords } from "@/lib/ledger/append-raw-records";
import { createCheckpoint } from "@/lib/ledger/create-checkpoint";
import { normalizeRecord } from "@/lib/sources/normalize-record";
import { parseCsvRecord } from "@/lib/sources/read/csv";
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

/** Runs the current parsers over quarantined records again (after a parser fix). Resolved records enter the
 *  ledger and the events like any other; the rest keep (an updated) reason. */
export async function reprocessQuarantine({ ctx, filter }: { ctx: RequestContext; filter: QuarantineFilter }): Promise<ReprocessResult> {
  const rows = await db().quarantinedRecord.findMany({
    where: { ...where(filter), resolvedRawRecordId: null },
    include: { source: true, batch: { select: { header: true } } },
    orderBy: { id: "asc" },
  });
  // One transaction with its audit entry: the records resolved, the reasons updated and the entry that counts
  // them commit together (the ledger's append lock is held until then, so concurrent ingests wait for it).
  const resolved = await withTransaction(async (client) => {
    let resolved = 0;
    for (const r of rows) {
      const parser = getSource(r.source.platform);
      let events;
      let reason: string | null = null;
      try {
        if (!parser) throw new NormalizeError(`no parser for platform ${r.source.platform}`);
        // A CSV row is read against its file's header (kept on the batch); a JSON record is parsed as is.
        const raw = Buffer.from(r.raw);
        const record = r.batch?.header != null ? parseCsvRecord(r.batch.header, raw) : JSON.parse(raw.toString("utf8"));
        events = normalizeRecord(parser, record, { fileName: r.fileName, position: Number(r.position) });
      } catch (err) {
        reason =
          err instanceof NormalizeError
            ? err.message
            : err instanceof SyntaxError
              ? `not valid JSON: ${err.message}`
              : (err as Error).message;
      }
      if (events) {
        // Encoded first: the record's events hash goes into its signed append batch.
        const buffer = new EventCopyBuffer(r.sourceId);
        const k = buffer.add(events.map(toEventRow));
        const [res] = await appendRawRecords({
          client,
          rows: [
            {
              sourceId: r.sourceId,
              batchId: r.batchId,
              fileName: r.fileName,
              position: Number(r.position),
              payload: Buffer.from(r.raw),
              eventsHash: buffer.eventsHash(k),
            },
          ],
        });
        if (res.status === "stored") {
          buffer.setRawRecordId(k, res.id);
          await buffer.copy(client, () => true);
        }
        await client.query(`UPDATE quarantined_record SET "reprocessedAt" = now(), "resolvedRawRecordId" = $2 WHERE id = $1`, [
          String(r.id),
          String(res.id),
        ]);
        resolved++;
      } else {
        await client.query(`UPDATE quarantined_record SET "reprocessedAt" = now(), reason = $2 WHERE id = $1`, [String(r.id), reason]);
      }
    }
    await insertAudit(client, auditRow(ctx, { type: "ingest.reprocess", count: rows.length, resolved }));
    return resolved;
  });
  if (resolved > 0) await createCheckpoint({});
  return { attempted: rows.length, resolved, stillQuarantined: rows.length - resolved };
}
