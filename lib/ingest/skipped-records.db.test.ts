import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { system } from "@/lib/context/request-context";
import { db } from "@/lib/db";
import { ingestStream } from "./ingest-stream";
import { listBatches } from "./list-batches";

// Records a vendor delivers beside its events that hold none are skipped with a note: not stored, not quarantined,
// not a failed batch. read = stored + duplicate + quarantined + skipped.
const CT = path.join(__dirname, "../sources/aws-cloudtrail/fixtures");
const GW = path.join(__dirname, "../sources/google-workspace/fixtures");
const DIGEST = "111122223333_CloudTrail-Digest_eu-west-1_org-trail_eu-west-1_20250304T140000Z.json";

const run = (body: Buffer, fileName: string) => ingestStream({ input: Readable.from([body]), fileName, via: "cli", ctx: system() });

describe("records that hold no event", () => {
  it("a CloudTrail digest file in the trail's prefix is recognised and skipped with a line in the batch", async () => {
    const digest = fs.readFileSync(path.join(CT, DIGEST));
    const key = `AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2025/03/04/${DIGEST}.gz`;
    const r = await run(gzipSync(digest), key);
    expect(r).toMatchObject({
      platform: "aws-cloudtrail",
      status: "completed",
      error: null,
      read: 1,
      stored: 0,
      quarantined: 0,
      skipped: 1,
    });
    expect(r.note).toMatch(
      /^CloudTrail digest file \(log file validation for 2025-03-04T13:00:00Z to 2025-03-04T14:00:00Z, 1 log files hashed\): skipped/,
    );
    // Renamed, it is still told by its fields.
    expect(await run(digest, "upload.json")).toMatchObject({ platform: "aws-cloudtrail", status: "completed", skipped: 1, quarantined: 0 });
    expect(await db().quarantinedRecord.count({ where: { batchId: r.batchId } })).toBe(0);
    expect(await db().rawRecord.count({ where: { batchId: r.batchId } })).toBe(0);
    const listed = (await listBatches()).find((b) => b.id === r.batchId)!;
    expect(listed).toMatchObject({ status: "completed", read: 1, skipped: 1, note: r.note });
    // The trail's log files beside it are read as before.
    const log = fs.readFileSync(path.join(CT, "111122223333_CloudTrail_eu-west-1_20250304T1315Z_AbCdEfGh12345678.json.gz"));
    const logs = await run(log, "AWSLogs/111122223333/CloudTrail/eu-west-1/2025/03/04/x.json.gz");
    expect(logs).toMatchObject({ status: "completed", quarantined: 0, skipped: 0, note: null });
    expect(logs.stored).toBeGreaterThan(0);
  });

  it("a Google Workspace activities.list page without items is an empty page, not a failed file", async () => {
    const r = await run(fs.readFileSync(path.join(GW, "reports-activities-last-page.json")), "activities-page-7.json");
    expect(r).toMatchObject({
      platform: "google-workspace",
      status: "completed",
      error: null,
      read: 1,
      stored: 0,
      quarantined: 0,
      skipped: 1,
    });
    expect(r.note).toBe("Google Workspace activities.list page without items: an empty page (the last page), no activities to read");
    const batch = await db().ingestBatch.findUniqueOrThrow({ where: { id: r.batchId } });
    expect(batch).toMatchObject({ readCount: 1, skippedCount: 1, note: r.note });
  });
});
