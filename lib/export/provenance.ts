import { pool } from "@/lib/db";
import { DEFAULT_TENANT } from "@/lib/context/request-context";
import { prefetched } from "./prefetched";

// Where each record of an evidence package came from: the ingest batches of its raw records (raw/index.ndjson names
// each record's batchId), each with its channel, original file name and SHA-256, who ingested it, its counts
// (read = stored + duplicate + quarantined) and its CSV header record; and the quarantined records of those batches,
// which never entered the ledger. Written as provenance/batches.json and provenance/quarantined.ndjson.

export type BatchProvenance = {
  batchId: string;
  /** How the file arrived: upload (web page), cli (npm run cli -- ingest), api (push API). */
  channel: string;
  source: { id: string; name: string | null; platform: string };
  file: { name: string; sha256: string | null; bytes: string | null; format: string | null };
  /** The person, token or command-line user the ingest is attributed to (its audit entry). */
  ingestedBy: string | null;
  startedAt: string;
  finishedAt: string | null;
  status: string;
  error: string | null;
  counts: { read: number; stored: number; duplicate: number; quarantined: number };
  /**
   * CSV files: the header row. In the ledger (rawRecordId, in this package with its proof) for batches ingested since
   * header rows became records; before that only the batch table kept it (text, not ledger-proven).
   */
  csvHeader: { rawRecordId: string; inLedger: true } | { rawRecordId: null; inLedger: false; text: string } | null;
};

const CHANNEL: Record<string, string> = { upload: "upload", cli: "cli", api: "api push" };

type BatchRow = {
  id: string;
  via: string;
  sourceId: string;
  sourceName: string | null;
  platform: string;
  fileName: string;
  fileSha256: string | null;
  bytes: string | null;
  format: string | null;
  ingestedBy: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  status: string;
  error: string | null;
  readCount: number;
  storedCount: number;
  duplicateCount: number;
  quarantinedCount: number;
  header: string | null;
  headerRawRecordId: string | null;
};

/** The batches by id, oldest first. */
export async function loadBatchProvenance(batchIds: string[]): Promise<BatchProvenance[]> {
  if (batchIds.length === 0) return [];
  const rows = (
    await pool().query<BatchRow>(
      `SELECT b.id, b.via, b."sourceId", s.name AS "sourceName", b.platform, b."fileName", b."fileSha256",
              COALESCE(b."byteSize", b."bytesRead")::text AS bytes, b.format, COALESCE(u.email, a."actorEmail") AS "ingestedBy",
              b."startedAt", b."finishedAt", b.status::text AS status, b.error, b."readCount", b."storedCount", b."duplicateCount",
              b."quarantinedCount", b.header, b."headerRawRecordId"::text AS "headerRawRecordId"
         FROM ingest_batch b
         LEFT JOIN source s ON s.id = b."sourceId"
         LEFT JOIN app_user u ON u.id = b."createdById"
         LEFT JOIN LATERAL (SELECT l."actorEmail" FROM audit_log l
                             WHERE l.action = 'ingest.batch' AND l."resourceType" = 'ingest_batch' AND l."resourceId" = b.id::text
                             ORDER BY l.id LIMIT 1) a ON true
        WHERE b.id = ANY($1::uuid[]) AND b."tenantId" = $2
        ORDER BY b."startedAt", b.id`,
      [batchIds, DEFAULT_TENANT],
    )
  ).rows;
  return rows.map((b) => ({
    batchId: b.id,
    channel: CHANNEL[b.via] ?? b.via,
    source: { id: b.sourceId, name: b.sourceName, platform: b.platform },
    file: { name: b.fileName, sha256: b.fileSha256, bytes: b.bytes, format: b.format },
    ingestedBy: b.ingestedBy,
    startedAt: b.startedAt.toISOString(),
    finishedAt: b.finishedAt?.toISOString() ?? null,
    status: b.status,
    error: b.error,
    counts: { read: b.readCount, stored: b.storedCount, duplicate: b.duplicateCount, quarantined: b.quarantinedCount },
    csvHeader: b.headerRawRecordId
      ? { rawRecordId: b.headerRawRecordId, inLedger: true }
      : b.header !== null
        ? { rawRecordId: null, inLedger: false, text: b.header }
        : null,
  }));
}

/** provenance/batches.json. */
export function batchesJson(batches: BatchProvenance[]): Buffer {
  const doc = {
    about:
      "The ingest batches the package's raw records came from (raw/index.ndjson gives each record's batchId). file.sha256 is the " +
      "SHA-256 of the file exactly as received (compressed bytes for .gz), null when the batch predates it or did not read the file " +
      "to its end. counts: read = stored + duplicate + quarantined; a duplicate was already in the ledger from an earlier batch. " +
      "csvHeader: the header row of a CSV file, a raw record of this package (inLedger true), or for batches ingested before header " +
      "rows entered the ledger the text the batch table kept (inLedger false: not proven by the ledger). The quarantined records " +
      "of these batches are in provenance/quarantined.ndjson.",
    batches,
  };
  return Buffer.from(JSON.stringify(doc, null, 2) + "\n", "utf8");
}

const QUARANTINE_PAGE = 2_000;

/**
 * provenance/quarantined.ndjson: every quarantined record of the batches, as stored (base64), with its SHA-256 and
 * the reason it could not be read. They carry no event time (that is why they are quarantined), so a batch's
 * quarantined records are all listed rather than filtered by the case's time range. Pages by id; PostgreSQL builds
 * the lines. The file is left out when there are none (scope.json gives the count either way).
 */
export async function quarantinedIds(batchIds: string[]): Promise<string[]> {
  if (batchIds.length === 0) return [];
  const r = await pool().query<{ id: string }>(
    `SELECT id::text FROM quarantined_record WHERE "batchId" = ANY($1::uuid[]) AND "tenantId" = $2 ORDER BY id`,
    [batchIds, DEFAULT_TENANT],
  );
  return r.rows.map((x) => x.id);
}

export async function* quarantinedLines(ids: string[]): AsyncGenerator<Buffer> {
  const pages = Math.ceil(ids.length / QUARANTINE_PAGE);
  yield* prefetched(pages, async (p) => {
    const page = ids.slice(p * QUARANTINE_PAGE, (p + 1) * QUARANTINE_PAGE);
    const r = await pool().query<{ lines: string }>(
      `SELECT string_agg(json_build_object('id', q.id::text, 'batchId', q."batchId", 'sourceId', q."sourceId", 'fileName', q."fileName",
                                           'position', q.position::text, 'reason', q.reason, 'quarantinedAt', q."createdAt",
                                           'reprocessedAt', q."reprocessedAt", 'resolvedRawRecordId', q."resolvedRawRecordId"::text,
                                           'sha256', encode(sha256(q.raw), 'hex'), 'rawBase64', translate(encode(q.raw, 'base64'), E'\\n', ''))::text,
                        E'\\n' ORDER BY q.id) || E'\\n' AS lines
         FROM quarantined_record q WHERE q.id = ANY($1::bigint[])`,
      [page],
    );
    return Buffer.from(r.rows[0].lines ?? "", "utf8");
  });
}
