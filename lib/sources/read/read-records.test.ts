import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cloudtrail, github } from "../../../scripts/bench/synthetic";
import { probeFile, readRecords, type RecordItem } from "./index";
import { ENVELOPE_KEYS } from "./splitter";

async function collect(input: Readable | AsyncIterable<Buffer> | Iterable<Buffer>, fileName?: string, parse = false) {
  const reader = readRecords(input, { fileName, parse });
  const items: RecordItem[] = [];
  for await (const it of reader) items.push(it);
  return { items, summary: reader.summary };
}

/** The buffer in pieces cut at the given offsets. */
function chunked(buf: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => (buf.length ? c % (buf.length + 1) : 0)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of [...points, buf.length]) {
    if (p > prev) out.push(buf.subarray(prev, p));
    prev = Math.max(prev, p);
  }
  return out;
}

// --- generated files with known record offsets ---------------------------------------------------------

type Built = { bytes: Buffer; records: { start: number; end: number; text: string }[]; fileName: string; confirmAt: number | null };

const recordArb = fc.dictionary(
  fc.string({ maxLength: 8 }).filter((k) => !ENVELOPE_KEYS.has(k)),
  fc.jsonValue({ maxDepth: 3, stringUnit: "grapheme" }),
  { minKeys: 1, maxKeys: 5 },
);
const FORMATS = ["ndjson", "ndjson-crlf", "array", "array-pretty", "envelope", "concatenated"] as const;

function build(format: (typeof FORMATS)[number], recs: Record<string, unknown>[], named: boolean): Built {
  let text = "";
  const records: Built["records"] = [];
  let confirmAt: number | null = null;
  const add = (s: string) => {
    const start = Buffer.byteLength(text);
    text += s;
    records.push({ start, end: Buffer.byteLength(text), text: s });
  };
  const put = (s: string) => (text += s);
  switch (format) {
    case "ndjson":
    case "ndjson-crlf":
      recs.forEach((r, i) => {
        if (i) put(format === "ndjson" ? (i % 3 === 0 ? "\n\n" : "\n") : "\r\n");
        add(JSON.stringify(r));
      });
      put("\n");
      break;
    case "array":
    case "array-pretty":
      put(format === "array" ? "[" : "[\n  ");
      recs.forEach((r, i) => {
        if (i) put(format === "array" ? "," : ",\n  ");
        add(format === "array" ? JSON.stringify(r) : JSON.stringify(r, null, 2));
      });
      put(format === "array" ? "]" : "\n]\n");
      break;
    case "envelope": {
      put('{"meta":{"page":1,"tags":["a","]"]},"Records":[');
      recs.forEach((r, i) => {
        if (i) put(", ");
        if (i === 0) confirmAt = Buffer.byteLength(text);
        add(JSON.stringify(r));
      });
      if (recs.length === 0) confirmAt = Buffer.byteLength(text);
      put('],"NextToken":"x"}');
      break;
    }
    case "concatenated":
      recs.forEach((r, i) => {
        if (i) put("\n");
        add(JSON.stringify(r, null, 2));
      });
      break;
  }
  const fileName = named && format.startsWith("ndjson") ? "export.jsonl" : "export.json";
  return { bytes: Buffer.from(text, "utf8"), records, fileName, confirmAt };
}

const fileArb = fc
  .record({ format: fc.constantFrom(...FORMATS), recs: fc.array(recordArb, { maxLength: 6 }), named: fc.boolean() })
  .map(({ format, recs, named }) => build(format, recs, named));

describe("readRecords", () => {
  it("yields the same exact record bytes however the input is cut into chunks (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fileArb, fc.array(fc.nat(), { maxLength: 12 }), async (file, cuts) => {
        const { items, summary } = await collect(chunked(file.bytes, cuts), file.fileName);
        expect(items).toEqual(file.records.map((r, position) => ({ position, bytes: Buffer.from(r.text, "utf8") })));
        expect(summary.complete).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it("reads gzip on the fly, the compressed stream cut anywhere (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fileArb, fc.array(fc.nat(), { maxLength: 8 }), async (file, cuts) => {
        const { items, summary } = await collect(chunked(gzipSync(file.bytes), cuts), `${file.fileName}.gz`);
        expect(summary.gzip).toBe(true);
        expect(items.map((i) => i.bytes.toString("utf8"))).toEqual(file.records.map((r) => r.text));
      }),
      { numRuns: 150 },
    );
  });

  it("truncated input never throws: complete records as before, the cut record as an error item (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fileArb, fc.nat(), fc.array(fc.nat(), { maxLength: 6 }), async (file, cutAt, cuts) => {
        const cut = cutAt % (file.bytes.length + 1);
        const { items } = await collect(chunked(file.bytes.subarray(0, cut), cuts), file.fileName);
        const complete = file.records.filter((r) => r.end <= cut);
        const inside = file.records.find((r) => r.start < cut && cut < r.end);
        const good = items.filter((i) => !("error" in i));
        const bad = items.filter((i): i is Extract<RecordItem, { error: string }> => "error" in i);
        expect(good.map((i) => i.bytes.toString("utf8"))).toEqual(complete.map((r) => r.text));
        expect(good.map((i) => i.position)).toEqual(complete.map((_, p) => p));
        if (inside) {
          expect(bad).toHaveLength(1);
          expect(bad[0].position).toBe(complete.length);
          // Byte prefix (the cut may fall inside a multi-byte character).
          expect(Buffer.from(inside.text, "utf8").subarray(0, bad[0].bytes.length).equals(bad[0].bytes)).toBe(true);
          expect(bad[0].bytes.length).toBe(cut - inside.start);
        } else if (file.confirmAt !== null && cut > 0 && cut <= file.confirmAt) {
          // Cut inside the envelope before its first record: the unfinished top-level object is the error item.
          expect(bad).toHaveLength(1);
          expect(file.bytes.subarray(0, bad[0].bytes.length).equals(bad[0].bytes)).toBe(true);
        } else {
          expect(bad).toEqual([]);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("a gzip stream cut short: its records come out as error items with their bytes (the member cannot be verified), nothing throws", async () => {
    const recs = Array.from({ length: 200 }, (_, i) => JSON.stringify(github(i)));
    const gz = gzipSync(Buffer.from(recs.join("\n") + "\n"));
    const { items, summary } = await collect([gz.subarray(0, Math.floor(gz.length * 0.6))], "gh.jsonl.gz");
    expect(summary.complete).toBe(false);
    expect(summary.problems.join()).toMatch(/gzip member 1: unexpected end of file/);
    expect(items.length).toBeGreaterThan(50);
    expect(items.every((i) => "error" in i && /damaged gzip file/.test(i.error))).toBe(true);
    items.slice(0, -1).forEach((g, i) => expect(g.bytes.toString()).toBe(recs[i]));
    expect(summary.corrupt).toBe(items.length);
  });

  it("rethrows an error of the input stream itself", async () => {
    async function* failing() {
      yield Buffer.from('{"a":1}\n');
      throw new Error("connection reset by peer");
    }
    await expect(collect(failing())).rejects.toThrow("connection reset by peer");
  });

  it("parse option: values attached; invalid JSON becomes an error item", async () => {
    const { items, summary } = await collect([Buffer.from('{"a":1}\n{"a":}\n[{"b":1},2]\n')], "x.jsonl", true);
    expect(items[0]).toEqual({ position: 0, bytes: Buffer.from('{"a":1}'), value: { a: 1 } });
    expect(items[1]).toMatchObject({ position: 1, error: expect.stringMatching(/^not valid JSON/) });
    // A line holding an array is a page of records: its elements are the records.
    expect(items.slice(2).map((i) => ("value" in i ? i.value : null))).toEqual([{ b: 1 }, 2]);
    expect(summary).toMatchObject({ container: "ndjson", records: 4, errors: 1 });
  });

  it("summaries name the container", async () => {
    expect((await collect([Buffer.from('{"Records":[{"a":1}]}')])).summary).toMatchObject({
      container: "envelope",
      envelopeKey: "Records",
      records: 1,
      complete: true,
    });
    expect((await collect([Buffer.from("[]")])).summary).toMatchObject({ container: "json-array", records: 0 });
    expect((await collect([Buffer.from('{"a":1}')])).summary).toMatchObject({ container: "object", records: 1 });
    expect((await collect([Buffer.alloc(0)])).summary).toMatchObject({ container: "empty", records: 0, complete: true });
  });
});

// --- size and memory -------------------------------------------------------------------------------------

/** ~1 KB records, distinct, as one ~1 MiB block of NDJSON or JSON-array body text. */
function block(kind: "ndjson" | "array", from: number): Buffer {
  const parts: string[] = [];
  for (let i = 0; i < 1000; i++) {
    const rec = JSON.stringify(i % 2 ? github(from + i) : cloudtrail(from + i));
    parts.push(kind === "ndjson" ? `${rec}\n` : `,\n${rec}`);
  }
  return Buffer.from(parts.join(""));
}

/** A generated file streamed from memory: `blocks` copies of a 1000-record block (never written to disk). */
function generated(kind: "ndjson" | "array", blocks: number): { stream: Readable; records: number; bytes: number } {
  const body = block(kind, 0);
  const first = kind === "array" ? Buffer.concat([Buffer.from("[\n"), body.subarray(2)]) : body;
  async function* gen() {
    for (let b = 0; b < blocks; b++) yield Buffer.from(b === 0 ? first : body); // a fresh buffer each time, like a real read
    if (kind === "array") yield Buffer.from("\n]\n");
  }
  return { stream: Readable.from(gen(), { objectMode: false }), records: blocks * 1000, bytes: blocks * body.length };
}

describe("readRecords at scale", () => {
  for (const kind of ["ndjson", "array"] as const) {
    it(`streams ~200 MB of ${kind} with bounded memory`, async () => {
      const blocks = Math.ceil((200 * 1024 * 1024) / block(kind, 0).length);
      const { stream, records } = generated(kind, blocks);
      const base = process.memoryUsage().rss;
      let peak = base;
      let n = 0;
      let recordBytes = 0;
      for await (const it of readRecords(stream, { fileName: `big.${kind === "ndjson" ? "jsonl" : "json"}` })) {
        if ("error" in it) throw new Error(`unexpected error item at ${it.position}: ${it.error}`);
        recordBytes += it.bytes.length;
        if (++n % 20000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
      }
      peak = Math.max(peak, process.memoryUsage().rss);
      const growthMb = (peak - base) / 1024 / 1024;
      expect(n).toBe(records);
      expect(recordBytes).toBeGreaterThan(190 * 1024 * 1024);
      expect(growthMb).toBeLessThan(150);
    }, 180_000);
  }
});

describe("probeFile", () => {
  it("finds the container and the first records from the head only, gzip or not", () => {
    const lines = Array.from({ length: 50 }, (_, i) => JSON.stringify(github(i))).join("\n") + "\n";
    const head = Buffer.from(lines).subarray(0, 2500); // cuts a record: it is not used
    const whole = lines.slice(0, 2500).split("\n").length - 1;
    const p = probeFile(head, "audit.jsonl");
    expect(p).toMatchObject({ container: "ndjson", gzip: false, envelopeKey: null });
    expect(p.records).toHaveLength(whole);
    expect(p.records[0]).toEqual(github(0));

    const gz = gzipSync(Buffer.from(JSON.stringify({ Records: Array.from({ length: 200 }, (_, i) => cloudtrail(i)) })));
    const pg = probeFile(gz.subarray(0, 2000), "x.json.gz");
    expect(pg).toMatchObject({ container: "envelope", envelopeKey: "Records", gzip: true });
    expect(pg.records.length).toBeGreaterThan(0);
    expect(pg.records[0]).toEqual(cloudtrail(0));

    expect(probeFile(Buffer.from("hello,world\n1,2\n"), "mystery.csv")).toMatchObject({
      container: "csv",
      records: [{ hello: "1", world: "2" }],
    });
    expect(probeFile(Buffer.alloc(0), "empty.json")).toMatchObject({ container: "empty", records: [] });
    expect(probeFile(Buffer.from([0x1f, 0x8b, 0, 1, 2]), "bad.gz").problems[0]).toMatch(/gzip/);
  });
});
