import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { system } from "@/lib/context/request-context";
import { db } from "@/lib/db";
import { runCorrelation } from "@/lib/correlation/run-correlation";
import { expectCounts } from "@/test/factories";
import { ingestStream } from "./ingest-stream";
import { listBatchDuplicates } from "./native-dedup";

// Issue 14 §6: the same events in a second serialization make no second event; the second batch counts them as
// duplicates and names the stored records they duplicate.

const fixture = (platform: string, file: string) => fs.readFileSync(path.join("lib/sources", platform, "fixtures", file));

const ingest = async (platform: string, fileName: string, bytes: Buffer | string) => {
  const r = await ingestStream({
    input: Readable.from([Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes)]),
    fileName,
    via: "cli",
    platform,
    ctx: system(),
  });
  expectCounts(r);
  expect(r.error).toBeNull();
  return r;
};

/** The records of an export: a JSON array, or the array under one of the API envelopes' keys. */
function recordsOf(bytes: Buffer, key: string | null): Record<string, unknown>[] {
  const doc = JSON.parse(bytes.toString("utf8")) as unknown;
  return (key ? (doc as Record<string, unknown>)[key] : doc) as Record<string, unknown>[];
}

/** The same records as NDJSON, with bytes that differ from the page's (so the ledger's byte-level dedup cannot see them). */
const ndjsonOf = (records: unknown[]) => records.map((r) => JSON.stringify(r).replace(/^\{/, "{ ")).join("\n") + "\n";

/** Okta records under new uuids (and session ids), so that each test stores its own events in the file's shared database. */
function freshOkta(tag: string): Record<string, unknown>[] {
  return recordsOf(fixture("okta", "okta-system-log-page.json"), null).map((r, i) => {
    const text = JSON.stringify(r).replace(/"externalSessionId":\s*"([^"]*)"/g, `"externalSessionId":"$1-${tag}"`);
    return { ...(JSON.parse(text) as Record<string, unknown>), uuid: `${tag}-${i}` };
  });
}

const eventCount = () => db().event.count();
const rawIdsOf = async (batchId: string) =>
  new Set((await db().rawRecord.findMany({ where: { batchId }, select: { id: true } })).map((r) => String(r.id)));

async function expectSecondIsDuplicate(platform: string, first: { batchId: string; stored: number }, secondName: string, second: string) {
  const events = await eventCount();
  const r = await ingest(platform, secondName, second);
  expect(r.stored, `${platform}: nothing new in ${secondName}`).toBe(0);
  expect(r.duplicate).toBe(first.stored);
  expect(await eventCount(), `${platform}: no second event`).toBe(events);
  const originals = await rawIdsOf(first.batchId);
  const dups = await listBatchDuplicates(r.batchId);
  expect(dups).toHaveLength(first.stored);
  for (const d of dups) {
    expect(d.kind).toBe("same_event");
    expect(originals.has(d.originalId), `${platform}: position ${d.position} names a record of the first batch`).toBe(true);
    // The second shape is kept verbatim in the ledger, as evidence of what was received, with no events.
    expect(d.rawRecordId).not.toBeNull();
    expect(await db().event.count({ where: { rawRecordId: BigInt(d.rawRecordId!) } })).toBe(0);
  }
  return r;
}

describe("semantic dedup: the same event in two serializations is one event", () => {
  const pagesThenNdjson: [platform: string, file: string, envelope: string | null][] = [
    ["okta", "okta-system-log-page.json", null],
    ["github", "rest-audit-log-page.json", null],
    ["entra", "graph-signins-page.json", "value"],
    ["google-workspace", "reports-activities-2025-03-04.json", "items"],
    ["slack", "slack-audit-logs-2025-03-04.json", "entries"],
    ["atlassian", "org-audit-events-2025-03-04.json", "data"],
    ["m365", "audit-general-content-blob-20250304.json", null],
    ["snowflake", "snowflake_sessions_2025-03-04.json", null],
  ];
  it.each(pagesThenNdjson)("%s: an API page, then the same records as NDJSON", async (platform, file, envelope) => {
    const page = fixture(platform, file);
    const first = await ingest(platform, file, page);
    expect(first.stored).toBeGreaterThan(0);
    await expectSecondIsDuplicate(platform, first, "re-export.ndjson", ndjsonOf(recordsOf(page, envelope)));
  });

  it("aws-cloudtrail: an S3 file, then the same events from lookup-events", async () => {
    const s3 = fixture("aws-cloudtrail", "111122223333_CloudTrail_eu-west-1_20250304T1315Z_AbCdEfGh12345678.json");
    const first = await ingest("aws-cloudtrail", "111122223333_CloudTrail_eu-west-1_20250304T1315Z_AbCdEfGh12345678.json", s3);
    const lookup = {
      Events: recordsOf(s3, "Records").map((r) => ({
        EventId: r.eventID,
        EventName: r.eventName,
        ReadOnly: "false",
        EventTime: r.eventTime,
        EventSource: r.eventSource,
        Resources: [],
        CloudTrailEvent: JSON.stringify(r),
      })),
    };
    await expectSecondIsDuplicate("aws-cloudtrail", first, "lookup-events.json", JSON.stringify(lookup, null, 2));
  });

  it("salesforce: LoginHistory as a JSON query page, then as a CSV export", async () => {
    const json = fixture("salesforce", "query-LoginHistory-2025-03-04.json");
    const first = await ingest("salesforce", "query-LoginHistory-2025-03-04.json", json);
    const rows = recordsOf(json, "records").map(({ attributes: _a, ...rest }) => rest);
    const cols = Object.keys(rows[0]);
    const cell = (v: unknown) => (v === null || v === undefined ? "" : `"${String(v).replace(/"/g, '""')}"`);
    const csv = [cols.map(cell).join(","), ...rows.map((r) => cols.map((c) => cell(r[c])).join(","))].join("\n") + "\n";
    await expectSecondIsDuplicate("salesforce", first, "LoginHistory.csv", csv);
  });

  it("an overlapping re-export: only the new records are stored; duplicates inside one batch are one event", async () => {
    const records = freshOkta("window");
    expect(records.length).toBeGreaterThanOrEqual(3);
    const first = await ingest("okta", "window-1.ndjson", ndjsonOf(records.slice(0, 2)));
    expect(first.stored).toBe(2);
    // The second window overlaps the first, and repeats a record in another shape inside the batch itself.
    const second = records.slice(1).map((r) => JSON.stringify(r));
    second.push(JSON.stringify(records[2], null, 0).replace(/^\{/, "{  "));
    const r = await ingest("okta", "window-2.ndjson", second.join("\n") + "\n");
    expect(r).toMatchObject({ read: records.length, stored: records.length - 2, duplicate: 2 });
    expect(await db().event.count({ where: { nativeId: { startsWith: "window-" } } })).toBe(records.length);
    const dups = await listBatchDuplicates(r.batchId);
    expect(dups.map((d) => d.kind)).toEqual(["same_event", "same_event"]);
    const firstIds = await rawIdsOf(first.batchId);
    expect(firstIds.has(dups[0].originalId)).toBe(true);
    const withinBatch = await db().rawRecord.findFirstOrThrow({ where: { batchId: r.batchId, position: 1 } });
    expect(dups[1].originalId).toBe(String(withinBatch.id));
  });

  it("re-sending the exact file counts every record as a duplicate of itself, without new leaves", async () => {
    const page = JSON.stringify(freshOkta("resend"), null, 2);
    const first = await ingest("okta", "page.json", page);
    expect(first.stored).toBeGreaterThan(0);
    const leaves = await db().rawRecord.count();
    const r = await ingest("okta", "page.json", page);
    expect(r).toMatchObject({ stored: 0, duplicate: first.stored });
    expect(await db().rawRecord.count()).toBe(leaves);
    const dups = await listBatchDuplicates(r.batchId);
    expect(dups).toHaveLength(first.stored);
    expect(dups.every((d) => d.kind === "same_bytes" && d.originalId === d.rawRecordId)).toBe(true);
  });

  it("session event counts are unchanged after a re-export", async () => {
    const records = freshOkta("sessions");
    await ingest("okta", "page.json", JSON.stringify(records, null, 2));
    await runCorrelation({ ctx: system() });
    const before = await db().session.findMany({ select: { id: true, eventCount: true }, orderBy: { id: "asc" } });
    expect(before.length).toBeGreaterThan(0);
    const re = await ingest("okta", "re-export.ndjson", ndjsonOf(records));
    expect(re).toMatchObject({ stored: 0, duplicate: records.length });
    await runCorrelation({ ctx: system() });
    const after = await db().session.findMany({ select: { id: true, eventCount: true }, orderBy: { id: "asc" } });
    expect(after.map((s) => s.eventCount).reduce((a, b) => a + b, 0)).toBe(before.map((s) => s.eventCount).reduce((a, b) => a + b, 0));
    expect(after.length).toBe(before.length);
  });
});

describe("quarantine is idempotent", () => {
  it("re-ingesting a file with bad records does not grow the quarantine", async () => {
    const good = freshOkta("bad")[0];
    const file = [JSON.stringify(good), "{broken", JSON.stringify({ hello: "world" }), "{broken"].join("\n") + "\n";
    const first = await ingest("okta", "bad.ndjson", file);
    // The same bytes twice in one file are two records of it, each quarantined.
    expect(first).toMatchObject({ read: 4, stored: 1, quarantined: 3, duplicate: 0 });
    expect(await db().quarantinedRecord.count()).toBe(3);
    const second = await ingest("okta", "bad.ndjson", file);
    expect(second).toMatchObject({ read: 4, stored: 0, quarantined: 0, duplicate: 4 });
    expect(await db().quarantinedRecord.count()).toBe(3);
    const dups = await listBatchDuplicates(second.batchId);
    const q = await db().quarantinedRecord.findMany({ where: { batchId: first.batchId }, orderBy: { position: "asc" } });
    expect(dups.filter((d) => d.kind === "quarantined").map((d) => [d.position, d.originalId])).toEqual([
      [1, String(q[0].id)],
      [2, String(q[1].id)],
      [3, String(q[0].id)], // the first quarantined record with these bytes
    ]);
  });
});
