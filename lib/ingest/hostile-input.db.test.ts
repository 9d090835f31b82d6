import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { system } from "@/lib/context/request-context";
import { testContext } from "@/lib/context/testing";
import { runCorrelation } from "@/lib/correlation/run-correlation";
import pg from "pg";
import { db } from "@/lib/db";
import { getSession } from "@/lib/sessions/get-session";
import { getEventRawRecord } from "@/lib/sessions/get-event-raw-record";
import { RAW_PREVIEW_BYTES } from "@/lib/sessions/types";
import { expectAppError, expectBatchCounts, expectCounts } from "@/test/factories";
import { github } from "../../scripts/bench/synthetic";
import { ingestBody } from "./ingest-body";
import { ingestStream, type IngestProgress } from "./ingest-stream";
import { holdBatchLock, markInterruptedBatches } from "./interrupted-batches";
import { reprocessQuarantine } from "./quarantine";
import { ensureSource } from "./sources";

// Input built to hurt: a gzip file whose checksum fails, files of nothing but unreadable records, bodies beyond
// the size limit, a quarantine too large to re-process at once, a huge raw record, a process that dies mid-ingest.

const ndjson = (recs: unknown[]) => Buffer.from(recs.map((r) => JSON.stringify(r)).join("\n") + "\n");
const run = (body: Buffer | Readable, fileName: string, extra: Partial<Parameters<typeof ingestStream>[0]> = {}) =>
  ingestStream({
    input: Buffer.isBuffer(body) ? Readable.from([body]) : body,
    fileName,
    via: "upload",
    platform: "github",
    chunkRecords: 10,
    ctx: system(),
    ...extra,
  });

describe("a gzip file that fails its checksum", () => {
  it("stores the records of its verified members and quarantines those of the damaged one, none of them in the ledger", async () => {
    // Larger than the 256 KB read for format detection, so that chunks are stored before the damaged member ends.
    const recs = Array.from({ length: 630 }, (_, i) => github(i));
    // Stored deflate blocks: a changed byte still inflates to valid JSON, only the member's CRC-32 tells.
    const good = gzipSync(ndjson(recs.slice(0, 30)), { level: 0 });
    const bad = Buffer.from(gzipSync(ndjson(recs.slice(30)), { level: 0 }));
    const at = bad.indexOf('"actor":"dev50"');
    bad[at + 10] = "X".charCodeAt(0); // dev50 -> dXv50, in record 50
    const r = await run(Buffer.concat([good, bad]), "github-audit.jsonl.gz");

    expect(r).toMatchObject({ status: "failed", read: 630, stored: 30, quarantined: 600 });
    expect(r.error).toMatch(/^The gzip file is damaged \(gzip member 2 of 2: incorrect data check/);
    expectCounts(r);
    const raws = await db().rawRecord.findMany({ where: { batchId: r.batchId }, select: { position: true, payload: true } });
    expect(raws.map((x) => Number(x.position)).sort((a, b) => a - b)).toEqual([...Array(30).keys()]);
    expect(raws.some((x) => Buffer.from(x.payload!).includes("dXv50"))).toBe(false);
    const q = await db().quarantinedRecord.findMany({ where: { batchId: r.batchId }, orderBy: { position: "asc" } });
    expect(q.map((x) => Number(x.position))).toEqual(Array.from({ length: 600 }, (_, i) => 30 + i));
    expect(q.every((x) => /damaged gzip file/.test(x.reason))).toBe(true);
    expect(Buffer.from(q[20].raw).toString()).toContain('"actor":"dXv50"');
    // Re-processing after a parser fix does not let them in either: the bytes are what is untrusted.
    const again = await reprocessQuarantine({ filter: { batchId: r.batchId }, ctx: testContext({ email: "t@example.test" }) });
    expect(again).toEqual({ attempted: 0, resolved: 0, stillQuarantined: 0, untrusted: 600 });
    expect(await db().rawRecord.count({ where: { batchId: r.batchId } })).toBe(30);
  });
});

describe("bounded work per upload", () => {
  it("counts quarantined bytes towards a chunk: a file of large unreadable lines is stored in several chunks", async () => {
    const line = Buffer.from(`${"not a record ".repeat(4000)}\n`); // ~50 KB, quarantined
    const progress: IngestProgress[] = [];
    const r = await run(Buffer.concat(Array.from({ length: 20 }, () => line)), "garbage.jsonl", {
      chunkRecords: 5000,
      chunkBytes: 400_000,
      onProgress: (p) => progress.push(p),
    });
    expect(r).toMatchObject({ read: 20, quarantined: 20 });
    // 400 KB chunks: the 1 MB of unreadable lines cannot wait for the 5,000-record count.
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...progress.map((p, i) => p.quarantined - (progress[i - 1]?.quarantined ?? 0)))).toBeLessThanOrEqual(9);
  });

  it("stops a batch at its quarantine budget with a message, instead of storing every line of a tiny gzip bomb", async () => {
    const bomb = gzipSync(Buffer.from("x\n".repeat(20_000)), { level: 9 });
    expect(bomb.length).toBeLessThan(1000);
    const r = await run(bomb, "bomb.jsonl.gz", { maxQuarantined: 1000, chunkRecords: 5000 });
    expect(r).toMatchObject({ status: "failed", limit: "quarantine", read: 1000, stored: 0, quarantined: 1000 });
    expect(r.error).toMatch(/^Stopped after 1,000 records could not be read .*SESSIONPROOF_INGEST_MAX_QUARANTINED/);
    expect(await db().quarantinedRecord.count({ where: { batchId: r.batchId } })).toBe(1000);
    expectBatchCounts(await db().ingestBatch.findUniqueOrThrow({ where: { id: r.batchId } }));
  });

  it("refuses a body over the size limit: by its declared length before reading, or when the stream passes the limit", async () => {
    const body = ndjson(Array.from({ length: 1000 }, (_, i) => github(1000 + i))); // ~600 KB
    const batchesBefore = await db().ingestBatch.count();
    await expectAppError(
      ingestBody({
        input: Readable.from([body]),
        fileName: "big.jsonl",
        via: "upload",
        byteSize: body.length,
        maxBytes: 1000,
        ctx: system(),
      }),
      "TOO_LARGE",
      /^The file is [\d,]+ bytes, more than the 1,000 bytes an upload or push may carry \(SESSIONPROOF_INGEST_MAX_BYTES\)/,
    );
    expect(await db().ingestBatch.count()).toBe(batchesBefore);

    // No declared length (chunked transfer): the batch stops at the limit; what came before it stays stored.
    const pieces = Array.from({ length: Math.ceil(body.length / 10_000) }, (_, i) => body.subarray(i * 10_000, (i + 1) * 10_000));
    await expectAppError(
      ingestBody({
        input: Readable.from(pieces),
        fileName: "big.jsonl",
        via: "upload",
        maxBytes: 400_000,
        chunkRecords: 50,
        ctx: system(),
      }),
      "TOO_LARGE",
      /larger than the 400,000 bytes .* Records before the limit were kept/,
    );
    const batch = await db().ingestBatch.findFirstOrThrow({ where: { fileName: "big.jsonl" }, orderBy: { startedAt: "desc" } });
    expect(batch.status).toBe("failed");
    expect(batch.storedCount).toBeGreaterThan(0);
    expect(Number(batch.bytesRead)).toBeLessThanOrEqual(410_000);
    expectBatchCounts(batch);
  });

  it("re-processes the quarantine in pages of bounded size, and a reason quoting NUL is stored cleaned", async () => {
    const big = Buffer.from(`{"broken": "${"y".repeat(100_000)}"\n`); // 100 KB each, not valid JSON
    const r = await run(Buffer.concat([...Array.from({ length: 8 }, () => big), Buffer.from("x\u0000y\n")]), "q.jsonl");
    expect(r.quarantined).toBe(9);
    // The largest result any query returns while re-processing: one page, not the whole quarantine.
    let largest = 0;
    const proto = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
    const original = proto.query;
    const measure = (res: unknown) => {
      let bytes = 0;
      for (const row of (res as { rows?: unknown[] } | undefined)?.rows ?? []) {
        for (const v of Object.values(row as object)) if (Buffer.isBuffer(v)) bytes += v.length;
      }
      largest = Math.max(largest, bytes);
      return res;
    };
    proto.query = function (this: unknown, ...args: unknown[]) {
      const out = original.apply(this, args);
      return out instanceof Promise ? out.then(measure) : out;
    };
    try {
      const res = await reprocessQuarantine({
        filter: { batchId: r.batchId },
        ctx: testContext({ email: "t@example.test" }),
        pageBytes: 250_000,
      });
      expect(res).toEqual({ attempted: 9, resolved: 0, stillQuarantined: 9, untrusted: 0 });
    } finally {
      proto.query = original;
    }
    expect(largest).toBeGreaterThan(0);
    expect(largest).toBeLessThanOrEqual(250_000 + big.length);
    const nul = await db().quarantinedRecord.findFirstOrThrow({ where: { batchId: r.batchId, position: 8 } });
    expect(nul.reprocessedAt).not.toBeNull();
    expect(nul.reason).toContain("x\uFFFDy");
  });

  it("the session page carries the start of a huge raw record; the whole record downloads from its event", async () => {
    const rec = { ...github(5000), user_agent: `git/2.45.2 ${"z".repeat(300_000)}` };
    const r = await run(ndjson([rec]), "huge.jsonl");
    expect(r.stored).toBe(1);
    await runCorrelation({ ctx: system() });
    const raw = await db().rawRecord.findFirstOrThrow({ where: { batchId: r.batchId } });
    const ev = await db().event.findFirstOrThrow({ where: { rawRecordId: raw.id } });
    const s = await getSession({ id: ev.sessionId!, eventsLimit: 10 });
    const shown = s!.events.find((e) => e.id === String(ev.id))!;
    const whole = Buffer.byteLength(JSON.stringify(rec));
    expect(shown.raw).toMatchObject({ truncated: true, payloadBytes: whole });
    expect(Buffer.byteLength(shown.raw.payload!)).toBeLessThanOrEqual(RAW_PREVIEW_BYTES);
    const full = await getEventRawRecord({ eventId: String(ev.id) });
    expect(full!.payload!.toString()).toBe(JSON.stringify(rec));
  });
});

describe("batches left running by a process that stopped", () => {
  it("are marked interrupted with their counts and what to do; a batch still being ingested is left alone", async () => {
    const source = await ensureSource({ platform: "github" });
    const orphan = await db().ingestBatch.create({
      data: {
        sourceId: source.id,
        fileName: "crashed.jsonl",
        platform: "github",
        via: "upload",
        status: "running",
        readCount: 15000,
        storedCount: 14990,
        quarantinedCount: 10,
      },
    });
    const live = await db().ingestBatch.create({
      data: { sourceId: source.id, fileName: "live.jsonl", platform: "github", via: "cli", status: "running" },
    });
    const lock = await holdBatchLock(live.id);
    try {
      const marked = await markInterruptedBatches();
      expect(marked.map((b) => b.id)).toEqual([orphan.id]);
    } finally {
      await lock.release();
    }
    const o = await db().ingestBatch.findUniqueOrThrow({ where: { id: orphan.id } });
    expect(o).toMatchObject({ status: "interrupted", readCount: 15000, storedCount: 14990, quarantinedCount: 10 });
    expect(o.finishedAt).not.toBeNull();
    expect(o.error).toMatch(
      /^Interrupted: .*15,000 records had been read and committed \(14,990 stored, 0 duplicate, 10 quarantined\).*ingest the same file again/,
    );
    expect((await db().ingestBatch.findUniqueOrThrow({ where: { id: live.id } })).status).toBe("running");
    const audit = await db().auditLog.findFirstOrThrow({ where: { resourceId: orphan.id } });
    expect(audit.details).toMatchObject({ type: "ingest.batch", interrupted: true, read: 15000 });
  });

  it("an ingest in progress holds its batch: the start-up sweep does not mark it", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    // More than the 256 KB that format detection reads before the batch starts.
    const recs = Array.from({ length: 600 }, (_, i) => github(2000 + i));
    async function* slow() {
      yield ndjson(recs.slice(0, 500));
      await gate;
      yield ndjson(recs.slice(500));
    }
    const ingest = run(Readable.from(slow()), "slow.jsonl", { chunkRecords: 50 });
    let batch = null;
    while (!batch) {
      batch = await db().ingestBatch.findFirst({ where: { fileName: "slow.jsonl", storedCount: { gt: 0 } } });
      if (!batch) await new Promise((r) => setTimeout(r, 20));
    }
    try {
      expect((await markInterruptedBatches()).map((b) => b.id)).not.toContain(batch.id);
    } finally {
      release();
    }
    expect(await ingest).toMatchObject({ status: "completed", stored: 600 });
  });
});
