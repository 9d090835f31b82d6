import { pool } from "@/lib/db";
import { DEFAULT_TENANT } from "@/lib/context/request-context";
import { raw, sql } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";
import type { DuplicateDto, DuplicateKind, DuplicateSort, DuplicatesPage, ListDuplicatesQuery } from "./list-duplicates.types";

export { listDuplicatesQuery, type DuplicateDto, type DuplicatesPage, type ListDuplicatesQuery } from "./list-duplicates.types";

// Which records of a batch were counted as duplicates and of what (ingest_duplicate, written by native-dedup.ts),
// with the original each one names: the raw record (same_event, same_bytes) or the quarantined record
// (quarantined), its batch and file, and the original's event carrying the matched native id. Paged in SQL: a
// re-sent export can count every one of its records as a duplicate. Sorting by position walks the
// (batchId, position) index and looks up only the page's originals; sorting by the original's event time looks
// them all up.

const SORT_SQL: Record<DuplicateSort, string> = { position: `d.position`, time: `e.time` };

type Row = {
  id: string;
  position: string;
  kind: DuplicateKind;
  nativeId: string | null;
  rawRecordId: string | null;
  originalId: string;
  rId: string | null;
  rBatchId: string | null;
  rFileName: string | null;
  rPosition: string | null;
  rAt: Date | null;
  rPurged: boolean | null;
  qId: string | null;
  qBatchId: string | null;
  qFileName: string | null;
  qPosition: string | null;
  qAt: Date | null;
  eventCount: string;
  eId: string | null;
  eTime: Date | null;
  eClass: string | null;
  eName: string | null;
  eSession: string | null;
};

function toDto(r: Row, fileName: string): DuplicateDto {
  const event =
    r.eId === null ? null : { id: r.eId, time: r.eTime!.toISOString(), className: r.eClass!, name: r.eName, sessionId: r.eSession };
  const original =
    r.rId !== null
      ? {
          type: "raw_record" as const,
          id: r.rId,
          batchId: r.rBatchId,
          fileName: r.rFileName!,
          position: Number(r.rPosition),
          at: r.rAt!.toISOString(),
          payloadPurged: r.rPurged!,
          eventCount: Number(r.eventCount),
          event,
        }
      : r.qId !== null
        ? {
            type: "quarantined_record" as const,
            id: r.qId,
            batchId: r.qBatchId,
            fileName: r.qFileName!,
            position: Number(r.qPosition),
            at: r.qAt!.toISOString(),
            payloadPurged: false,
            eventCount: 0,
            event: null,
          }
        : null;
  return {
    id: r.id,
    position: Number(r.position),
    fileName,
    kind: r.kind,
    nativeId: r.nativeId,
    rawRecordId: r.rawRecordId,
    original,
  };
}

/** One page of the batch's duplicates; NOT_FOUND when there is no such batch. */
export async function listDuplicates({ batchId, query }: { batchId: string; query: ListDuplicatesQuery }): Promise<DuplicatesPage> {
  const batch = await pool().query<{ id: string; fileName: string; platform: string; duplicateCount: number }>(
    sql`SELECT id::text AS id, "fileName", platform, "duplicateCount" FROM ingest_batch
         WHERE id = ${batchId}::uuid AND "tenantId" = ${DEFAULT_TENANT}`,
  );
  const b = batch.rows[0];
  if (!b) throw new AppError("NOT_FOUND", "No such ingest batch. Reload the Ingest page and pick a batch from its list.");
  const dir = raw(query.dir === "asc" ? "ASC" : "DESC");
  const [rows, total] = await Promise.all([
    pool().query<Row>(
      sql`SELECT d.id::text AS id, d.position::text AS position, d.kind, d."nativeId", d."rawRecordId"::text AS "rawRecordId",
                 d."originalId"::text AS "originalId",
                 r.id::text AS "rId", r."batchId"::text AS "rBatchId", r."fileName" AS "rFileName", r.position::text AS "rPosition",
                 r."receivedAt" AS "rAt", r."purgedAt" IS NOT NULL OR r.payload IS NULL AS "rPurged",
                 q.id::text AS "qId", q."batchId"::text AS "qBatchId", q."fileName" AS "qFileName", q.position::text AS "qPosition",
                 q."createdAt" AS "qAt",
                 COALESCE(n.c, 0)::text AS "eventCount",
                 e.id::text AS "eId", e.time AS "eTime", e."className" AS "eClass", e.name AS "eName", e."sessionId"::text AS "eSession"
            FROM ingest_duplicate d
            LEFT JOIN raw_record r ON d.kind <> 'quarantined' AND r.id = d."originalId"
            LEFT JOIN quarantined_record q ON d.kind = 'quarantined' AND q.id = d."originalId"
            -- The original's event that stands for this record: the one with the matched native id, else its first.
            LEFT JOIN LATERAL (
              SELECT ev.id, ev.time, ev."className", COALESCE(ev."eventName", ev.data->>'event_name') AS name, ev."sessionId"
                FROM event ev
               WHERE r.id IS NOT NULL AND ev."rawRecordId" = r.id AND (d."nativeId" IS NULL OR ev."nativeId" = d."nativeId")
               ORDER BY ev.id LIMIT 1) e ON true
            LEFT JOIN LATERAL (SELECT count(*) AS c FROM event ev WHERE r.id IS NOT NULL AND ev."rawRecordId" = r.id) n ON true
           WHERE d."batchId" = ${batchId}::uuid
           ORDER BY ${raw(SORT_SQL[query.sort])} ${dir} NULLS LAST, d.position ${dir}, d.id ${dir}
           LIMIT ${query.limit} OFFSET ${query.offset}`,
    ),
    pool().query<{ n: string }>(sql`SELECT count(*)::text AS n FROM ingest_duplicate WHERE "batchId" = ${batchId}::uuid`),
  ]);
  return {
    items: rows.rows.map((r) => toDto(r, b.fileName)),
    total: Number(total.rows[0].n),
    offset: query.offset,
    limit: query.limit,
    batch: { id: b.id, fileName: b.fileName, platform: b.platform, duplicateCount: b.duplicateCount },
    sort: query.sort,
    dir: query.dir,
  };
}
