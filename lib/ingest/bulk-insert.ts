import type { PoolClient } from "pg";
import type { EventRow } from "@/lib/events/schema";
import { CopyEncoder, copyBinary } from "@/lib/db/pg-copy";
import { eventsHash } from "@/lib/ledger/append-batch";
import { HASH_SIZE, sha256 } from "@/lib/ledger/merkle";

// Set-based inserts for the ingest hot path: events as one binary COPY per chunk, quarantined records as one
// INSERT ... SELECT FROM unnest(arrays). Prisma's createMany is CPU-bound at a few thousand rows/s here; COPY
// is two orders of magnitude faster (DESIGN §3).

export type EventRowInput = EventRow & { rawRecordId: string | number | bigint };

// PostgreSQL text and jsonb cannot hold U+0000. The raw record keeps the exact bytes; the normalized copy
// replaces NUL with U+FFFD so that one odd record cannot fail its whole chunk.
const NUL = /\u0000/g;
const clean = (v: unknown) => (typeof v === "string" && v.includes("\u0000") ? v.replace(NUL, "\uFFFD") : v);
// A replacer function makes JSON.stringify several times slower, so it runs only when a NUL is actually there
// (JSON writes U+0000 as the escape \u0000, which nothing else produces).
const cleanJson = (data: unknown) => {
  const text = JSON.stringify(data);
  return text.includes("\\u0000") ? JSON.stringify(data, (_k, v) => clean(v)) : text;
};

const EVENT_COLUMNS = `event ("sourceId", "rawRecordId", platform, time, "classUid", "className", activity, "nativeId", status,
  "actorExternalId", "actorName", "actorType", "sessionKey", "credentialKey", "clientAppId", "srcIp", "userAgent",
  "targetType", "targetId", "targetName", privileged, data, "dataHash", "eventName")`;

export async function insertEvents(client: PoolClient, sourceId: string, rows: EventRowInput[]): Promise<void> {
  if (rows.length === 0) return;
  const buf = new EventCopyBuffer(sourceId);
  for (const r of rows) buf.setRawRecordId(buf.add([r]), r.rawRecordId);
  await buf.copy(client, () => true);
}

// Byte offset of rawRecordId's value inside an encoded event tuple: field count (2), sourceId (4 + 16), length (4).
const RAW_ID_AT = 2 + 4 + 16 + 4;

type GovernanceRow = { rawRecordId: bigint; data: EventRow["data"] };

/**
 * A chunk's events, encoded for COPY as soon as their record is normalized, with rawRecordId left blank until
 * the ledger append has given the record its id. Holding a chunk as flat bytes rather than thousands of event
 * objects keeps them out of the garbage collector's way (copying those live objects between generations cost
 * the ingest process about a third of its CPU time), and the COPY then sends the bytes as they are.
 *
 * Each event's dataHash is the SHA-256 of its data as encoded (the exact JSON text PostgreSQL stores: json keeps
 * its text), hashed in place in the buffer, so no second serialization; the record's events hash
 * (lib/ledger/append-batch.ts) goes into its signed append batch. Cost: one SHA-256 over each event's JSON
 * (about 1.7 KB) and one over each record's 32-byte event hashes.
 */
export class EventCopyBuffer {
  private readonly enc = new CopyEncoder(1 << 20);
  /** Byte offset of every encoded event; record k's events are numbers first[k] .. first[k + 1] - 1. */
  private readonly tupleStart: number[] = [];
  private readonly first: number[] = [0];
  /** The few events that feed the governance projection (approvals, JIT grants, policy decisions), by record. */
  private readonly governance = new Map<number, GovernanceRow[]>();
  /** Per record, the hash of its events (32 bytes each, in record order). */
  private recordHashes = Buffer.allocUnsafe(1024 * HASH_SIZE);

  constructor(readonly sourceId: string) {}

  /** Records added so far. */
  get records(): number {
    return this.first.length - 1;
  }

  /**
   * Encodes one record's events; returns the record's number in this buffer. All or nothing: an event that
   * cannot be encoded (an invalid date, say) leaves the buffer as it was, and the caller quarantines the record.
   */
  add(rows: readonly EventRow[]): number {
    const k = this.records;
    const enc = this.enc;
    const bytesBefore = enc.length;
    const tuplesBefore = this.tupleStart.length;
    const governance: GovernanceRow[] = [];
    const dataHashes: Buffer[] = [];
    const text = (v: string | null) => enc.text(clean(v) as string | null);
    try {
      for (const r of rows) {
        this.tupleStart.push(enc.length);
        enc.tuple(24).uuid(this.sourceId).int8(0);
        text(r.platform);
        enc.timestamp(r.time).int4(r.classUid);
        text(r.className);
        text(r.activity);
        text(r.nativeId);
        text(r.status);
        text(r.actorExternalId);
        text(r.actorName);
        text(r.actorType);
        text(r.sessionKey);
        text(r.credentialKey);
        text(r.clientAppId);
        text(r.srcIp);
        text(r.userAgent);
        text(r.targetType);
        text(r.targetId);
        text(r.targetName);
        enc.bool(r.privileged);
        const dataAt = enc.length + 4; // after the field's length
        enc.text(cleanJson(r.data));
        const dataHash = sha256(enc.bytesView().subarray(dataAt));
        dataHashes.push(dataHash);
        enc.bytes(dataHash);
        text(r.eventName);
        if (r.data.approval || r.data.jit || r.data.policy) governance.push({ rawRecordId: BigInt(0), data: r.data });
      }
    } catch (err) {
      enc.truncate(bytesBefore);
      this.tupleStart.length = tuplesBefore;
      throw err;
    }
    if (governance.length) this.governance.set(k, governance);
    this.first.push(this.tupleStart.length);
    if (this.recordHashes.length < (k + 1) * HASH_SIZE) {
      const grown = Buffer.allocUnsafe(this.recordHashes.length * 2);
      this.recordHashes.copy(grown);
      this.recordHashes = grown;
    }
    eventsHash(dataHashes).copy(this.recordHashes, k * HASH_SIZE);
    return k;
  }

  /** The hash of record k's events, for its ledger append (appendRawRecords' eventsHash). */
  eventsHash(k: number): Buffer {
    return this.recordHashes.subarray(k * HASH_SIZE, (k + 1) * HASH_SIZE);
  }

  /** Fills in record k's rawRecordId in all its events. */
  setRawRecordId(k: number, id: string | number | bigint): void {
    const bytes = this.enc.bytesView();
    const v = BigInt(id);
    for (let t = this.first[k]; t < this.first[k + 1]; t++) bytes.writeBigInt64BE(v, this.tupleStart[t] + RAW_ID_AT);
    for (const g of this.governance.get(k) ?? []) g.rawRecordId = v;
  }

  /** The governance rows of the included records, for projectGovernance. */
  governanceRows(include: (k: number) => boolean): GovernanceRow[] {
    const out: GovernanceRow[] = [];
    for (const [k, rows] of this.governance) if (include(k)) out.push(...rows);
    return out;
  }

  /** COPYs the events of the included records (each must have its rawRecordId set); returns the events written. */
  async copy(client: PoolClient, include: (k: number) => boolean): Promise<number> {
    const bytes = this.enc.bytesView();
    const parts: Buffer[] = [new CopyEncoder(32).header().take()];
    // Runs of consecutive included records go out as views of the buffer, without copying.
    let from = -1;
    for (let k = 0; k < this.records; k++) {
      if (this.first[k] === this.first[k + 1]) continue; // a record without events
      const start = this.tupleStart[this.first[k]];
      if (include(k)) {
        if (from < 0) from = start;
      } else if (from >= 0) {
        parts.push(bytes.subarray(from, start));
        from = -1;
      }
    }
    if (from >= 0) parts.push(bytes.subarray(from, bytes.length));
    if (parts.length === 1) return 0;
    parts.push(new CopyEncoder(8).trailer().take());
    return copyBinary(client, EVENT_COLUMNS, parts);
  }
}

export type QuarantineRowInput = { position: number; raw: Buffer; reason: string };

/**
 * Quarantines a chunk's unreadable records, once per file: a record whose exact bytes this source quarantined in an
 * earlier batch is not stored again (re-ingesting a file does not grow the quarantine); equal records inside one
 * batch are each kept (each is a record of the file, at its own position). Returns, per row, the id of the
 * quarantined_record it repeats, or null when it was stored now. One statement: the rows' SHA-256 computed by
 * PostgreSQL, looked up through (sourceId, rawHash).
 */
export async function insertQuarantine(
  client: PoolClient,
  q: { sourceId: string; batchId: string; fileName: string; rows: QuarantineRowInput[] },
): Promise<(string | null)[]> {
  if (q.rows.length === 0) return [];
  const r = await client.query<{ i: number; prior: string | null }>(
    `WITH h AS (
       SELECT u.position, u.raw, u.reason, u.i::int AS i, sha256(u.raw) AS hash
         FROM unnest($4::bigint[], $5::bytea[], $6::text[]) WITH ORDINALITY AS u(position, raw, reason, i)),
     prior AS (
       SELECT DISTINCT ON (h.i) h.i, q.id FROM h
         JOIN quarantined_record q ON q."sourceId" = $1::uuid AND q."rawHash" = h.hash AND q."batchId" IS DISTINCT FROM $2::uuid
        ORDER BY h.i, q.id),
     ins AS (
       INSERT INTO quarantined_record ("sourceId", "batchId", "fileName", position, raw, reason, "rawHash")
       SELECT $1::uuid, $2::uuid, $3, h.position, h.raw, h.reason, h.hash FROM h
        WHERE NOT EXISTS (SELECT 1 FROM prior p WHERE p.i = h.i) ORDER BY h.i)
     SELECT i, id::text AS prior FROM prior`,
    [
      q.sourceId,
      q.batchId,
      q.fileName,
      q.rows.map((r) => r.position),
      q.rows.map((r) => r.raw),
      q.rows.map((r) => String(clean(r.reason.slice(0, 2000)))),
    ],
  );
  const out: (string | null)[] = new Array(q.rows.length).fill(null);
  for (const row of r.rows) out[row.i - 1] = row.prior;
  return out;
}
