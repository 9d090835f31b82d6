import type { Readable } from "node:stream";
import type { ContainerKind } from "../types";
import { CsvSplitter, isCsvFileName, looksLikeCsvHeader, type CsvItem } from "./csv";
import { verifyGzip, type GzipSegment } from "./gzip-members";
import { RecordSplitter, type SplitItem } from "./splitter";

export type ReadOptions = {
  /** The file's name: .jsonl / .ndjson (optionally .gz) turn NDJSON line mode on from the first byte. */
  fileName?: string;
  /** Force NDJSON line mode on (true) or let the data decide (default). */
  lines?: boolean;
  /** Records larger than this become error items with their first maxRecordBytes bytes (default 64 MiB). */
  maxRecordBytes?: number;
  /**
   * Also JSON.parse each record: the item gets `value`, and a record that is not valid JSON becomes an error
   * item. Off by default (the caller usually parses anyway); the splitter alone only checks structure.
   */
  parse?: boolean;
  /** CSV (true) or JSON (false); by default the file name (.csv, .csv.gz) or the first line decides. */
  csv?: boolean;
};

/** A record: its exact original bytes and its 0-based position in the file (read order). */
type RawRecordItem = { position: number; bytes: Buffer; value?: unknown };
/** A record that could not be read: the bytes that were there, and why. It still takes a position. */
type RawRecordError = { position: number; bytes: Buffer; error: string };
export type RecordItem = RawRecordItem | RawRecordError;

export type ReadSummary = {
  gzip: boolean;
  container: ContainerKind;
  envelopeKey: string | null;
  /** Items yielded so far, records and errors. */
  records: number;
  errors: number;
  /** CSV files: the header's column names, and the header row's exact bytes (not a record itself). */
  csvHeader: string[] | null;
  csvHeaderBytes: Buffer | null;
  /** Bytes after decompression. */
  bytes: number;
  /** False when the input ended inside the document or a record, or the gzip stream was broken. */
  complete: boolean;
  /** Problems that are not tied to one record (broken gzip stream, unclosed document). */
  problems: string[];
  /** Items read (wholly or partly) from a gzip member that failed its checksum: yielded as error items. */
  corrupt: number;
};

export type RecordReader = AsyncIterable<RecordItem> & { readonly summary: ReadSummary };

const LINES_NAME = /\.(jsonl|ndjson|jsonlines)(\.gz)?$/i;

/** True when the file name says NDJSON. */
export function isLinesFileName(fileName: string | undefined): boolean {
  return !!fileName && LINES_NAME.test(fileName);
}

/**
 * Streams the records of a file: gzip (by its magic bytes 1f 8b) is decompressed on the fly, the container is
 * recognised from the data (JSON array, NDJSON, envelope, single object), and each record is yielded with its
 * exact bytes. Memory stays bounded by the largest record, whatever the file size. Truncated or malformed
 * input never throws: it yields error items (and sets summary.complete = false); only an error of the input
 * stream itself is rethrown.
 */
export function readRecords(
  input: Readable | AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array | string>,
  opts: ReadOptions = {},
): RecordReader {
  const summary: ReadSummary = {
    gzip: false,
    container: "empty",
    envelopeKey: null,
    csvHeader: null,
    csvHeaderBytes: null,
    records: 0,
    errors: 0,
    bytes: 0,
    complete: true,
    problems: [],
    corrupt: 0,
  };
  return {
    summary,
    [Symbol.asyncIterator]: () => generate(asAsync(input as AsyncIterable<unknown> | Iterable<unknown>), opts, summary),
  };
}

function asAsync(input: AsyncIterable<unknown> | Iterable<unknown>): AsyncIterable<unknown> {
  if (Symbol.asyncIterator in input) return input;
  return (async function* () {
    yield* input;
  })();
}

function toBuffer(c: unknown): Buffer {
  if (Buffer.isBuffer(c)) return c;
  if (c instanceof Uint8Array) return Buffer.from(c.buffer, c.byteOffset, c.byteLength);
  return Buffer.from(String(c), "utf8");
}

async function* generate(input: AsyncIterable<unknown>, opts: ReadOptions, summary: ReadSummary): AsyncGenerator<RecordItem> {
  const it = input[Symbol.asyncIterator]();
  // Enough of the head to see the gzip magic.
  const head: Buffer[] = [];
  let headLen = 0;
  let ended = false;
  while (headLen < 2) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    const b = toBuffer(r.value);
    head.push(b);
    headLen += b.length;
  }
  async function* raw(): AsyncGenerator<Buffer> {
    for (const b of head) yield b;
    if (ended) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield toBuffer(r.value);
    }
  }
  const first = head.length === 1 ? head[0] : Buffer.concat(head);
  summary.gzip = first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b;

  const chunks: AsyncIterable<Buffer | GzipSegment> = summary.gzip ? gunzip(raw(), summary) : raw();
  // JSON or CSV: the file name says, or the first line does (a CSV header row), looked at once enough data is in.
  let mode: "json" | "csv" | null =
    opts.csv === true || (opts.csv === undefined && isCsvFileName(opts.fileName)) ? "csv" : opts.csv === false ? "json" : null;
  let splitter: RecordSplitter | null = null;
  let csv: CsvSplitter | null = null;
  const start = (m: "json" | "csv") => {
    if (m === "csv") csv = new CsvSplitter({ maxRecordBytes: opts.maxRecordBytes });
    else splitter = new RecordSplitter({ lines: opts.lines ?? isLinesFileName(opts.fileName), maxRecordBytes: opts.maxRecordBytes });
  };
  if (mode) start(mode);
  const out: (SplitItem | CsvItem)[] = [];
  const feed = (chunk: Buffer) => {
    const c = csv as CsvSplitter | null;
    if (!c) return splitter!.push(chunk, out);
    c.push(chunk, out);
    // The header is known as soon as its row is read: the caller keeps it before the first record arrives.
    if (summary.csvHeaderBytes === null && c.headerBytes !== null) {
      summary.container = "csv";
      summary.csvHeader = c.header;
      summary.csvHeaderBytes = c.headerBytes;
    }
  };
  const active = () => ((csv as CsvSplitter | null) ?? (splitter as RecordSplitter | null))!;
  // Data from a gzip member that failed its checksum is not trusted: every item that holds any of its bytes
  // becomes an error item. `carry` is set while a record that began in such data is still open.
  let carry: string | null = null;
  function* emit(corrupt: string | null): Generator<RecordItem> {
    for (const item of out) {
      const why = corrupt ?? carry;
      carry = null;
      yield why ? taint(finish(item, opts, summary), why, summary) : finish(item, opts, summary);
    }
    const emitted = out.length > 0;
    out.length = 0;
    if (corrupt) carry = active().recordOpen ? corrupt : null;
    else if (emitted) carry = null;
  }
  let pending: Buffer[] = [];
  let pendingCorrupt: string | null = null;
  try {
    for await (const piece of chunks) {
      const chunk = Buffer.isBuffer(piece) ? piece : piece.bytes;
      const corrupt = Buffer.isBuffer(piece) ? null : piece.corrupt;
      summary.bytes += chunk.length;
      if (mode === null) {
        pending.push(chunk);
        pendingCorrupt ??= corrupt;
        const buf = Buffer.concat(pending);
        mode = decideMode(buf, false);
        if (mode === null) continue;
        start(mode);
        pending = [];
        feed(buf);
        yield* emit(pendingCorrupt);
      } else {
        feed(chunk);
        yield* emit(corrupt);
      }
    }
    if (mode === null) {
      const buf = Buffer.concat(pending);
      mode = decideMode(buf, true) ?? "json";
      start(mode);
      feed(buf);
      yield* emit(pendingCorrupt);
    }
    const s = active();
    const clean = s.atBoundary;
    s.end(out);
    yield* emit(null);
    if (!clean) summary.complete = false;
  } finally {
    const c = csv as CsvSplitter | null;
    const j = splitter as RecordSplitter | null;
    if (c) {
      summary.container = c.header === null ? "empty" : "csv";
      summary.csvHeader = c.header;
      summary.csvHeaderBytes = c.headerBytes;
      if (c.problems.length) {
        summary.problems.push(...c.problems);
        summary.complete = false;
      }
    } else if (j) {
      summary.container = j.containerKind();
      summary.envelopeKey = j.envelopeKey;
      if (j.problems.length) {
        summary.problems.push(...j.problems);
        summary.complete = false;
      }
    }
    // Stop pulling from the input if the consumer stopped early.
    await it.return?.();
  }
}

const MODE_LOOKAHEAD = 1 << 20;

/**
 * JSON or CSV from the first bytes: a first non-blank byte `[` or `{` is JSON; otherwise a first line that
 * looks like a CSV header row is CSV, and anything else goes to the JSON splitter (which turns each line into
 * an error item). null: not enough data yet.
 */
export function decideMode(buf: Buffer, atEnd: boolean): "json" | "csv" | null {
  let i = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  while (i < buf.length && (buf[i] === 0x20 || buf[i] === 0x09 || buf[i] === 0x0a || buf[i] === 0x0d)) i++;
  if (i >= buf.length) return atEnd || buf.length >= MODE_LOOKAHEAD ? "json" : null;
  if (buf[i] === 0x5b || buf[i] === 0x7b) return "json";
  const nl = buf.indexOf(0x0a, i);
  if (nl < 0 && !atEnd && buf.length < MODE_LOOKAHEAD) return null;
  return looksLikeCsvHeader(buf.subarray(i, nl < 0 ? buf.length : nl)) ? "csv" : "json";
}

function finish(item: SplitItem | CsvItem, opts: ReadOptions, summary: ReadSummary): RecordItem {
  summary.records++;
  if ("error" in item) {
    summary.errors++;
    return item;
  }
  // CSV rows arrive parsed (header → value); JSON records are parsed on request.
  if (!opts.parse || "value" in item) return item;
  try {
    return { position: item.position, bytes: item.bytes, value: JSON.parse(item.bytes.toString("utf8")) };
  } catch (err) {
    summary.errors++;
    return { position: item.position, bytes: item.bytes, error: `not valid JSON: ${(err as Error).message}` };
  }
}

/** How the error of an item read from a damaged gzip member begins (re-processing leaves those alone). */
export const DAMAGED_GZIP_REASON = "read from a damaged gzip file";

/** An item that holds bytes of a damaged gzip member: an error item, whatever it looked like. */
function taint(item: RecordItem, why: string, summary: ReadSummary): RecordItem {
  summary.corrupt++;
  if (!("error" in item)) summary.errors++;
  const error = `${DAMAGED_GZIP_REASON} (${why}), so it is not trusted as a record`;
  return { position: item.position, bytes: item.bytes, error: "error" in item ? `${error}; ${item.error}` : error };
}

/**
 * Decompresses with every member verified first (gzip-members.ts): data of a member that failed its checksum, or
 * was cut short, comes out marked as corrupt. Problems go to summary.problems; an error of the input is rethrown.
 */
async function* gunzip(src: AsyncIterable<Buffer>, summary: ReadSummary): AsyncGenerator<Buffer | GzipSegment> {
  const gz = await verifyGzip(src);
  if (gz.problems.length) {
    summary.problems.push(...gz.problems);
    if (gz.verdicts.some((v) => v.problem)) summary.complete = false;
  }
  yield* gz.segments();
}
