import { parse } from "csv-parse/sync";
import type { SplitItem } from "./splitter";

// CSV exports (Salesforce EventLogFile, Microsoft Purview audit search, Snowflake ACCOUNT_USAGE, PAM grants):
// a header row, then one record per data row. Like the JSON splitter, this works on bytes and carries its
// state across chunks, so memory is bounded by the longest row and each record keeps its exact original
// bytes for the ledger: the row itself, without its line break. Row boundaries are found here (RFC 4180:
// a line break inside a quoted field belongs to the field); the fields of each row are parsed by csv-parse,
// which is made for that. The header row is not a record; position 0 is the first data row. Blank lines are
// skipped (they are not rows). A row whose field count differs from the header's, that csv-parse refuses, or
// that is longer than maxRecordBytes becomes an error item with its bytes; the next row is read normally.

const QUOTE = 0x22;
const COMMA = 0x2c;
const NL = 0x0a;
const CR = 0x0d;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export type CsvItem = SplitItem & { value?: Record<string, string> };

const CSV_NAME = /\.csv(\.gz)?$/i;

/** True when the file name says CSV. */
export function isCsvFileName(fileName: string | undefined): boolean {
  return !!fileName && CSV_NAME.test(fileName);
}

/** Field values of one row (csv-parse); throws its error for a malformed row. */
function parseRow(bytes: Buffer): string[] {
  const rows = parse(bytes, { bom: false }) as string[][];
  if (rows.length !== 1) throw new Error(rows.length === 0 ? "empty row" : `the row holds ${rows.length} records`);
  return rows[0];
}

/**
 * Whether a first line looks like a CSV header: at least two comma-separated, non-empty names, none of which
 * looks like JSON. Used when the file name does not say .csv.
 */
export function looksLikeCsvHeader(line: Buffer): boolean {
  let text = line;
  if (text.subarray(0, 3).equals(BOM)) text = text.subarray(3);
  const t = text.toString("utf8").trim();
  if (!t || t.startsWith("{") || t.startsWith("[")) return false;
  try {
    const names = parseRow(Buffer.from(t));
    return names.length >= 2 && names.every((n) => n.trim() !== "" && n.length <= 200);
  } catch {
    return false;
  }
}

export class CsvSplitter {
  /** The header's column names (after the first row has been read). */
  header: string[] | null = null;
  /** The header row's exact bytes. */
  headerBytes: Buffer | null = null;
  readonly problems: string[] = [];
  private parts: Buffer[] = [];
  private len = 0;
  private inQuote = false;
  private quoteSeen = false; // a quote inside a quoted field: closing, or the first of an escaped ""
  private fieldStart = true;
  private oversized = false;
  private position = 0;
  private first = true;
  private bomSeen = 0;
  private readonly maxRecordBytes: number;

  constructor(opts: { maxRecordBytes?: number } = {}) {
    this.maxRecordBytes = opts.maxRecordBytes ?? 64 * 1024 * 1024;
  }

  /** True when no row is open (the input so far ends on a row boundary outside quotes). */
  get atBoundary(): boolean {
    return this.len === 0 && !this.inQuote;
  }

  /** Whether a row has begun and not yet ended. */
  get recordOpen(): boolean {
    return !this.atBoundary;
  }

  push(chunk: Buffer, out: CsvItem[]): void {
    let start = 0;
    // A byte-order mark at the very start (possibly split across chunks) is not part of the header.
    while (this.first && start < chunk.length) {
      if (chunk[start] === BOM[this.bomSeen]) {
        start++;
        if (++this.bomSeen === BOM.length) this.first = false;
      } else {
        if (this.bomSeen > 0) this.take(BOM.subarray(0, this.bomSeen)); // a partial mark is data after all
        this.first = false;
      }
    }
    let rowStart = start;
    for (let i = start; i < chunk.length; i++) {
      const c = chunk[i];
      if (this.quoteSeen) {
        this.quoteSeen = false;
        if (c === QUOTE) continue; // "" inside a quoted field: a literal quote, still quoted
        this.inQuote = false; // the quote closed the field; fall through to handle c
      }
      if (this.inQuote) {
        if (c === QUOTE) this.quoteSeen = true;
        continue;
      }
      if (c === QUOTE) {
        if (this.fieldStart) this.inQuote = true;
        this.fieldStart = false;
      } else if (c === COMMA) {
        this.fieldStart = true;
      } else if (c === NL) {
        this.take(chunk.subarray(rowStart, i));
        this.endRow(out);
        rowStart = i + 1;
      } else {
        this.fieldStart = false;
      }
    }
    // A chunk ending right after a quote inside a quoted field: decided by the next chunk's first byte.
    this.take(chunk.subarray(rowStart));
  }

  /** Ends the input: an open row is emitted (an error item when it ends inside a quoted field). */
  end(out: CsvItem[]): void {
    if (this.quoteSeen) {
      this.quoteSeen = false;
      this.inQuote = false;
    }
    if (this.len === 0 && !this.inQuote) return;
    if (this.inQuote) {
      const bytes = this.flush();
      this.inQuote = false;
      this.reset();
      if (this.header === null) {
        this.problems.push("the header row ends inside a quoted field");
        return;
      }
      out.push({
        position: this.position++,
        bytes,
        error: "the row ends inside a quoted field (the file is cut off or a quote is not closed)",
      });
      return;
    }
    this.endRow(out);
  }

  private take(b: Buffer) {
    if (b.length === 0 || this.oversized) return;
    if (this.len + b.length > this.maxRecordBytes) {
      const room = this.maxRecordBytes - this.len;
      if (room > 0) this.parts.push(Buffer.from(b.subarray(0, room)));
      this.len = this.maxRecordBytes;
      this.oversized = true;
      return;
    }
    // Copy: the chunk's memory is reused by the caller's stream.
    this.parts.push(Buffer.from(b));
    this.len += b.length;
  }

  private flush(): Buffer {
    let bytes = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.len);
    if (bytes.length > 0 && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1);
    return bytes;
  }

  private reset() {
    this.parts = [];
    this.len = 0;
    this.fieldStart = true;
    this.oversized = false;
  }

  private endRow(out: CsvItem[]) {
    const oversized = this.oversized;
    const bytes = this.flush();
    this.reset();
    if (!oversized && bytes.length === 0) return; // a blank line is not a row
    if (this.header === null) {
      if (oversized) {
        this.problems.push(`the header row is longer than ${this.maxRecordBytes} bytes`);
        this.header = [];
        return;
      }
      this.headerBytes = bytes;
      try {
        this.header = dedupe(parseRow(bytes).map((h) => h.trim()));
      } catch (err) {
        this.problems.push(`the header row is not valid CSV: ${(err as Error).message}`);
        this.header = [];
      }
      return;
    }
    const position = this.position++;
    if (oversized) {
      out.push({ position, bytes, error: `record larger than ${this.maxRecordBytes} bytes` });
      return;
    }
    if (this.header.length === 0) {
      out.push({ position, bytes, error: "the file's header row could not be read, so its rows cannot be" });
      return;
    }
    let fields: string[];
    try {
      fields = parseRow(bytes);
    } catch (err) {
      out.push({ position, bytes, error: `not a valid CSV row: ${(err as Error).message}` });
      return;
    }
    if (fields.length !== this.header.length) {
      out.push({ position, bytes, error: `the row has ${fields.length} fields; the header has ${this.header.length}` });
      return;
    }
    const value: Record<string, string> = {};
    for (let i = 0; i < fields.length; i++) value[this.header[i]] = fields[i];
    out.push({ position, bytes, value });
  }
}

/**
 * One stored CSV row read back against its file's header row (ingest_batch.header): the same {header: value}
 * object the reader gave the source. Throws an Error saying why (bad quoting, wrong field count).
 */
export function parseCsvRecord(headerRow: string, row: Buffer): Record<string, string> {
  let headerBytes = Buffer.from(headerRow, "utf8");
  if (headerBytes.subarray(0, 3).equals(BOM)) headerBytes = headerBytes.subarray(3);
  const header = dedupe(parseRow(headerBytes).map((h) => h.trim()));
  const fields = parseRow(row);
  if (fields.length !== header.length) throw new Error(`the row has ${fields.length} fields; the header has ${header.length}`);
  const value: Record<string, string> = {};
  for (let i = 0; i < fields.length; i++) value[header[i]] = fields[i];
  return value;
}

/** Repeated column names get a suffix (Name, Name_2), so no value is lost. */
function dedupe(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n) => {
    const base = n || "column";
    const k = (seen.get(base) ?? 0) + 1;
    seen.set(base, k);
    return k === 1 ? base : `${base}_${k}`;
  });
}
