import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";

// Verified gzip. A gzip file is one or more members, each a deflate stream followed by the CRC-32 and length of
// its data; a damaged member is only known as damaged at its end. Records read from a member before its
// checksum failed would otherwise reach the append-only ledger, so the data is read twice: a first pass checks
// every member (keeping the compressed bytes: in memory up to SPOOL_MEMORY_BYTES, beyond that in a temporary
// file), and the second pass hands out the decompressed data with each member's verdict already known. Memory
// stays bounded, the temporary file holds at most the compressed input, and nothing decompressed is kept.

/** Decompressed data and, when its member failed verification, why (its records must not be trusted). */
export type GzipSegment = { bytes: Buffer; corrupt: string | null };

type MemberPart =
  | { kind: "data"; member: number; bytes: Buffer }
  | { kind: "end"; member: number; problem: string | null }
  | { kind: "trailing"; bytes: number };

type GzipVerdict = { member: number; problem: string | null; bytes: number };

const SLICE = 32 * 1024;
const SPOOL_MEMORY_BYTES = 16 * 1024 * 1024;
const MAX_HEADER = 1024 * 1024;
const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;

// zlib.crc32 arrived in Node 20.15; the table version keeps older Node 20 releases working.
const CRC_TABLE = Int32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
const crc32: (data: Buffer, value: number) => number =
  typeof zlib.crc32 === "function"
    ? zlib.crc32
    : (data, value) => {
        let c = ~value;
        for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
        return ~c >>> 0;
      };

/** Pull-based input with put-back, so that a member's trailer and the next header can be read after its deflate data. */
class Input {
  private chunks: Buffer[] = [];
  private len = 0;
  done = false;
  constructor(private readonly it: AsyncIterator<Buffer>) {}

  get length(): number {
    return this.len;
  }

  /** Reads until at least n bytes are buffered or the input ends; true when n bytes are there. */
  async fill(n: number): Promise<boolean> {
    while (this.len < n && !this.done) {
      const r = await this.it.next();
      if (r.done) this.done = true;
      else if (r.value.length) {
        this.chunks.push(r.value);
        this.len += r.value.length;
      }
    }
    return this.len >= n;
  }

  /** The first n buffered bytes (n <= length). */
  peek(n: number): Buffer {
    if (this.chunks[0].length < n) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0].subarray(0, n);
  }

  skip(n: number): void {
    this.peek(n);
    this.chunks[0] = this.chunks[0].subarray(n);
    if (this.chunks[0].length === 0) this.chunks.shift();
    this.len -= n;
  }

  /** Up to max bytes from the front, without copying. */
  take(max: number): Buffer | null {
    const first = this.chunks[0];
    if (!first) return null;
    const b = first.subarray(0, max);
    this.skip(b.length);
    return b;
  }

  unshift(b: Buffer): void {
    if (!b.length) return;
    this.chunks.unshift(b);
    this.len += b.length;
  }
}

/** The header's length, or why it cannot be read. */
async function readHeader(inp: Input): Promise<number | string> {
  if (!(await inp.fill(10))) return "the file ends inside a gzip header";
  const h = inp.peek(10);
  if (h[2] !== 8) return `unknown compression method ${h[2]}`;
  const flags = h[3];
  let off = 10;
  if (flags & FEXTRA) {
    if (!(await inp.fill(off + 2))) return "the file ends inside a gzip header";
    off += 2 + inp.peek(off + 2).readUInt16LE(off);
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (!(flags & flag)) continue;
    for (;;) {
      if (!(await inp.fill(off + 1))) return "the file ends inside a gzip header";
      const zero = inp.peek(inp.length).indexOf(0, off);
      if (zero >= 0) {
        off = zero + 1;
        break;
      }
      if (inp.length > MAX_HEADER) return "a gzip header field is not terminated";
      await inp.fill(inp.length + 1);
    }
  }
  if (flags & FHCRC) off += 2;
  if (!(await inp.fill(off))) return "the file ends inside a gzip header";
  return off;
}

/**
 * The members of a gzip stream one after the other: their data as it is inflated, then each member's end with
 * its problem (null when its CRC-32 and length match). A member whose deflate data is broken ends the stream
 * (where the next member would start cannot be known); bytes after the last member that are not gzip are
 * reported as trailing and skipped.
 */
async function* gzipMembers(src: AsyncIterable<Buffer>): AsyncGenerator<MemberPart> {
  const inp = new Input(src[Symbol.asyncIterator]());
  for (let member = 0; ; member++) {
    if (!(await inp.fill(2))) {
      if (inp.length && member > 0) yield { kind: "trailing", bytes: inp.length };
      if (member === 0) yield { kind: "end", member, problem: "the file ends inside a gzip header" };
      return;
    }
    const magic = inp.peek(2);
    if (magic[0] !== 0x1f || magic[1] !== 0x8b) {
      if (member === 0) {
        yield { kind: "end", member, problem: "not gzip data" };
        return;
      }
      let n = 0;
      for (let b = inp.take(SLICE); b; b = inp.take(SLICE) ?? ((await inp.fill(1)) ? inp.take(SLICE) : null)) n += b.length;
      yield { kind: "trailing", bytes: n };
      return;
    }
    const header = await readHeader(inp);
    if (typeof header === "string") {
      yield { kind: "end", member, problem: header };
      return;
    }
    inp.skip(header);

    const inflate = zlib.createInflateRaw();
    const out: Buffer[] = [];
    let failure: Error | null = null;
    inflate.on("data", (b: Buffer) => out.push(b));
    const finished = new Promise<void>((resolve) => {
      inflate.once("end", resolve);
      inflate.once("error", (err) => {
        failure = err;
        resolve();
      });
    });
    let crc = 0;
    let size = 0;
    let fed = 0;
    let deflateEnded = false;
    const drain = function* (): Generator<MemberPart> {
      for (const b of out.splice(0)) {
        crc = crc32(b, crc);
        size += b.length;
        yield { kind: "data", member, bytes: b };
      }
    };
    while (!deflateEnded && !failure) {
      const slice = inp.take(SLICE) ?? ((await inp.fill(1)) ? inp.take(SLICE) : null);
      if (!slice) {
        inflate.end();
        await finished;
        yield* drain();
        yield {
          kind: "end",
          member,
          problem: failure ? (failure as Error).message : "the file ends before the member's CRC-32 and length",
        };
        return;
      }
      await Promise.race([new Promise<void>((resolve) => inflate.write(slice, () => resolve())), finished]);
      fed += slice.length;
      yield* drain();
      // The deflate stream ended inside this slice: the rest of it is the trailer and what follows.
      if (inflate.bytesWritten < fed) {
        inp.unshift(slice.subarray(slice.length - (fed - inflate.bytesWritten)));
        deflateEnded = true;
      }
    }
    if (failure) {
      inflate.destroy();
      yield { kind: "end", member, problem: `${(failure as Error).message}; the rest of the file cannot be read` };
      return;
    }
    await finished;
    yield* drain();
    if (!(await inp.fill(8))) {
      inp.skip(inp.length);
      yield { kind: "end", member, problem: "the file ends before the member's CRC-32 and length" };
      return;
    }
    const trailer = inp.peek(8);
    const wantCrc = trailer.readUInt32LE(0);
    const wantSize = trailer.readUInt32LE(4);
    inp.skip(8);
    const problem =
      wantCrc !== crc >>> 0
        ? "incorrect data check (its CRC-32 does not match its data)"
        : wantSize !== size % 2 ** 32
          ? "incorrect length check (its length does not match its data)"
          : null;
    yield { kind: "end", member, problem };
  }
}

type Spool = { memory: Buffer[] | null; file: string | null; dir: string | null };

async function* spoolInto(src: AsyncIterable<Buffer>, spool: Spool): AsyncGenerator<Buffer> {
  let inMemory = 0;
  let handle: fs.promises.FileHandle | null = null;
  try {
    for await (const chunk of src) {
      if (handle) await handle.write(chunk);
      else {
        spool.memory!.push(chunk);
        inMemory += chunk.length;
        if (inMemory > SPOOL_MEMORY_BYTES) {
          spool.dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "sessionproof-gzip-"));
          spool.file = path.join(spool.dir, "input.gz");
          handle = await fs.promises.open(spool.file, "w", 0o600);
          for (const b of spool.memory!) await handle.write(b);
          spool.memory = null;
        }
      }
      yield chunk;
    }
  } finally {
    await handle?.close();
  }
}

type VerifiedGzip = {
  verdicts: GzipVerdict[];
  /** What went wrong, one line per problem ("gzip member 2: incorrect data check ..."). */
  problems: string[];
  /** The decompressed data, each piece with its member's verdict. Read once. */
  segments: () => AsyncGenerator<GzipSegment>;
  /** Removes the temporary file (also done when segments() finishes or is stopped). */
  close: () => Promise<void>;
};

function describe(v: GzipVerdict, members: number): string {
  return `gzip member ${v.member + 1}${members > 1 ? ` of ${members}` : ""}: ${v.problem}`;
}

/**
 * Checks every member of a gzip stream (first pass, keeping the compressed bytes), then gives its data back with
 * each member's verdict (second pass). Throws only when the input itself fails.
 */
export async function verifyGzip(src: AsyncIterable<Buffer>): Promise<VerifiedGzip> {
  const spool: Spool = { memory: [], file: null, dir: null };
  const verdicts: GzipVerdict[] = [];
  const problems: string[] = [];
  const close = async () => {
    if (spool.dir) await fs.promises.rm(spool.dir, { recursive: true, force: true });
    spool.dir = null;
    spool.memory = null;
  };
  try {
    let bytes = 0;
    for await (const part of gzipMembers(spoolInto(src, spool))) {
      if (part.kind === "data") bytes += part.bytes.length;
      else if (part.kind === "trailing")
        problems.push(`${part.bytes} bytes after the last gzip member are not gzip data; they were ignored`);
      else {
        verdicts.push({ member: part.member, problem: part.problem, bytes });
        bytes = 0;
      }
    }
  } catch (err) {
    await close();
    throw err;
  }
  const bad = verdicts.filter((v) => v.problem);
  problems.unshift(...bad.map((v) => describe(v, verdicts.length)));

  async function* segments(): AsyncGenerator<GzipSegment> {
    try {
      const source: AsyncIterable<Buffer> = spool.file
        ? fs.createReadStream(spool.file, { highWaterMark: 1 << 20 })
        : (async function* () {
            yield* spool.memory ?? [];
          })();
      for await (const part of gzipMembers(source)) {
        if (part.kind !== "data") continue;
        const v = verdicts[part.member];
        yield { bytes: part.bytes, corrupt: v?.problem ? describe(v, verdicts.length) : null };
      }
    } finally {
      await close();
    }
  }
  return { verdicts, problems, segments, close };
}
