import { gunzipSync, gzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { verifyGzip } from "./gzip-members";
import { readRecords, type RecordItem } from "./read-records";

const lines = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => JSON.stringify({ n: from + i, user: `user-${from + i}` })).join("\n") + "\n";

/** A gzip member whose deflate data are stored blocks (level 0): a changed byte still inflates, only the CRC-32 tells. */
function storedMember(text: string): Buffer {
  return gzipSync(Buffer.from(text), { level: 0 });
}

/** The member with one byte of its data changed (`user-` becomes `usEr-` at the k-th occurrence). */
function tampered(member: Buffer, k: number): Buffer {
  const copy = Buffer.from(member);
  let at = -1;
  for (let i = 0; i <= k; i++) at = copy.indexOf("user-", at + 1);
  copy[at + 2] = "E".charCodeAt(0);
  return copy;
}

function pieces(buf: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) out.push(buf.subarray(i, i + size));
  return out;
}

async function collect(input: Buffer[], fileName = "x.jsonl.gz") {
  const reader = readRecords(input, { fileName });
  const items: RecordItem[] = [];
  for await (const it of reader) items.push(it);
  return { items, summary: reader.summary };
}

async function inflateAll(input: Buffer[]) {
  const gz = await verifyGzip(
    (async function* () {
      yield* input;
    })(),
  );
  const parts: { text: string; corrupt: string | null }[] = [];
  for await (const s of gz.segments()) parts.push({ text: s.bytes.toString(), corrupt: s.corrupt });
  return { gz, parts, text: parts.map((p) => p.text).join("") };
}

describe("verified gzip", () => {
  it("gives back what gunzip gives for valid files of one or several members, cut anywhere (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ maxLength: 3000 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 700 }),
        async (texts, size) => {
          const file = Buffer.concat(texts.map((t) => gzipSync(Buffer.from(t))));
          const { gz, parts, text } = await inflateAll(pieces(file, size));
          expect(text).toBe(gunzipSync(file).toString());
          expect(gz.problems).toEqual([]);
          expect(gz.verdicts.map((v) => v.problem)).toEqual(texts.map(() => null));
          expect(parts.every((p) => p.corrupt === null)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("marks the data of a member whose CRC-32 fails, and only that member's", async () => {
    const bad = tampered(storedMember(lines(100, 50)), 40);
    const file = Buffer.concat([storedMember(lines(0, 50)), bad, storedMember(lines(200, 50))]);
    const { gz, parts } = await inflateAll(pieces(file, 1000));
    expect(gz.verdicts.map((v) => v.problem)).toEqual([null, expect.stringMatching(/incorrect data check/), null]);
    expect(gz.problems[0]).toMatch(/^gzip member 2 of 3: incorrect data check/);
    const corruptText = parts
      .filter((p) => p.corrupt)
      .map((p) => p.text)
      .join("");
    expect(corruptText).toBe(lines(100, 50).replace(/user-(?=140)/, "usEr-"));
  });

  it("marks a member cut short, and reports bytes after the last member", async () => {
    const file = storedMember(lines(0, 20));
    const cut = await inflateAll([file.subarray(0, file.length - 3)]);
    expect(cut.gz.verdicts[0].problem).toMatch(/ends before the member's CRC-32/);
    expect(cut.parts.every((p) => p.corrupt)).toBe(true);
    const trailing = await inflateAll([file, Buffer.from("garbage")]);
    expect(trailing.gz.verdicts[0].problem).toBeNull();
    expect(trailing.gz.problems).toEqual(["7 bytes after the last gzip member are not gzip data; they were ignored"]);
  });

  it("readRecords: records of a damaged member (and one begun in it) are error items, the others records", async () => {
    const good = storedMember(lines(0, 30));
    // The second member ends inside a record that the third (valid) member completes.
    const text = lines(100, 30);
    const bad = tampered(storedMember(text + '{"n": 130, "user": "user-1'), 10);
    const third = storedMember('30"}\n' + lines(200, 30));
    const { items, summary } = await collect(pieces(Buffer.concat([good, bad, third]), 4096));
    expect(items).toHaveLength(91);
    const errors = items.filter((i) => "error" in i);
    expect(errors.map((i) => i.position)).toEqual(Array.from({ length: 31 }, (_, i) => 30 + i));
    expect(summary.corrupt).toBe(31);
    expect(summary.complete).toBe(false);
    expect((errors[0] as { error: string }).error).toMatch(/damaged gzip file \(gzip member 2 of 3: incorrect data check/);
    expect(items.filter((i) => !("error" in i)).map((i) => JSON.parse(i.bytes.toString()).n)).toEqual([
      ...Array.from({ length: 30 }, (_, i) => i),
      ...Array.from({ length: 30 }, (_, i) => 200 + i),
    ]);
  });
});
