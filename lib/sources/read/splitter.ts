import type { ContainerKind } from "../types";

// A byte-level JSON record splitter. It finds where each record starts and ends without parsing it, so that
// the ledger can keep every record's exact original bytes, and it carries its state across chunk boundaries
// so that memory does not grow with the file. It tracks only what splitting needs: string/escape state,
// nesting depth, and (for a top-level object) its keys until it knows whether the object is an envelope.
//
// What is a record:
//  - top-level `[ … ]`: each element (also for several arrays one after the other, e.g. concatenated pages);
//  - top-level `{ … }` whose first key holding an array of objects is an envelope key (ENVELOPE_KEYS:
//    Records, records, value, Events, items, entries, data, result, issues, entities, results, Items): each element of that array; the envelope's other keys are skipped;
//  - any other top-level `{ … }`: the object itself (one record per line in NDJSON, or one pretty-printed
//    object; several pretty-printed objects one after the other work too);
//  - anything else at top level (text, CSV, a bare number): an error item holding the rest of that line.
// A record's bytes are the JSON value itself: surrounding whitespace, commas and newlines are not part of it.
//
// Line mode (NDJSON): a newline inside an unfinished record means that line is broken; the line's bytes become
// an error item and the next line starts fresh. Line mode is on when the caller says so (file name .jsonl /
// .ndjson), or when the first top-level object ends on its first line; a first object that continues on the
// next line means a pretty-printed document, where newlines are only whitespace. Raw newlines never occur
// inside valid JSON strings, so a newline inside a string in an NDJSON line also marks that line broken.
//
// The splitter checks structure only: a record that is balanced but not valid JSON (e.g. `{"a":}`) is
// emitted as a record and rejected by the JSON.parse that follows (readRecords can do it: opts.parse).

export type SplitItem = { position: number; bytes: Buffer } | { position: number; bytes: Buffer; error: string };

export type SplitterOptions = {
  /** NDJSON line mode from the start (else decided from the data). */
  lines?: boolean;
  /** A record larger than this becomes an error item holding its first maxRecordBytes bytes. Default 64 MiB. */
  maxRecordBytes?: number;
};

// The API page envelopes of the platforms read here: CloudTrail Records, Entra Graph value, Azure Monitor
// records, CloudTrail Event history Events, Google Reports items, Slack Audit Logs entries, Atlassian
// organization audit data, ServiceNow Table API result, Jira search issues, Atlassian Data Center auditing
// (/rest/auditing/1.0/events) entities, Confluence Cloud audit (/wiki/rest/api/audit) results, DynamoDB scan output
// (`aws dynamodb scan`) Items.
export const ENVELOPE_KEYS: ReadonlySet<string> = new Set([
  "Records",
  "records",
  "value",
  "Events",
  "items",
  "entries",
  "data",
  "result",
  "issues",
  "entities",
  "results",
  "Items",
]);

// A cheap pre-check before a key is decoded: only keys of these lengths and first bytes can be envelope keys.
const ENVELOPE_MIN = Math.min(...[...ENVELOPE_KEYS].map((k) => k.length));
const ENVELOPE_MAX = Math.max(...[...ENVELOPE_KEYS].map((k) => k.length));
const ENVELOPE_FIRST: ReadonlySet<number> = new Set([...ENVELOPE_KEYS].map((k) => k.charCodeAt(0)));

const BOM = [0xef, 0xbb, 0xbf];
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NL = 0x0a;

const MODE_UNKNOWN = 0;
const MODE_LINES = 1;
const MODE_DOCUMENT = 2;

// What the current record is.
const R_NONE = 0;
const R_CONTAINER = 1; // object or array: ends when depth returns to recDepth
const R_STRING = 2; // a string element of an array: ends at its closing quote
const R_SCALAR = 3; // number / literal element: ends at , ] } or whitespace
const R_GARBAGE = 4; // non-JSON text at top level: ends at the end of the line

// Key tracking inside a top-level object, to recognise envelopes.
const K_OFF = 0;
const K_EXPECT_KEY = 1;
const K_IN_KEY = 2;
const K_AFTER_KEY = 3;
const K_EXPECT_VALUE = 4;
const K_IN_VALUE = 5;
const K_ENV_PENDING = 6; // saw `"<envelope key>": [`, deciding on the first element

export class RecordSplitter {
  private mode: number;
  private readonly maxRecordBytes: number;
  private depth = 0;
  private inStr = false;
  private esc = false;
  /** Depth at which records start: 0 top level, 1 inside a top-level array, 2 inside an envelope list, -1 none. */
  private recDepth = 0;
  private rec = R_NONE;
  private recStart = 0;
  private parts: Buffer[] = [];
  private partsLen = 0;
  private recTotal = 0;
  private oversize = false;
  private ks = K_OFF;
  private keyStart = 0;
  private keyAcc = "";
  private curKey = "";
  private position = 0;
  /** BOM bytes matched so far at the start of the input; -1 once past it. */
  private bom = 0;
  // What the file looked like, for ContainerKind: the first top-level bracket, and how many top-level values began.
  private firstTop = 0;
  private topValues = 0;
  private sawEnvelope: string | null = null;
  private sawGarbage = false;
  /** Non-record problems (e.g. an NDJSON envelope line that broke between records). */
  readonly problems: string[] = [];

  constructor(opts: SplitterOptions = {}) {
    this.mode = opts.lines ? MODE_LINES : MODE_UNKNOWN;
    this.maxRecordBytes = opts.maxRecordBytes ?? 64 * 1024 * 1024;
  }

  /** Whether the input so far ended cleanly between records (false inside a record or an open bracket). */
  get atBoundary(): boolean {
    return this.depth === 0 && !this.inStr && this.rec === R_NONE;
  }

  /** Whether a record has begun and not yet ended (between records of an open array this is false). */
  get recordOpen(): boolean {
    return this.rec !== R_NONE;
  }

  get envelopeKey(): string | null {
    return this.sawEnvelope;
  }

  containerKind(): ContainerKind {
    if (this.firstTop === 0) return this.sawGarbage ? "unknown" : "empty";
    if (this.firstTop === 0x5b) return "json-array";
    if (this.firstTop === 0x7b) {
      if (this.sawEnvelope) return "envelope";
      if (this.topValues > 1) {
        return this.mode === MODE_DOCUMENT ? "concatenated" : "ndjson";
      }
      return "object";
    }
    return "unknown";
  }

  /** Splits one chunk; complete records (and error items) are appended to `out`. */
  push(chunk: Buffer, out: SplitItem[]): void {
    const n = chunk.length;
    let i = 0;
    // A UTF-8 byte-order mark before the first value is not part of any record (it may arrive split over chunks).
    while (this.bom >= 0 && i < n) {
      if (chunk[i] !== BOM[this.bom]) {
        this.bom = -1;
        break;
      }
      i++;
      if (++this.bom === 3) this.bom = -1;
    }
    if (this.rec !== R_NONE) this.recStart = 0;
    if (this.ks === K_IN_KEY) this.keyStart = 0;
    let nq = -1;
    let nb = -1;
    let nn = -1;

    while (i < n) {
      if (this.rec === R_GARBAGE) {
        if (nn < i) nn = indexOrEnd(chunk, NL, i);
        if (nn === n) {
          i = n;
          break;
        }
        this.emit(chunk, nn, out, "not a JSON object or array", true);
        i = nn + 1;
        continue;
      }
      if (this.inStr) {
        if (this.esc) {
          this.esc = false;
          i++;
          continue;
        }
        if (nq < i) nq = indexOrEnd(chunk, QUOTE, i);
        if (nb < i) nb = indexOrEnd(chunk, BACKSLASH, i);
        const m = nq < nb ? nq : nb;
        if (this.mode !== MODE_DOCUMENT) {
          if (nn < i) nn = indexOrEnd(chunk, NL, i);
          if (nn < m) {
            // A raw newline inside a string: not JSON; in NDJSON it means this line is broken.
            this.mode = MODE_LINES;
            this.breakLine(chunk, nn, out);
            i = nn + 1;
            continue;
          }
        }
        if (m === n) {
          i = n;
          break;
        }
        if (m === nb) {
          if (nb + 1 < n) i = nb + 2;
          else {
            this.esc = true;
            i = n;
          }
          continue;
        }
        this.inStr = false;
        i = nq + 1;
        this.stringEnded(chunk, nq, out);
        continue;
      }

      const c = chunk[i];
      switch (c) {
        case 0x20:
        case 0x09:
        case 0x0d:
          if (this.rec === R_SCALAR && this.depth === this.recDepth) this.emit(chunk, i, out);
          break;
        case NL:
          if (this.rec === R_SCALAR && this.depth === this.recDepth) this.emit(chunk, i, out);
          if (this.depth > 0) {
            if (this.mode === MODE_UNKNOWN) this.mode = MODE_DOCUMENT;
            else if (this.mode === MODE_LINES) this.breakLine(chunk, i, out);
          }
          break;
        case QUOTE:
          if (this.depth === 0) {
            this.startGarbage(i);
            continue;
          }
          if (this.rec === R_NONE && this.depth === this.recDepth) this.start(i, R_STRING);
          if (this.depth === 1) {
            if (this.ks === K_EXPECT_KEY) {
              this.ks = K_IN_KEY;
              this.keyStart = i + 1;
              this.keyAcc = "";
            } else if (this.ks === K_EXPECT_VALUE) this.ks = K_IN_VALUE;
          } else if (this.depth === 2 && this.ks === K_ENV_PENDING) this.ks = K_IN_VALUE;
          this.inStr = true;
          break;
        case 0x7b: // {
        case 0x5b: // [
          if (this.rec === R_SCALAR && this.depth === this.recDepth) this.emit(chunk, i, out);
          if (this.depth === 0) {
            if (this.firstTop === 0) this.firstTop = c;
            this.topValues++;
            if (c === 0x5b) {
              this.recDepth = 1;
              this.ks = K_OFF;
            } else {
              this.recDepth = 0;
              this.start(i, R_CONTAINER);
              this.ks = K_EXPECT_KEY;
            }
          } else if (this.depth === 1 && this.ks !== K_OFF) {
            if (this.ks === K_EXPECT_VALUE) {
              this.ks = c === 0x5b && ENVELOPE_KEYS.has(this.curKey) ? K_ENV_PENDING : K_IN_VALUE;
            } else if (this.ks === K_EXPECT_KEY) this.syntaxError();
          } else if (this.depth === 2 && this.ks === K_ENV_PENDING) {
            if (c === 0x7b) {
              this.confirmEnvelope();
              this.start(i, R_CONTAINER);
            } else this.ks = K_IN_VALUE; // an array of arrays: not an envelope, the object is one record
          } else if (this.rec === R_NONE && this.depth === this.recDepth) {
            this.start(i, R_CONTAINER);
          }
          this.depth++;
          break;
        case 0x7d: // }
        case 0x5d: // ]
          if (this.rec === R_SCALAR && this.depth === this.recDepth) this.emit(chunk, i, out);
          if (this.depth === 0) {
            this.startGarbage(i);
            continue;
          }
          if (this.depth === 2 && this.ks === K_ENV_PENDING) this.confirmEnvelope(); // empty envelope list
          this.depth--;
          if (this.rec === R_CONTAINER && this.depth === this.recDepth) this.emit(chunk, i + 1, out);
          if (this.depth === 1 && this.recDepth === 2) this.recDepth = -1; // envelope list closed: skip the rest
          if (this.depth === 0) this.topValueEnded();
          break;
        case 0x2c: // ,
          if (this.rec === R_SCALAR && this.depth === this.recDepth) this.emit(chunk, i, out);
          if (this.depth === 1 && this.ks !== K_OFF && this.ks !== K_ENV_PENDING) this.ks = K_EXPECT_KEY;
          break;
        case 0x3a: // :
          if (this.depth === 1 && this.ks === K_AFTER_KEY) this.ks = K_EXPECT_VALUE;
          break;
        default:
          if (this.depth === 0) {
            this.startGarbage(i);
            continue;
          }
          if (this.rec === R_NONE && this.depth === this.recDepth) this.start(i, R_SCALAR);
          if (this.depth === 1) {
            if (this.ks === K_EXPECT_VALUE) this.ks = K_IN_VALUE;
            else if (this.ks === K_EXPECT_KEY) this.syntaxError();
          } else if (this.depth === 2 && this.ks === K_ENV_PENDING) this.ks = K_IN_VALUE;
      }
      i++;
    }

    // The chunk is used up: keep what belongs to an unfinished record or key.
    if (this.rec !== R_NONE) this.keep(chunk, this.recStart, n);
    if (this.ks === K_IN_KEY) this.keyAcc += chunk.toString("latin1", this.keyStart, n);
  }

  /** End of input: an unfinished record becomes an error item with the bytes read. */
  end(out: SplitItem[]): void {
    if (this.rec === R_GARBAGE) this.emitKept(out, "not a JSON object or array", true);
    else if (this.rec === R_SCALAR && this.depth === 0) this.emitKept(out);
    else if (this.rec !== R_NONE) this.emitKept(out, "truncated: the input ended inside this record");
    else if (this.depth > 0 || this.inStr) this.problems.push("the input ended before the closing bracket of the JSON document");
    this.reset();
  }

  // --- internals -------------------------------------------------------------------------------------------

  private start(i: number, kind: number): void {
    this.rec = kind;
    this.recStart = i;
    this.parts = [];
    this.partsLen = 0;
    this.recTotal = 0;
    this.oversize = false;
  }

  private startGarbage(i: number): void {
    this.sawGarbage = true;
    this.start(i, R_GARBAGE);
  }

  /** Copies chunk[a, b) into the current record's parts (bounded by maxRecordBytes). */
  private keep(chunk: Buffer, a: number, b: number): void {
    const len = b - a;
    if (len <= 0) return;
    this.recTotal += len;
    if (this.oversize) return;
    const room = this.maxRecordBytes - this.partsLen;
    const take = len <= room ? len : room;
    if (take < len) this.oversize = true;
    if (take > 0) {
      const part = Buffer.allocUnsafe(take);
      chunk.copy(part, 0, a, a + take);
      this.parts.push(part);
      this.partsLen += take;
    }
  }

  /** Ends the current record at chunk[end) and emits it. */
  private emit(chunk: Buffer, end: number, out: SplitItem[], error?: string, trim = false): void {
    if (this.parts.length === 0 && !this.oversize && end - this.recStart <= this.maxRecordBytes) {
      // Fast path: the whole record is in this chunk. Copied, so that a kept record does not pin the chunk.
      let e = end;
      if (trim) while (e > this.recStart && isSpace(chunk[e - 1])) e--;
      const bytes = Buffer.allocUnsafe(e - this.recStart);
      chunk.copy(bytes, 0, this.recStart, e);
      this.push1(out, bytes, error);
    } else {
      this.keep(chunk, this.recStart, end);
      this.emitKept(out, error, trim);
    }
    this.rec = R_NONE;
  }

  private emitKept(out: SplitItem[], error?: string, trim = false): void {
    let bytes = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.partsLen);
    if (trim) {
      let e = bytes.length;
      while (e > 0 && isSpace(bytes[e - 1])) e--;
      bytes = bytes.subarray(0, e);
    }
    if (this.oversize) {
      error = `record too large: ${this.recTotal} bytes, more than the ${this.maxRecordBytes}-byte limit (first ${this.maxRecordBytes} bytes kept)`;
    }
    this.push1(out, bytes, error);
    this.parts = [];
    this.partsLen = 0;
    this.rec = R_NONE;
  }

  private push1(out: SplitItem[], bytes: Buffer, error?: string): void {
    out.push(error === undefined ? { position: this.position, bytes } : { position: this.position, bytes, error });
    this.position++;
  }

  private stringEnded(chunk: Buffer, q: number, out: SplitItem[]): void {
    if (this.ks === K_IN_KEY && this.depth === 1) {
      // Only a key that can be an envelope key is turned into a string (keys are most of a record's strings).
      const len = this.keyAcc.length + q - this.keyStart;
      const b0 = this.keyAcc.length ? this.keyAcc.charCodeAt(0) : chunk[this.keyStart];
      const maybe = len >= ENVELOPE_MIN && len <= ENVELOPE_MAX && ENVELOPE_FIRST.has(b0);
      this.curKey = maybe ? this.keyAcc + chunk.toString("latin1", this.keyStart, q) : "";
      this.keyAcc = "";
      this.ks = K_AFTER_KEY;
    }
    if (this.rec === R_STRING && this.depth === this.recDepth) this.emit(chunk, q + 1, out);
  }

  private confirmEnvelope(): void {
    // The top-level object was an envelope, not a record: forget its bytes; its list elements are the records.
    this.rec = R_NONE;
    this.parts = [];
    this.partsLen = 0;
    this.recDepth = 2;
    this.ks = K_OFF;
    this.sawEnvelope ??= this.curKey;
  }

  private syntaxError(): void {
    // Not a key where a key must be. A first value this broken is more likely a bad NDJSON line than a
    // pretty-printed document: switch to line mode so the damage stays on its line.
    if (this.mode === MODE_UNKNOWN) this.mode = MODE_LINES;
    this.ks = K_OFF;
  }

  private topValueEnded(): void {
    this.recDepth = 0;
    this.ks = K_OFF;
    if (this.mode === MODE_UNKNOWN) this.mode = MODE_LINES;
  }

  /** NDJSON: the line ending at chunk[nl] is broken; its unfinished record becomes an error item. */
  private breakLine(chunk: Buffer, nl: number, out: SplitItem[]): void {
    if (this.rec !== R_NONE) this.emit(chunk, nl, out, "incomplete JSON value on this line", true);
    else this.problems.push(`a line ended inside an unfinished JSON value (after record ${this.position - 1})`);
    this.reset();
  }

  private reset(): void {
    this.depth = 0;
    this.inStr = false;
    this.esc = false;
    this.recDepth = 0;
    this.rec = R_NONE;
    this.parts = [];
    this.partsLen = 0;
    this.ks = K_OFF;
    this.keyAcc = "";
  }
}

function indexOrEnd(chunk: Buffer, byte: number, from: number): number {
  const j = chunk.indexOf(byte, from);
  return j < 0 ? chunk.length : j;
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0d || b === 0x0a;
}
