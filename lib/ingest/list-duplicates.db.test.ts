import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { system } from "@/lib/context/request-context";
import { db } from "@/lib/db";
import { expectAppError, expectCounts, ingestRecords } from "@/test/factories";
import { okta } from "../../scripts/bench/synthetic";
import { ingestStream } from "./ingest-stream";
import { listDuplicates } from "./list-duplicates";
import { listDuplicatesQuery, type DuplicateDto } from "./list-duplicates.types";

// Which records a batch counted as duplicates, and the stored record each one names. Each test uses its own
// synthetic Okta events (okta(i): uuid and time grow with i), so that the file's shared database holds no other
// copy of them.

const query = (q: Record<string, unknown> = {}) => listDuplicatesQuery.parse(q);
const line = (r: unknown) => JSON.stringify(r);
/** The same record in other bytes than `line` (so that only the native id can recognise it). */
const reshaped = (r: unknown) => JSON.stringify(r).replace(/^\{/, "{ ");

async function eventOf(i: number) {
  return db().event.findFirstOrThrow({ where: { nativeId: okta(i).uuid }, orderBy: { id: "asc" } });
}

async function rawRecordAt(batchId: string, position: number) {
  return db().rawRecord.findFirstOrThrow({ where: { batchId, position } });
}

describe("listDuplicates", () => {
  it("an overlapping re-export: each duplicate names the first-stored record of its event, in the earlier batch or its own", async () => {
    // Window 1 (a pretty-printed JSON array): events 100, 101, 102.
    const first = await ingestRecords("okta-window-1.json", JSON.stringify([okta(100), okta(101), okta(102)], null, 2));
    expect(first.stored).toBe(3);
    // Window 2 (NDJSON): 102 again, 103 new, 100 again, 103 again in other bytes.
    const file = [line(okta(102)), line(okta(103)), line(okta(100)), reshaped(okta(103))].join("\n") + "\n";
    const second = await ingestRecords("okta-window-2.ndjson", file);
    expect(second).toMatchObject({ read: 4, stored: 1, duplicate: 3 });

    const page = await listDuplicates({ batchId: second.batchId, query: query() });
    expect(page).toMatchObject({ total: 3, offset: 0, sort: "position", dir: "asc" });
    expect(page.batch).toEqual({ id: second.batchId, fileName: "okta-window-2.ndjson", platform: "okta", duplicateCount: 3 });
    expect(page.items.map((d) => d.position)).toEqual([0, 2, 3]);

    // position in window 2 -> [event i, batch of the original, position of the original in its file]
    const expected: Record<number, [number, string, string, number]> = {
      0: [102, first.batchId, "okta-window-1.json", 2],
      2: [100, first.batchId, "okta-window-1.json", 0],
      3: [103, second.batchId, "okta-window-2.ndjson", 1],
    };
    for (const d of page.items) {
      const [i, batchId, fileName, position] = expected[d.position];
      const ev = await eventOf(i);
      const original = await rawRecordAt(batchId, position);
      expect(d, `position ${d.position}`).toMatchObject({ kind: "same_event", nativeId: okta(i).uuid, fileName: "okta-window-2.ndjson" });
      expect(d.original, `position ${d.position}`).toMatchObject({
        type: "raw_record",
        id: String(original.id),
        batchId,
        fileName,
        position,
        payloadPurged: false,
        eventCount: 1,
        event: { id: String(ev.id), time: new Date(okta(i).published).toISOString(), className: ev.className },
      });
      expect(ev.rawRecordId).toBe(original.id);
      // This copy is its own ledger leaf, at its place in window 2, with no events.
      const copy = await rawRecordAt(second.batchId, d.position);
      expect(d.rawRecordId).toBe(String(copy.id));
      expect(await db().event.count({ where: { rawRecordId: copy.id } })).toBe(0);
    }

    // The batch that had nothing twice lists nothing.
    expect(await listDuplicates({ batchId: first.batchId, query: query() })).toMatchObject({ items: [], total: 0 });
  });

  it("pages, and sorts by position or by the original event's time", async () => {
    await ingestRecords("okta-paging-1.json", JSON.stringify([okta(300), okta(301), okta(302), okta(303)], null, 2));
    // Positions 0..3 hold events 302, 300, 303, 301: file order is not time order.
    const second = await ingestRecords("okta-paging-2.ndjson", [302, 300, 303, 301].map((i) => line(okta(i))).join("\n") + "\n");
    expect(second).toMatchObject({ stored: 0, duplicate: 4 });
    const list = async (q: Record<string, unknown>) => {
      const page = await listDuplicates({ batchId: second.batchId, query: query(q) });
      expect(page.total).toBe(4);
      return page.items.map((d: DuplicateDto) => d.position);
    };
    expect(await list({})).toEqual([0, 1, 2, 3]);
    expect(await list({ dir: "desc" })).toEqual([3, 2, 1, 0]);
    expect(await list({ sort: "time" })).toEqual([1, 3, 0, 2]);
    expect(await list({ sort: "time", dir: "desc" })).toEqual([2, 0, 3, 1]);
    expect(await list({ limit: "3" })).toEqual([0, 1, 2]);
    expect(await list({ limit: "3", offset: "3" })).toEqual([3]);
    expect(await list({ sort: "time", limit: "2", offset: "2" })).toEqual([0, 2]);
    expect(await list({ offset: "4" })).toEqual([]);
  });

  it("an exact re-send: the same bytes name their own leaf, a quarantined record names its first quarantined copy", async () => {
    const file = Buffer.from([line(okta(500)), "{broken"].join("\n") + "\n");
    const ingest = async () => {
      const r = await ingestStream({
        input: Readable.from([file]),
        fileName: "okta-resend.ndjson",
        platform: "okta",
        via: "cli",
        ctx: system(),
      });
      expectCounts(r);
      return r;
    };
    const first = await ingest();
    expect(first).toMatchObject({ stored: 1, quarantined: 1 });
    const second = await ingest();
    expect(second).toMatchObject({ stored: 0, quarantined: 0, duplicate: 2 });

    const { items } = await listDuplicates({ batchId: second.batchId, query: query() });
    const stored = await rawRecordAt(first.batchId, 0);
    const ev = await eventOf(500);
    const quarantined = await db().quarantinedRecord.findFirstOrThrow({ where: { batchId: first.batchId } });
    expect(items).toEqual([
      {
        id: expect.any(String),
        position: 0,
        fileName: "okta-resend.ndjson",
        kind: "same_bytes",
        nativeId: okta(500).uuid,
        rawRecordId: String(stored.id),
        original: {
          type: "raw_record",
          id: String(stored.id),
          batchId: first.batchId,
          fileName: "okta-resend.ndjson",
          position: 0,
          at: stored.receivedAt.toISOString(),
          payloadPurged: false,
          eventCount: 1,
          event: { id: String(ev.id), time: ev.time.toISOString(), className: ev.className, name: expect.any(String), sessionId: null },
        },
      },
      {
        id: expect.any(String),
        position: 1,
        fileName: "okta-resend.ndjson",
        kind: "quarantined",
        nativeId: null,
        rawRecordId: null,
        original: {
          type: "quarantined_record",
          id: String(quarantined.id),
          batchId: first.batchId,
          fileName: "okta-resend.ndjson",
          position: 1,
          at: quarantined.createdAt.toISOString(),
          payloadPurged: false,
          eventCount: 0,
          event: null,
        },
      },
    ]);
  });

  it("answers NOT_FOUND for a batch that does not exist", async () => {
    await expectAppError(listDuplicates({ batchId: randomUUID(), query: query() }), "NOT_FOUND", /No such ingest batch/);
  });
});
