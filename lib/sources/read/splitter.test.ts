import { describe, expect, it } from "vitest";
import { ENVELOPE_KEYS, RecordSplitter, type SplitItem } from "./splitter";

function split(text: string | Buffer, opts: { lines?: boolean; chunk?: number; maxRecordBytes?: number } = {}) {
  const buf = Buffer.isBuffer(text) ? text : Buffer.from(text, "utf8");
  const s = new RecordSplitter({ lines: opts.lines, maxRecordBytes: opts.maxRecordBytes });
  const out: SplitItem[] = [];
  const step = opts.chunk ?? buf.length;
  for (let i = 0; i < buf.length; i += step || 1) s.push(buf.subarray(i, i + (step || 1)), out);
  s.end(out);
  return {
    kind: s.containerKind(),
    envelopeKey: s.envelopeKey,
    problems: s.problems,
    items: out.map((o) =>
      "error" in o
        ? { position: o.position, text: o.bytes.toString("utf8"), error: o.error }
        : { position: o.position, text: o.bytes.toString("utf8") },
    ),
  };
}
const texts = (r: ReturnType<typeof split>) => r.items.map((i) => ("error" in i ? `ERR(${i.error}):${i.text}` : i.text));

describe("RecordSplitter", () => {
  it("splits the page envelope of every platform's API (each envelope key), whatever the chunking", () => {
    for (const key of ENVELOPE_KEYS) {
      const text = `{"kind":"page","${key}":[{"a":1},\n {"a":2}],"next":"x"}`;
      for (const chunk of [0, 1, 3]) {
        const r = split(text, { chunk });
        expect([key, r.kind, r.envelopeKey, texts(r)]).toEqual([key, "envelope", key, ['{"a":1}', '{"a":2}']]);
      }
    }
  });

  it("splits a JSON array into its elements' exact bytes (indentation and escapes kept)", () => {
    const text = '[\n  {"a": 1,\n   "b": "x\\"}]{"},\n  {"c": [1, {"d": "\\\\"}]} , 3, "s", [1,2], null\n]\n';
    const r = split(text);
    expect(r.kind).toBe("json-array");
    expect(texts(r)).toEqual(['{"a": 1,\n   "b": "x\\"}]{"}', '{"c": [1, {"d": "\\\\"}]}', "3", '"s"', "[1,2]", "null"]);
    expect(r.items.map((i) => i.position)).toEqual([0, 1, 2, 3, 4, 5]);
    // Byte for byte the same, whatever the chunk size (state carried across chunk boundaries).
    for (const chunk of [1, 2, 3, 7]) expect(texts(split(text, { chunk }))).toEqual(texts(r));
  });

  it("NDJSON: each non-empty line, CRLF and blank lines tolerated", () => {
    const r = split('{"a":1}\r\n\r\n{"b":"}{"}\n   \n{"c":[{"d":2}]}');
    expect(r.kind).toBe("ndjson");
    expect(texts(r)).toEqual(['{"a":1}', '{"b":"}{"}', '{"c":[{"d":2}]}']);
  });

  it("NDJSON: a broken line is an error item with that line's bytes; the next lines are read", () => {
    const r = split('{"a":1}\n{not json\n{"b":2}\n{"c": "unterminated\n{"d":4}\n');
    expect(texts(r)).toEqual([
      '{"a":1}',
      "ERR(incomplete JSON value on this line):{not json",
      '{"b":2}',
      'ERR(incomplete JSON value on this line):{"c": "unterminated',
      '{"d":4}',
    ]);
    expect(r.items.map((i) => i.position)).toEqual([0, 1, 2, 3, 4]);
    // Even when the very first line is the broken one.
    expect(texts(split('{not json\n{"b":2}\n'))).toEqual(["ERR(incomplete JSON value on this line):{not json", '{"b":2}']);
    // Line mode forced (file named .jsonl): a first record spread over lines is broken too.
    expect(texts(split('{"a":\n1}\n{"b":2}\n', { lines: true }))).toEqual([
      'ERR(incomplete JSON value on this line):{"a":',
      "ERR(not a JSON object or array):1}",
      '{"b":2}',
    ]);
  });

  it("envelopes: the records under Records / value / records / Events, other keys skipped", () => {
    expect(split('{"Records":[{"a":1},{"b":2}]}')).toMatchObject({
      kind: "envelope",
      envelopeKey: "Records",
      items: [{ text: '{"a":1}' }, { text: '{"b":2}' }],
    });
    const graph = split(
      '{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns","value":[{"id":"1"},\n {"id":"2"}],"@odata.nextLink":"https://x/?$skiptoken=a"}',
    );
    expect(graph).toMatchObject({ kind: "envelope", envelopeKey: "value" });
    expect(texts(graph)).toEqual(['{"id":"1"}', '{"id":"2"}']);
    expect(texts(split('{"records": [ {"time":"t"} ] }'))).toEqual(['{"time":"t"}']);
    expect(texts(split('{"Events":[{"EventId":"e","CloudTrailEvent":"{\\"eventName\\":\\"x\\"}"}],"NextToken":"n"}'))).toEqual([
      '{"EventId":"e","CloudTrailEvent":"{\\"eventName\\":\\"x\\"}"}',
    ]);
    // Atlassian Data Center auditing (/rest/auditing/1.0/events) and Confluence Cloud audit (/wiki/rest/api/audit) pages.
    expect(split('{"entities":[{"timestamp":"t","author":{"id":"1"}}],"pagingInfo":{"limit":1}}')).toMatchObject({
      kind: "envelope",
      envelopeKey: "entities",
      items: [{ text: '{"timestamp":"t","author":{"id":"1"}}' }],
    });
    // `aws dynamodb scan` output (DynamoDB JSON items).
    expect(split('{"Items":[{"id":{"S":"r1"}},{"id":{"S":"r2"}}],"Count":2,"ScannedCount":2}')).toMatchObject({
      kind: "envelope",
      envelopeKey: "Items",
      items: [{ text: '{"id":{"S":"r1"}}' }, { text: '{"id":{"S":"r2"}}' }],
    });
    expect(split('{"results":[{"creationDate":1},{"creationDate":2}],"start":0,"_links":{}}')).toMatchObject({
      kind: "envelope",
      envelopeKey: "results",
      items: [{ text: '{"creationDate":1}' }, { text: '{"creationDate":2}' }],
    });
    expect(split('{"Records":[]}')).toMatchObject({ kind: "envelope", items: [] });
    // One envelope per line (concatenated deliveries).
    expect(texts(split('{"Records":[{"a":1}]}\n{"Records":[{"b":2},{"c":3}]}\n'))).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it("an object whose envelope-named key holds no objects is one record", () => {
    expect(texts(split('{"value":[1,2],"a":3}'))).toEqual(['{"value":[1,2],"a":3}']);
    expect(texts(split('{"value":"x","records":[[1]]}'))).toEqual(['{"value":"x","records":[[1]]}']);
    // Keys that only resemble envelope keys.
    expect(texts(split('{"events":[{"a":1}],"Value":[{"b":2}]}'))).toEqual(['{"events":[{"a":1}],"Value":[{"b":2}]}']);
  });

  it("a single pretty-printed object, and several one after the other", () => {
    expect(split('{\n  "eventVersion": "1.09",\n  "x": {"y": [1,\n 2]}\n}\n')).toMatchObject({
      kind: "object",
      items: [{ text: '{\n  "eventVersion": "1.09",\n  "x": {"y": [1,\n 2]}\n}' }],
    });
    expect(split('{\n "a": 1\n}\n{\n "b": 2\n}')).toMatchObject({
      kind: "concatenated",
      items: [{ text: '{\n "a": 1\n}' }, { text: '{\n "b": 2\n}' }],
    });
  });

  it("text that is not JSON: one error item per line", () => {
    const r = split("hello,world\n1,2\n");
    expect(r.kind).toBe("unknown");
    expect(texts(r)).toEqual(["ERR(not a JSON object or array):hello,world", "ERR(not a JSON object or array):1,2"]);
    expect(split("")).toMatchObject({ kind: "empty", items: [] });
    expect(split("  \n\t\n")).toMatchObject({ kind: "empty", items: [] });
  });

  it("truncated input: the unfinished record is an error item with the bytes read", () => {
    expect(texts(split('[{"a":1},{"b":'))).toEqual(['{"a":1}', 'ERR(truncated: the input ended inside this record):{"b":']);
    expect(texts(split('{"a":1}\n{"b":"abc'))).toEqual(['{"a":1}', 'ERR(truncated: the input ended inside this record):{"b":"abc']);
    const closed = split('[{"a":1},');
    expect(texts(closed)).toEqual(['{"a":1}']);
    expect(closed.problems).toEqual(["the input ended before the closing bracket of the JSON document"]);
  });

  it("skips a UTF-8 byte-order mark and keeps multi-byte characters whole across chunks", () => {
    const text = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('[{"name":"Zoë 🔑 \\u00e9"}]', "utf8")]);
    for (const chunk of [1, 2, 5, 1000]) expect(texts(split(text, { chunk }))).toEqual(['{"name":"Zoë 🔑 \\u00e9"}']);
  });

  it("caps a runaway record at maxRecordBytes, keeping its first bytes", () => {
    const big = `[{"a":"${"x".repeat(100)}"},{"b":1}]`;
    const r = split(big, { maxRecordBytes: 20, chunk: 7 });
    expect(r.items[0]).toMatchObject({ position: 0, error: expect.stringMatching(/^record too large: 108 bytes/) });
    expect(r.items[0].text).toBe(big.slice(1, 21));
    expect(r.items[1]).toEqual({ position: 1, text: '{"b":1}' });
  });
});
