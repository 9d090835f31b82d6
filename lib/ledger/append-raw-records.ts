import type { PoolClient } from "pg";
import { HASH_SIZE, leafHash, sha256 } from "./merkle";

// The ingest hot path: every raw record becomes a leaf of the Merkle log, exactly as received. Leaf indices are
// dense (0, 1, 2, ... with no gap ever) because the tree is defined over leaves 0..n-1: a transaction-scoped
// advisory lock serializes appenders from reading max(leafIndex) until their commit, so a rolled-back append
// gives its indices back and concurrent appends never interleave. It also means leafIndex order equals id
// (sequence) order, which verifyLedger relies on to notice reordered rows. Every raw_record row must be
// written through this function.
//
// Rows go in set-based (INSERT ... SELECT FROM unnest): Prisma's createMany is 20-30x slower here. Payloads and
// hashes travel as one binary bytea each, cut apart with substring() on the server: node-postgres sends a
// Buffer parameter as binary, whereas a bytea[] parameter travels as hex text (twice the bytes, and about
// twice as slow measured here).

export const APPEND_LOCK = 7_265_101_001;

// One statement per call unless the payloads exceed this (ingest calls carry about 8 MB). Larger calls are cut
// into statements of this size so that hashing the next part overlaps PostgreSQL storing this one, and because
// a single Bind message of ~100 MB was markedly slower per byte than ten of 10 MB on this stack.
const MAX_STATEMENT_BYTES = 8 * 1024 * 1024;

export type AppendRow = {
  tenantId?: string;
  sourceId: string;
  batchId: string | null;
  fileName: string;
  position: number;
  payload: Buffer;
};

export type AppendResult = { status: "stored"; id: string; leafIndex: number } | { status: "duplicate"; id: string };

type Inserted = { id: string; leafIndex: string }[];

export async function appendRawRecords({ client, rows }: { client: PoolClient; rows: readonly AppendRow[] }): Promise<AppendResult[]> {
  if (rows.length === 0) return [];
  const batch = new Batch(client, rows);

  // Held until the caller commits: nobody else reads max(leafIndex) or checks duplicates meanwhile.
  await client.query("SELECT pg_advisory_xact_lock($1)", [APPEND_LOCK]);
  const max = await client.query<{ next: string }>(`SELECT (COALESCE(MAX("leafIndex"), -1) + 1)::text AS next FROM raw_record`);
  const firstIndex = Number(max.rows[0].next);

  // Fast path, the usual case of new records: insert with ON CONFLICT DO NOTHING, which finds duplicates in the
  // index probe the insert makes anyway (a separate lookup query first costs ~20% more). A skipped row would
  // leave a hole in the leaf indices, so when any row turns out to be a duplicate the attempt is rolled back to
  // the savepoint and the slow path looks duplicates up before inserting.
  await client.query("SAVEPOINT sessionproof_append");
  if (await batch.insertNew(firstIndex)) {
    await client.query("RELEASE SAVEPOINT sessionproof_append");
  } else {
    await client.query("ROLLBACK TO SAVEPOINT sessionproof_append");
    await client.query("RELEASE SAVEPOINT sessionproof_append");
    await batch.insertAfterLookup(firstIndex);
  }
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

  /** Hashes rows up to `end`, yielding now and then so that a statement in flight keeps being written out. */
  private async hashUpTo(end: number): Promise<void> {
    while (this.hashed < end) {
      const stop = Math.min(end, this.hashed + 2048);
      for (let i = this.hashed; i < stop; i++) {
        const payload = this.rows[i].payload;
        sha256(payload).copy(this.contentHashes, i * HASH_SIZE);
        leafHash(payload).copy(this.leafHashes, i * HASH_SIZE);
        const key = this.rows[i].sourceId + this.contentHashes.toString("hex", i * HASH_SIZE, (i + 1) * HASH_SIZE);
        const first = this.firstOf.get(key);
        if (first === undefined) {
          this.firstOf.set(key, i);
          this.unique.push(i);
        } else this.repeatOf[i] = first;
      }
      this.hashed = stop;
      if (this.hashed < end) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** The end (exclusive) of the part of rows that starts at `from`. */
  private partEnd(from: number): number {
    let to = from;
    let bytes = 0;
    while (to < this.n && (to === from || bytes + this.rows[to].payload.length <= MAX_STATEMENT_BYTES)) {
      bytes += this.rows[to].payload.length;
      to++;
    }
    return to;
  }

  /** Fast path; false as soon as a statement skipped a row as a duplicate of a stored one. */
  async insertNew(firstIndex: number): Promise<boolean> {
    let nextIndex = firstIndex;
    let inFlight: { part: number[]; first: number; done: Promise<Inserted> } | null = null;
    const settle = async (f: NonNullable<typeof inFlight>) => {
      const inserted = await f.done;
      this.record(f.part, f.first, inserted);
      return inserted.length === f.part.length;
    };
    for (let from = 0; from < this.n; ) {
      const to = this.partEnd(from);
      const uniqueBefore = this.unique.length;
      await this.hashUpTo(to); // overlaps the statement in flight
      const part = this.unique.slice(uniqueBefore);
      if (inFlight && !(await settle(inFlight))) return false;
      inFlight = null;
      if (part.length) {
        const done = this.insertPart(part, nextIndex, true);
        // Awaited after the next part is hashed; until then a failure must not count as unhandled.
        done.catch(() => undefined);
        inFlight = { part, first: nextIndex, done };
      }
      nextIndex += part.length;
      from = to;
    }
    return inFlight ? settle(inFlight) : true;
  }

  /** Slow path: find the stored duplicates first, then insert the rest, with dense indices. */
  async insertAfterLookup(firstIndex: number): Promise<void> {
    await this.hashUpTo(this.n);
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
    let nextIndex = firstIndex;
    for (let k = 0; k < toStore.length; ) {
      let bytes = 0;
      let end = k;
      while (end < toStore.length && (end === k || bytes + this.rows[toStore[end]].payload.length <= MAX_STATEMENT_BYTES)) {
        bytes += this.rows[toStore[end]].payload.length;
        end++;
      }
      const part = toStore.slice(k, end);
      // Under the lock nothing can conflict now; if something did, raise rather than leave a hole.
      const inserted = await this.insertPart(part, nextIndex, false);
      if (inserted.length !== part.length) throw new Error(`internal: inserted ${inserted.length} of ${part.length} raw records`);
      this.record(part, nextIndex, inserted);
      nextIndex += part.length;
      k = end;
    }
  }

  private record(part: number[], first: number, inserted: Inserted): void {
    for (const r of inserted) {
      const leafIndex = Number(r.leafIndex);
      this.results[part[leafIndex - first]] = { status: "stored", id: r.id, leafIndex };
    }
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

  private async insertPart(part: number[], firstIndex: number, skipConflicts: boolean): Promise<Inserted> {
    const rows = this.rows;
    const offsets: number[] = [];
    const lengths: number[] = [];
    let offset = 1; // substring() counts from 1
    for (const i of part) {
      offsets.push(offset);
      lengths.push(rows[i].payload.length);
      offset += rows[i].payload.length;
    }
    // A plain function scan yields rows in ordinality order, so ids (nextval) ascend with leafIndex; an ORDER BY
    // would make PostgreSQL sort the whole payload set for nothing.
    const r = await this.client.query<{ id: string; leafIndex: string }>(
      `INSERT INTO raw_record ("leafIndex", "tenantId", "sourceId", "batchId", "fileName", position, "contentHash", "leafHash", payload)
       SELECT $1::bigint + u.ord - 1, u.tenant_id, u.source_id, u.batch_id, u.file_name, u.position,
              substring($7::bytea FROM ((u.ord - 1) * 32 + 1)::int FOR 32),
              substring($8::bytea FROM ((u.ord - 1) * 32 + 1)::int FOR 32),
              substring($9::bytea FROM u.payload_offset FOR u.payload_length)
         FROM unnest($2::text[], $3::uuid[], $4::uuid[], $5::text[], $6::bigint[], $10::int[], $11::int[])
              WITH ORDINALITY AS u(tenant_id, source_id, batch_id, file_name, position, payload_offset, payload_length, ord)
       ${skipConflicts ? `ON CONFLICT ("sourceId", "contentHash") DO NOTHING` : ""}
       RETURNING id::text AS id, "leafIndex"::text AS "leafIndex"`,
      [
        firstIndex,
        part.map((i) => rows[i].tenantId ?? "default"),
        part.map((i) => rows[i].sourceId),
        part.map((i) => rows[i].batchId),
        part.map((i) => rows[i].fileName),
        part.map((i) => rows[i].position),
        this.pick(this.contentHashes, part),
        this.pick(this.leafHashes, part),
        Buffer.concat(part.map((i) => rows[i].payload)),
        offsets,
        lengths,
      ],
    );
    return r.rows;
  }
}
