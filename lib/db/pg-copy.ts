import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { PoolClient } from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { pool } from "@/lib/db";

// COPY ... FROM STDIN (FORMAT binary) for the ingest hot path. Measured here, PostgreSQL spends most of an
// INSERT ... SELECT FROM unnest(arrays) on parsing the array parameters and building tuples through the
// executor; COPY hands rows straight to the heap and its indexes, and the binary format spares it parsing
// numbers, timestamps, uuids and hex. Rows are encoded here, in slices, and streamed while PostgreSQL stores
// the previous slice.

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
// PostgreSQL timestamps count microseconds from 2000-01-01 UTC.
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);

/** Encodes tuples in PostgreSQL's binary COPY format into a growing buffer. */
export class CopyEncoder {
  private buf: Buffer;
  private pos = 0;
  private readonly uuids = new Map<string, Buffer>();

  constructor(initialBytes = 1 << 20) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** The file header, once before the first tuple of a COPY. */
  header(): this {
    this.room(19);
    SIGNATURE.copy(this.buf, this.pos);
    this.pos += SIGNATURE.length;
    this.buf.writeInt32BE(0, this.pos); // flags: no OIDs
    this.buf.writeInt32BE(0, this.pos + 4); // no header extension
    this.pos += 8;
    return this;
  }

  /** The end marker, once after the last tuple. */
  trailer(): this {
    this.room(2);
    this.buf.writeInt16BE(-1, this.pos);
    this.pos += 2;
    return this;
  }

  tuple(fields: number): this {
    this.room(2);
    this.buf.writeInt16BE(fields, this.pos);
    this.pos += 2;
    return this;
  }

  null(): this {
    this.room(4);
    this.buf.writeInt32BE(-1, this.pos);
    this.pos += 4;
    return this;
  }

  int8(v: number | bigint | string): this {
    this.room(12);
    this.buf.writeInt32BE(8, this.pos);
    this.buf.writeBigInt64BE(BigInt(v), this.pos + 4);
    this.pos += 12;
    return this;
  }

  int4(v: number): this {
    this.room(8);
    this.buf.writeInt32BE(4, this.pos);
    this.buf.writeInt32BE(v, this.pos + 4);
    this.pos += 8;
    return this;
  }

  float8(v: number): this {
    this.room(12);
    this.buf.writeInt32BE(8, this.pos);
    this.buf.writeDoubleBE(v, this.pos + 4);
    this.pos += 12;
    return this;
  }

  bool(v: boolean): this {
    this.room(5);
    this.buf.writeInt32BE(1, this.pos);
    this.buf[this.pos + 4] = v ? 1 : 0;
    this.pos += 5;
    return this;
  }

  /** timestamptz (any precision: the column's typmod rounds it on the server). */
  timestamp(d: Date): this {
    this.room(12);
    this.buf.writeInt32BE(8, this.pos);
    this.buf.writeBigInt64BE(BigInt(d.getTime() - PG_EPOCH_MS) * BigInt(1000), this.pos + 4);
    this.pos += 12;
    return this;
  }

  /** text, varchar and json (json's binary form is its text, validated by the server). */
  text(s: string | null | undefined): this {
    if (s == null) return this.null();
    this.room(4 + s.length * 3);
    const n = this.buf.write(s, this.pos + 4, "utf8");
    this.buf.writeInt32BE(n, this.pos);
    this.pos += 4 + n;
    return this;
  }

  bytes(b: Buffer | null | undefined, start = 0, end = b ? b.length : 0): this {
    if (b == null) return this.null();
    const n = end - start;
    this.room(4 + n);
    this.buf.writeInt32BE(n, this.pos);
    b.copy(this.buf, this.pos + 4, start, end);
    this.pos += 4 + n;
    return this;
  }

  uuid(s: string | null | undefined): this {
    if (s == null) return this.null();
    let b = this.uuids.get(s);
    if (!b) {
      const hex = s.replace(/-/g, "");
      if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new Error(`not a uuid: ${s}`);
      b = Buffer.from(hex, "hex");
      this.uuids.set(s, b);
    }
    return this.bytes(b);
  }

  get length(): number {
    return this.pos;
  }

  /** Forgets everything encoded after byte `length` (a record that failed half-way through encoding). */
  truncate(length: number): void {
    this.pos = Math.min(this.pos, length);
  }

  /** The bytes encoded so far, in place (valid until more is encoded: the buffer may move as it grows). */
  bytesView(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  /** The bytes encoded since the last take(); the encoder goes on in a new buffer (the stream may still hold this one). */
  take(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(this.buf.length);
    this.pos = 0;
    return out;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
}

/**
 * Rows into a new temporary table (dropped at commit: call inside a transaction) through binary COPY, encoded a
 * megabyte at a time while PostgreSQL stores the previous one. For large writes that go on in SQL (a diff against
 * the stored rows, an UPDATE ... FROM): hundreds of thousands of values as array parameters cost more to encode
 * and parse than the write itself.
 */
export async function stageRows<T>(
  client: PoolClient,
  table: string,
  columns: string,
  rows: readonly T[],
  encode: (enc: CopyEncoder, row: T, index: number) => void,
): Promise<void> {
  await client.query(`DROP TABLE IF EXISTS pg_temp.${table}`);
  await client.query(`CREATE TEMP TABLE ${table} (${columns}) ON COMMIT DROP`);
  function* parts(): Generator<Buffer> {
    const enc = new CopyEncoder(1 << 20).header();
    for (let i = 0; i < rows.length; i++) {
      encode(enc, rows[i], i);
      if (enc.length >= 1 << 20) yield enc.take();
    }
    enc.trailer();
    yield enc.take();
  }
  await copyBinary(client, table, parts());
  await client.query(`ANALYZE ${table}`);
}

/**
 * Runs `COPY <target> FROM STDIN (FORMAT binary)` on the client, streaming the buffers that `parts` yields
 * (the first must start with the header, the last end with the trailer). Rejects with PostgreSQL's error (e.g.
 * code 23505 for a unique violation) and leaves the connection usable for ROLLBACK [TO SAVEPOINT].
 */
export async function copyBinary(client: PoolClient, target: string, parts: Iterable<Buffer> | AsyncIterable<Buffer>): Promise<number> {
  const stream = client.query(copyFrom(`COPY ${target} FROM STDIN (FORMAT binary)`));
  await pipeline(Readable.from(parts, { objectMode: false }), stream);
  return stream.rowCount;
}

// Pages of rows as the bytes PostgreSQL holds, through COPY (SELECT ...) TO STDOUT (FORMAT binary): bytea and text
// columns arrive verbatim, with no hex to decode and no decoding to JavaScript strings and back. (A query with
// `binary: true` is not an option: node-postgres decodes every binary field as UTF-8 before handing it over, which
// mangles any payload that is not valid UTF-8 and costs two conversions of every byte.) COPY takes no parameters,
// so callers splice only checked integers into `sql`. A page (the whole result of one call: callers bound it) is
// collected into one buffer and then split into fields (CopyPage).

/**
 * A page of COPY rows: field (row, f) is data[start[k], start[k] + length[k]) with k = row * width + f, length -1
 * for NULL. Offsets in typed arrays rather than a Buffer view per field: a page of 5,000 rows of 9 columns would
 * otherwise allocate 45,000 objects, and the garbage collector's work measured larger than the copying.
 */
export type CopyPage = { data: Buffer; rows: number; width: number; start: Int32Array; length: Int32Array };

/** Field k of a page as a bigint column's value (safe integers only); null when the field is NULL or not 8 bytes. */
export function int8At(page: CopyPage, k: number): number | null {
  if (page.length[k] !== 8) return null;
  const at = page.start[k];
  return page.data.readUInt32BE(at) * 2 ** 32 + page.data.readUInt32BE(at + 4);
}

export async function copyRows(sql: string, through?: PoolClient): Promise<CopyPage> {
  const client = through ?? (await pool().connect());
  let data: Buffer;
  try {
    const chunks: Buffer[] = [];
    for await (const c of client.query(copyTo(`COPY (${sql}) TO STDOUT (FORMAT binary)`)) as AsyncIterable<Buffer>) chunks.push(c);
    // Always a copy of our own: compactColumn() rewrites it in place.
    data = Buffer.concat(chunks);
  } catch (err) {
    // A connection whose COPY failed half-way is not given back to the pool.
    if (!through) client.release(err instanceof Error ? err : true);
    throw err;
  }
  if (!through) client.release();
  if (data.length < 19 || !data.subarray(0, 11).equals(SIGNATURE)) throw new Error("unexpected COPY output from PostgreSQL");
  let pos = 19 + data.readInt32BE(15);
  let start = new Int32Array(1024);
  let length = new Int32Array(1024);
  let k = 0;
  let rows = 0;
  let width = 0;
  for (; ; rows++) {
    const fields = data.readInt16BE(pos);
    pos += 2;
    if (fields === -1) break;
    width = fields;
    if (k + fields > start.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(Math.max(a.length * 2, k + fields));
        b.set(a);
        return b;
      };
      start = grow(start);
      length = grow(length);
    }
    for (let f = 0; f < fields; f++, k++) {
      const len = data.readInt32BE(pos);
      pos += 4;
      start[k] = pos;
      length[k] = len;
      if (len > 0) pos += len;
    }
  }
  return { data, rows, width, start, length };
}
