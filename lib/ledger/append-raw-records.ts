import type { PoolClient } from "pg";
import { CopyEncoder, copyBinary } from "@/lib/db/pg-copy";
import { ENTRY_SIZE, NO_EVENTS_HASH, entriesTree, signAppendBatch } from "./append-batch";
import { HASH_SIZE, leafHash, sha256 } from "./merkle";
import { APPEND_LOCK } from "./locks";
import { currentSigningKey, type SigningKey } from "./signing-key";
import { DEFAULT_TENANT } from "@/lib/context/request-context";

// The ingest hot path: every raw record becomes a leaf of the Merkle log, exactly as received. Leaf indices are
// dense (0, 1, 2, ... with no gap ever) because the tree is defined over leaves 0..n-1: a transaction-scoped
// advisory lock serializes appenders from reading max(leafIndex) until their commit, so a rolled-back append
// gives its indices back and concurrent appends never interleave. It also means leafIndex order equals id
// (sequence) order, which verifyLedger relies on to notice reordered rows. Every raw_record row must be
// written through this function.
//
// Rows go in as one binary COPY per call (COPY ... FROM STDIN (FORMAT binary)), streamed while the next rows
// are hashed: INSERT ... SELECT FROM unnest(arrays) cost PostgreSQL about twice as much per row, and Prisma's
// createMany 20-30x more. COPY cannot return ids or skip conflicts, so ids are taken from raw_record's own
// sequence as one block under the lock (ascending with leafIndex, as before), and a duplicate of a stored row
// surfaces as a unique violation that sends the call to the lookup-first path.
//
// Every call that stores records is one signed append batch (ledger_batch, lib/ledger/append-batch.ts), written in
// the same transaction: its leaves, each leaf's hash and the hash of its record's normalized events (the caller
// gives it: eventsHash), signed with the ledger key. A row that reaches raw_record any other way belongs to no
// batch, and verifyLedger names it. Cost per call: one Merkle tree over the stored rows' 64-byte entries (about
// two SHA-256 of 65 bytes per record) and one Ed25519 signature.

// Rows per COPY slice: hashing and encoding the next slice overlaps PostgreSQL storing this one.
const SLICE_ROWS = 1024;
const RAW_COLUMNS = `raw_record (id, "leafIndex", "tenantId", "sourceId", "batchId", "fileName", position, "contentHash", "leafHash", payload)`;

export type AppendRow = {
  sourceId: string;
  batchId: string | null;
  fileName: string;
  position: number;
  payload: Buffer;
  /** Hash of the record's normalized events (lib/ledger/append-batch.ts eventsHash); none: a record without events. */
  eventsHash?: Buffer;
};

export type AppendResult = { status: "stored"; id: string; leafIndex: number } | { status: "duplicate"; id: string };

type Reserved = { firstIndex: number; firstId: bigint };

/** Where this call's batch goes: its number, and the latest checkpoint committed before it. */
type BatchPlace = { seq: number; afterCheckpoint: number };

export async function appendRawRecords({ client, rows }: { client: PoolClient; rows: readonly AppendRow[] }): Promise<AppendResult[]> {
  if (rows.length === 0) return [];
  const batch = new Batch(client, rows);

  // Held until the caller commits: nobody else reads max(leafIndex), takes ids or checks duplicates meanwhile.
  await client.query("SELECT pg_advisory_xact_lock($1)", [APPEND_LOCK]);
  // Read under the lock: a key rotation (lib/ledger/ledger-keys.ts) replaces the key while holding it, so a batch
  // is never signed with a key retired before the batch's after-checkpoint.
  const key = await currentSigningKey();
  const next = await client.query<{ next: string; batch: string; checkpoint: string }>(
    `SELECT (COALESCE(MAX("leafIndex"), -1) + 1)::text AS next,
            (SELECT COALESCE(MAX(seq), 0) FROM ledger_batch)::text AS batch,
            (SELECT COALESCE(MAX(seq), 0) FROM ledger_checkpoint)::text AS checkpoint
       FROM raw_record`,
  );
  const firstIndex = Number(next.rows[0].next);
  const place: BatchPlace = { seq: Number(next.rows[0].batch) + 1, afterCheckpoint: Number(next.rows[0].checkpoint) };

  // Fast path, the usual case of new records: COPY them all. A row that duplicates a stored one fails the COPY
  // on the (sourceId, contentHash) unique index; the attempt is rolled back to the savepoint (its leaf indices
  // with it; the ids it took stay unused, a gap in ids only) and the slow path looks duplicates up first.
  await client.query("SAVEPOINT sessionproof_append");
  try {
    await batch.copyAll(firstIndex);
    await client.query("RELEASE SAVEPOINT sessionproof_append");
  } catch (err) {
    if ((err as { code?: string }).code !== "23505") throw err;
    await client.query("ROLLBACK TO SAVEPOINT sessionproof_append");
    await client.query("RELEASE SAVEPOINT sessionproof_append");
    await batch.copyAfterLookup(firstIndex);
  }
  await batch.sign(firstIndex, place, key);
  return batch.finish();
}

class Batch {
  private readonly n: number;
  private readonly contentHashes: Buffer;
  private readonly leafHashes: Buffer;
  private hashed = 0;
  // In-call repeats: the first occurrence of (sourceId, contentHash) decides, later ones point at it.
  private readonly firstOf = new Map<string, number>();
  private readonly repeatOf: Int32Array;
  private readonly unique: number[] = [];
  /** The rows stored, in leaf order (leaf firstIndex + k is row stored[k]). */
  private stored: readonly number[] = [];
  private results: (AppendResult | undefined)[];

  constructor(
    private readonly client: PoolClient,
    private readonly rows: readonly AppendRow[],
  ) {
    this.n = rows.length;
    this.contentHashes = Buffer.allocUnsafe(this.n * HASH_SIZE);
    this.leafHashes = Buffer.allocUnsafe(this.n * HASH_SIZE);
    this.repeatOf = new Int32Array(this.n).fill(-1);
    this.results = new Array(this.n);
  }

  /** Hashes rows up to `end`; returns the first occurrences among them, in row order. */
  private hashUpTo(end: number): number[] {
    const fresh: number[] = [];
    for (let i = this.hashed; i < end; i++) {
      const payload = this.rows[i].payload;
      sha256(payload).copy(this.contentHashes, i * HASH_SIZE);
      leafHash(payload).copy(this.leafHashes, i * HASH_SIZE);
      const key = this.rows[i].sourceId + this.contentHashes.toString("hex", i * HASH_SIZE, (i + 1) * HASH_SIZE);
      const first = this.firstOf.get(key);
      if (first === undefined) {
        this.firstOf.set(key, i);
        this.unique.push(i);
        fresh.push(i);
      } else this.repeatOf[i] = first;
    }
    if (end > this.hashed) this.hashed = end;
    return fresh;
  }

  /**
   * A block of `count` ids from raw_record's sequence, in one step: under the append lock nobody else takes
   * ids, so the block is contiguous and above every id stored so far.
   */
  private async reserve(firstIndex: number, count: number): Promise<Reserved> {
    const r = await this.client.query<{ last: string }>(
      `SELECT setval(pg_get_serial_sequence('raw_record', 'id'), nextval(pg_get_serial_sequence('raw_record', 'id')) + $1 - 1)::text AS last`,
      [count],
    );
    return { firstIndex, firstId: BigInt(r.rows[0].last) - BigInt(count - 1) };
  }

  /** Fast path: every first occurrence, hashed slice by slice while the COPY streams. */
  async copyAll(firstIndex: number): Promise<void> {
    // Ids for every row, repeats included (a repeat's id is simply never used): the count of first
    // occurrences is known only once all rows are hashed, and the COPY starts before that.
    const at = await this.reserve(firstIndex, this.n);
    await copyBinary(this.client, RAW_COLUMNS, this.hashedParts(at));
    this.unique.forEach((i, j) => this.store(i, at, j));
    this.stored = this.unique;
  }

  /** Slow path: find the stored duplicates first, then COPY the rest, with dense indices. */
  async copyAfterLookup(firstIndex: number): Promise<void> {
    this.hashUpTo(this.n);
    this.results = new Array(this.n);
    const existing = await this.client.query<{ ord: string; id: string }>(
      `SELECT u.ord::text AS ord, r.id::text AS id
         FROM unnest($1::uuid[]) WITH ORDINALITY AS u(source_id, ord)
         JOIN raw_record r ON r."sourceId" = u.source_id
                          AND r."contentHash" = substring($2::bytea FROM ((u.ord - 1) * 32 + 1)::int FOR 32)`,
      [this.unique.map((i) => this.rows[i].sourceId), this.pick(this.contentHashes, this.unique)],
    );
    for (const e of existing.rows) this.results[this.unique[Number(e.ord) - 1]] = { status: "duplicate", id: e.id };
    const toStore = this.unique.filter((i) => this.results[i] === undefined);
    this.stored = toStore;
    if (toStore.length === 0) return;
    // Under the lock nothing can conflict now; if something did, the error propagates rather than leave a hole.
    const at = await this.reserve(firstIndex, toStore.length);
    await copyBinary(this.client, RAW_COLUMNS, this.parts(toStore, at));
    toStore.forEach((i, k) => this.store(i, at, k));
  }

  /** COPY data for every first occurrence, hashing slice by slice as the stream asks for more. */
  private *hashedParts(at: Reserved): Generator<Buffer> {
    const enc = new CopyEncoder().header();
    let k = 0; // rows encoded so far: row unique[k] gets leafIndex firstIndex + k and id firstId + k
    for (let from = 0; from < this.n; from += SLICE_ROWS) {
      for (const i of this.hashUpTo(Math.min(this.n, from + SLICE_ROWS))) this.encode(enc, i, at, k++);
      yield enc.take();
    }
    yield enc.trailer().take();
  }

  /** COPY data for the given (already hashed) rows. */
  private *parts(rows: readonly number[], at: Reserved): Generator<Buffer> {
    const enc = new CopyEncoder().header();
    for (let k = 0; k < rows.length; k++) {
      this.encode(enc, rows[k], at, k);
      if ((k + 1) % SLICE_ROWS === 0) yield enc.take();
    }
    yield enc.trailer().take();
  }

  private encode(enc: CopyEncoder, i: number, at: Reserved, k: number): void {
    const row = this.rows[i];
    enc
      .tuple(10)
      .int8(at.firstId + BigInt(k))
      .int8(at.firstIndex + k)
      .text(DEFAULT_TENANT)
      .uuid(row.sourceId)
      .uuid(row.batchId)
      .text(row.fileName)
      .int8(row.position)
      .bytes(this.contentHashes, i * HASH_SIZE, (i + 1) * HASH_SIZE)
      .bytes(this.leafHashes, i * HASH_SIZE, (i + 1) * HASH_SIZE)
      .bytes(row.payload);
  }

  private store(i: number, at: Reserved, k: number): void {
    this.results[i] = { status: "stored", id: String(at.firstId + BigInt(k)), leafIndex: at.firstIndex + k };
  }

  /** The signed append batch of the rows stored (none when every row was a duplicate). */
  async sign(firstLeaf: number, place: BatchPlace, key: SigningKey): Promise<void> {
    const count = this.stored.length;
    if (count === 0) return;
    const entries = Buffer.allocUnsafe(count * ENTRY_SIZE);
    this.stored.forEach((i, k) => {
      this.leafHashes.copy(entries, k * ENTRY_SIZE, i * HASH_SIZE, (i + 1) * HASH_SIZE);
      const events = this.rows[i].eventsHash ?? NO_EVENTS_HASH;
      if (events.length !== HASH_SIZE) throw new Error(`internal: the events hash of raw record ${i} of the batch is not 32 bytes`);
      events.copy(entries, k * ENTRY_SIZE + HASH_SIZE);
    });
    const fields = { ...place, firstLeaf, count, entriesRoot: entriesTree(entries).root(), createdAt: new Date() };
    await this.client.query(
      `INSERT INTO ledger_batch (seq, "firstLeaf", count, "afterCheckpoint", "entriesRoot", entries, "createdAt", signature, "keyFingerprint")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        fields.seq,
        fields.firstLeaf,
        count,
        fields.afterCheckpoint,
        fields.entriesRoot,
        entries,
        fields.createdAt,
        signAppendBatch(fields, key.privateKey),
        key.fingerprint,
      ],
    );
  }

  finish(): AppendResult[] {
    for (let i = 0; i < this.n; i++) {
      const first = this.repeatOf[i];
      if (first >= 0) this.results[i] = { status: "duplicate", id: this.results[first]!.id };
      if (!this.results[i]) throw new Error(`internal: raw record ${i} of the batch was neither stored nor found`);
    }
    return this.results as AppendResult[];
  }

  private pick(hashes: Buffer, indices: readonly number[]): Buffer {
    return Buffer.concat(indices.map((i) => hashes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE)));
  }
}
