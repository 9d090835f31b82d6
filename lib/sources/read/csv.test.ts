import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { probeFile } from "./probe";
import { readRecords, type RecordItem, type ReadSummary } from "./read-records";

async function readAll(chunks: (string | Buffer)[], fileName = "export.csv"): Promise<{ items: RecordItem[]; summary: ReadSummary }> {
  const reader = readRecords(
    chunks.map((c) => (typeof c === "string" ? Buffer.from(c) : c)),
    { fileName },
  );
  const items: RecordItem[] = [];
  for await (const it of reader) items.push(it);
  return { items, summary: reader.summary };
}

/** Splits a buffer at the given cut points (sorted, deduplicated, inside the buffer). */
function cut(buf: Buffer, points: number[]): Buffer[] {
  const ps = [...new Set(points.filter((p) => p > 0 && p < buf.length))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let last = 0;
  for (const p of ps) {
    out.push(buf.subarray(last, p));
    last = p;
  }
  out.push(buf.subarray(last));
  return out;
}

const view = (items: RecordItem[]) =>
  items.map((i) => ({
    position: i.position,
    bytes: i.bytes.toString("utf8"),
    value: "value" in i ? i.value : undefined,
    error: "error" in i ? i.error : undefined,
  }));

// An EventLogFile-like export: quoted header, a quoted field holding a comma, a line break and an escaped quote,
// CRLF line ends, a byte-order mark, and a blank line at the end.
const SALESFORCE =
  '\uFEFF"EVENT_TYPE","TIMESTAMP","USER_ID","URI","MESSAGE"\r\n' +
  '"Login","20261123080102.123","005Hs00000ABCDE","/home","ok"\r\n' +
  '"URI","20261123080110.456","005Hs00000ABCDE","/lightning/r/Report/00O5","line one\r\nline two, with ""quotes"""\r\n' +
  '"Logout","20261123090000.000","005Hs00000ABCDE","","bye"\r\n' +
  "\r\n";

describe("CSV reader", () => {
  it("yields each data row with its exact bytes, its position and its header-keyed values", async () => {
    const { items, summary } = await readAll([SALESFORCE]);
    expect(summary.container).toBe("csv");
    expect(summary.csvHeader).toEqual(["EVENT_TYPE", "TIMESTAMP", "USER_ID", "URI", "MESSAGE"]);
    expect(summary.csvHeaderBytes?.toString()).toBe('"EVENT_TYPE","TIMESTAMP","USER_ID","URI","MESSAGE"');
    expect(summary.complete).toBe(true);
    expect(view(items)).toEqual([
      {
        position: 0,
        bytes: '"Login","20261123080102.123","005Hs00000ABCDE","/home","ok"',
        value: { EVENT_TYPE: "Login", TIMESTAMP: "20261123080102.123", USER_ID: "005Hs00000ABCDE", URI: "/home", MESSAGE: "ok" },
        error: undefined,
      },
      {
        position: 1,
        bytes: '"URI","20261123080110.456","005Hs00000ABCDE","/lightning/r/Report/00O5","line one\r\nline two, with ""quotes"""',
        value: {
          EVENT_TYPE: "URI",
          TIMESTAMP: "20261123080110.456",
          USER_ID: "005Hs00000ABCDE",
          URI: "/lightning/r/Report/00O5",
          MESSAGE: 'line one\r\nline two, with "quotes"',
        },
        error: undefined,
      },
      {
        position: 2,
        bytes: '"Logout","20261123090000.000","005Hs00000ABCDE","","bye"',
        value: { EVENT_TYPE: "Logout", TIMESTAMP: "20261123090000.000", USER_ID: "005Hs00000ABCDE", URI: "", MESSAGE: "bye" },
        error: undefined,
      },
    ]);
  });

  it("gives the same records whatever the chunking (every cut point, byte by byte)", async () => {
    const whole = Buffer.from(SALESFORCE);
    const expected = view((await readAll([whole])).items);
    for (let p = 1; p < whole.length; p++) expect(view((await readAll(cut(whole, [p]))).items)).toEqual(expected);
    expect(
      view(
        (
          await readAll(
            cut(
              whole,
              Array.from({ length: whole.length }, (_, i) => i),
            ),
          )
        ).items,
      ),
    ).toEqual(expected);
  });

  it("turns a row with the wrong field count, a malformed row and an unclosed quote into error items, reading on", async () => {
    const text = 'a,b,c\n1,2,3\n1,2\n4,5,6\n7,"8"x,9\n10,11,"unclosed\n12,13,14\n';
    const { items, summary } = await readAll([text]);
    expect(view(items)).toEqual([
      { position: 0, bytes: "1,2,3", value: { a: "1", b: "2", c: "3" }, error: undefined },
      { position: 1, bytes: "1,2", value: undefined, error: "the row has 2 fields; the header has 3" },
      { position: 2, bytes: "4,5,6", value: { a: "4", b: "5", c: "6" }, error: undefined },
      { position: 3, bytes: '7,"8"x,9', value: undefined, error: expect.stringMatching(/^not a valid CSV row: /) },
      { position: 4, bytes: '10,11,"unclosed\n12,13,14\n', value: undefined, error: expect.stringMatching(/ends inside a quoted field/) },
    ]);
    expect(summary.complete).toBe(false);
    expect(summary.errors).toBe(3);
  });

  it("caps an oversized row as an error item and reads the next row", async () => {
    const reader = readRecords([Buffer.from(`k,v\n1,${"x".repeat(100)}\n2,y\n`)], { fileName: "big.csv", maxRecordBytes: 20 });
    const items: RecordItem[] = [];
    for await (const it of reader) items.push(it);
    expect(view(items)).toEqual([
      { position: 0, bytes: `1,${"x".repeat(18)}`, value: undefined, error: "record larger than 20 bytes" },
      { position: 1, bytes: "2,y", value: { k: "2", v: "y" }, error: undefined },
    ]);
  });

  it("recognises CSV from its header row when the file name does not say so, and JSON stays JSON", async () => {
    const csv = await readAll(
      ["Date,User,Action,Section\n2026-11-23 08:00:00,admin@example.test,changedProfile,Manage Users\n"],
      "setup-audit-trail.txt",
    );
    expect(csv.summary.container).toBe("csv");
    expect(csv.items[0]).toMatchObject({ value: { Date: "2026-11-23 08:00:00", User: "admin@example.test" } });
    const json = await readAll(['[{"a":1},{"a":2}]'], "x.txt");
    expect(json.summary.container).toBe("json-array");
    expect(json.items.map((i) => i.bytes.toString())).toEqual(['{"a":1}', '{"a":2}']);
    // A text line that is not a header (no comma) stays with the JSON splitter, which refuses it line by line.
    const text = await readAll(["hello world\n"], "notes.txt");
    expect(text.items[0]).toMatchObject({ error: expect.stringMatching(/not a JSON/) });
  });

  it("reads .csv.gz", async () => {
    const { items, summary } = await readAll([gzipSync(Buffer.from(SALESFORCE))], "2026-11-23_Login.csv.gz");
    expect(summary.gzip).toBe(true);
    expect(items.map((i) => i.position)).toEqual([0, 1, 2]);
  });

  it("probes a CSV head: the container and the complete rows as header-keyed records", () => {
    const head = Buffer.from(SALESFORCE.slice(0, SALESFORCE.indexOf('"Logout"') + 10));
    const probe = probeFile(head, "EventLogFile_Login_2026-11-23.csv");
    expect(probe.container).toBe("csv");
    expect(probe.records).toHaveLength(2);
    expect(probe.records[0]).toMatchObject({ EVENT_TYPE: "Login" });
  });

  it("round-trips any table written with RFC 4180 quoting, however it is chunked (fast-check)", async () => {
    const field = fc.string({ unit: fc.constantFrom("a", "b", ",", '"', "\n", "\r\n", " ", "é", "💡"), maxLength: 8 });
    const quote = (s: string) => (/[",\r\n]/.test(s) || s === "" ? `"${s.replace(/"/g, '""')}"` : s);
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 5 })
          .chain((n) =>
            fc.tuple(
              fc.uniqueArray(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}$/), { minLength: n, maxLength: n }),
              fc.array(fc.array(field, { minLength: n, maxLength: n }), { maxLength: 6 }),
              fc.array(fc.nat(400), { maxLength: 6 }),
              fc.boolean(),
            ),
          ),
        async ([header, rows, cuts, crlf]) => {
          // A row of one empty field is a blank line, which is not a row: give it content.
          const data = rows.map((r) => (r.length === 1 && r[0] === "" ? ["x"] : r));
          const eol = crlf ? "\r\n" : "\n";
          const text = [header.join(","), ...data.map((r) => r.map(quote).join(","))].join(eol) + eol;
          const { items } = await readAll(cut(Buffer.from(text), cuts));
          expect(items.map((i) => ("value" in i ? i.value : i))).toEqual(
            data.map((r) => Object.fromEntries(header.map((h, k) => [h, r[k]]))),
          );
          expect(items.map((i) => i.bytes.toString())).toEqual(data.map((r) => r.map(quote).join(",")));
        },
      ),
      { numRuns: 300 },
    );
  });
});
