import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { system } from "@/lib/context/request-context";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { verifyLedger } from "@/lib/ledger/verify-ledger";
import { okta, cloudtrail, github, entra } from "../../scripts/bench/synthetic";
import { ingestStream } from "./ingest-stream";
import { listBatches } from "./list-batches";
import { expectCounts } from "@/test/factories";

const array = (recs: unknown[]) => Buffer.from(JSON.stringify(recs, null, 2));
const ndjson = (recs: unknown[]) => Buffer.from(recs.map((r) => JSON.stringify(r)).join("\n") + "\n");
const run = (body: Buffer | Readable, fileName: string, extra: Partial<Parameters<typeof ingestStream>[0]> = {}) =>
  ingestStream({
    input: Buffer.isBuffer(body) ? Readable.from([body]) : body,
    fileName,
    via: "cli",
    chunkRecords: 7,
    ctx: system(),
    ...extra,
  });

describe("ingestStream", () => {
  it("stores every record verbatim with its file and position, and its normalized event", async () => {
    const recs = Array.from({ length: 25 }, (_, i) => okta(i));
    const file = array(recs);
    const r = await run(file, "okta-export.json");
    expect(r).toMatchObject({ platform: "okta", status: "completed", read: 25, stored: 25, duplicate: 0, quarantined: 0, error: null });
    const raws = await db().rawRecord.findMany({ where: { batchId: r.batchId }, orderBy: { position: "asc" } });
    expect(raws.map((x) => Number(x.position))).toEqual([...Array(25).keys()]);
    expect(raws.every((x) => x.fileName === "okta-export.json")).toBe(true);
    // Verbatim: the exact bytes of each array element as they stood in the file (indentation included).
    const text = file.toString("utf8");
    for (const raw of raws.slice(0, 3)) expect(text).toContain(Buffer.from(raw.payload!).toString("utf8"));
    expect(JSON.parse(Buffer.from(raws[4].payload!).toString("utf8"))).toEqual(recs[4]);
    const events = await db().event.findMany({ where: { rawRecordId: { in: raws.map((x) => x.id) } } });
    expect(events).toHaveLength(25);
    const e0 = events.find((e) => e.rawRecordId === raws[0].id)!;
    expect(e0).toMatchObject({
      platform: "okta",
      nativeId: recs[0].uuid,
      srcIp: recs[0].client.ipAddress,
      actorExternalId: recs[0].actor.id,
    });
    expect(e0.sessionKey).toBe(recs[0].authenticationContext.externalSessionId);
    const batch = await db().ingestBatch.findUniqueOrThrow({ where: { id: r.batchId } });
    expect(batch).toMatchObject({ status: "completed", readCount: 25, storedCount: 25, duplicateCount: 0, quarantinedCount: 0 });
    expect((await verifyLedger({})).ok).toBe(true);
  });

  it("is idempotent: the same file again stores nothing new", async () => {
    const file = ndjson(Array.from({ length: 12 }, (_, i) => github(100 + i)));
    const first = await run(file, "gh.ndjson");
    const again = await run(file, "gh.ndjson");
    expect(first).toMatchObject({ read: 12, stored: 12, duplicate: 0 });
    expect(again).toMatchObject({ read: 12, stored: 0, duplicate: 12, quarantined: 0, status: "completed" });
  });

  it("quarantines unreadable and unnormalizable records with a reason and the position; read = stored + duplicate + quarantined", async () => {
    const good = [github(1), github(2), github(3)].map((r) => JSON.stringify(r));
    const lines = [good[0], "{not json", good[1], JSON.stringify({ unrelated: true }), good[2], good[1]];
    const r = await run(Buffer.from(lines.join("\n") + "\n"), "mixed.ndjson", { platform: "github" });
    expect(r).toMatchObject({ read: 6, stored: 3, duplicate: 1, quarantined: 2, status: "completed" });
    expectCounts(r);
    const q = await db().quarantinedRecord.findMany({ where: { batchId: r.batchId }, orderBy: { position: "asc" } });
    expect(q.map((x) => Number(x.position))).toEqual([1, 3]);
    expect(Buffer.from(q[0].raw).toString()).toBe("{not json");
    expect(q[0].reason.length).toBeGreaterThan(5);
    expect(q[1].reason.length).toBeGreaterThan(5);
  });

  it("reads gzip, envelopes and arrays alike, and detects each platform", async () => {
    const ct = gzipSync(Buffer.from(JSON.stringify({ Records: [cloudtrail(1), cloudtrail(2)] })));
    const r1 = await run(ct, "111122223333_CloudTrail_eu-west-1_20261101T0000Z_x.json.gz");
    expect(r1).toMatchObject({ platform: "aws-cloudtrail", stored: 2, quarantined: 0 });
    const r2 = await run(Buffer.from(JSON.stringify({ value: [entra(1), entra(2), entra(3)] })), "signins.json");
    expect(r2).toMatchObject({ platform: "entra", stored: 3, quarantined: 0 });
  });

  it("refuses a file that breaks before its format is known, storing nothing", async () => {
    async function* early() {
      yield Buffer.from(JSON.stringify(github(1)) + "\n");
      throw new Error("disk read error");
    }
    const err = await run(Readable.from(early()), "short.ndjson").catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err.message).toBe("Could not read short.ndjson: disk read error");
  });

  it("refuses an unknown format in two lines, storing nothing but a failed batch with its size, hash, reason and the closest formats", async () => {
    const leavesBefore = await db().rawRecord.count();
    const body = Buffer.from("hello,world\n1,2\n");
    const err = await run(body, "mystery.csv").catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe("VALIDATION");
    expect(err.message).toMatch(
      /^Could not recognise the format of mystery\.csv: it reads as csv, but not as any supported log \(no supported format resembles it\)\.\n/,
    );
    expect(err.message.split("\n")).toHaveLength(2);
    expect(err.message.length).toBeLessThan(300);
    expect(await db().rawRecord.count()).toBe(leavesBefore);
    const batch = await db().ingestBatch.findFirstOrThrow({ where: { fileName: "mystery.csv" }, orderBy: { startedAt: "desc" } });
    expect(batch).toMatchObject({
      status: "failed",
      sourceId: null,
      platform: "unknown",
      format: "csv",
      readCount: 0,
      storedCount: 0,
      error: err.message,
      fileSha256: createHash("sha256").update(body).digest("hex"),
    });
    expect(Number(batch.bytesRead)).toBe(body.length);
    expect(batch.note).toMatch(/^No supported format scored above zero\.\nSupported: .*Okta System Log \[okta\]/);
    const audit = await db().auditLog.findFirstOrThrow({ where: { resourceType: "ingest_batch", resourceId: batch.id } });
    expect(audit.details).toMatchObject({ type: "ingest.batch", refused: "unrecognised format", fileSha256: batch.fileSha256 });
    // The batch list shows it, with no source.
    expect((await listBatches()).find((b) => b.id === batch.id)).toMatchObject({ status: "failed", sourceName: null, platform: "unknown" });
  });

  it("names the closest formats of a file that almost matches one", async () => {
    // A CloudTrail-style envelope whose records lack what CloudTrail records carry: resembles it, is not it.
    const body = Buffer.from(JSON.stringify({ Records: [{ eventName: "GetObject", eventSource: "not-an-aws-service" }] }));
    const err = await run(body, "records-export.json").catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err.message).toMatch(/it reads as envelope, but not as any supported log \(closest: AWS CloudTrail \[aws-cloudtrail\]\)/);
    const batch = await db().ingestBatch.findFirstOrThrow({ where: { fileName: "records-export.json" } });
    expect(batch.note).toMatch(/^Closest formats \(detection score\): AWS CloudTrail \[aws-cloudtrail\] 0\.\d\d: /);
  });

  it("loses nothing acknowledged when the input breaks mid-way, and a re-run completes the file", async () => {
    // Enough records to get past format detection (the first 256 KB) and through several committed chunks.
    const recs = Array.from({ length: 1200 }, (_, i) => JSON.stringify(github(500 + i)) + "\n");
    async function* breaking() {
      for (let i = 0; i < 900; i++) yield Buffer.from(recs[i]);
      throw new Error("connection reset by peer");
    }
    const broken = await run(Readable.from(breaking()), "gh-big.ndjson", { platform: "github", chunkRecords: 100 });
    expect(broken.status).toBe("failed");
    expect(broken.error).toMatch(/connection reset by peer/);
    // Whatever was acknowledged (committed chunks) balances and is in the ledger.
    expectCounts(broken);
    expect(broken.stored).toBeGreaterThan(0);
    const rerun = await run(Buffer.from(recs.join("")), "gh-big.ndjson", { platform: "github" });
    expect(broken.stored).toBeLessThanOrEqual(900);
    expect(rerun).toMatchObject({ status: "completed", read: 1200, quarantined: 0 });
    expect(rerun.duplicate).toBe(broken.stored);
    expect(rerun.stored).toBe(1200 - broken.stored);
    expect(await db().rawRecord.count({ where: { fileName: "gh-big.ndjson" } })).toBe(1200);
  });
});

describe("events are derived data", () => {
  it("a re-run writes the events of records whose events never landed", async () => {
    const file = ndjson(Array.from({ length: 30 }, (_, i) => github(3000 + i)));
    const first = await run(file, "repair.ndjson");
    expect(first).toMatchObject({ stored: 30 });
    const raws = await db().rawRecord.findMany({ where: { batchId: first.batchId }, select: { id: true } });
    // As if the process died after the ledger chunk committed and before its events were written.
    await db().event.deleteMany({ where: { rawRecordId: { in: raws.slice(0, 12).map((r) => r.id) } } });
    const again = await run(file, "repair.ndjson");
    expect(again).toMatchObject({ stored: 0, duplicate: 30, quarantined: 0, status: "completed" });
    const counts = await db().event.groupBy({
      by: ["rawRecordId"],
      where: { rawRecordId: { in: raws.map((r) => r.id) } },
      _count: { _all: true },
    });
    expect(counts).toHaveLength(30);
    expect(counts.every((c) => c._count._all === 1)).toBe(true);
  });

  it("a file that repeats a record stores it once and writes its events once", async () => {
    const rec = JSON.stringify(github(4000));
    const r = await run(Buffer.from([rec, rec, JSON.stringify(github(4001)), rec].join("\n") + "\n"), "repeats.ndjson", {
      chunkRecords: 2,
    });
    expect(r).toMatchObject({ read: 4, stored: 2, duplicate: 2 });
    const raws = await db().rawRecord.findMany({ where: { batchId: r.batchId }, select: { id: true } });
    expect(await db().event.count({ where: { rawRecordId: { in: raws.map((x) => x.id) } } })).toBe(2);
  });
});
