import { describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { getSource } from "@/lib/sources/registry";
import { toEventRow, type EventRow } from "@/lib/events/schema";
import { createTestSource } from "@/lib/ledger/test-helpers";
import { okta, entra } from "../../scripts/bench/synthetic";
import { EventCopyBuffer, insertEvents } from "./bulk-insert";

// The binary COPY encoding written by hand: every column must read back exactly as toEventRow gave it.

const rowOf = (rec: unknown, platform: string): EventRow =>
  toEventRow(getSource(platform)!.normalize(rec, { fileName: "t.json", position: 0 })[0]);

type Stored = Record<string, unknown> & { rawRecordId: string; time: Date; data: Record<string, unknown> };

async function stored(sourceId: string): Promise<Stored[]> {
  const r = await pool().query<Stored>(
    `SELECT "rawRecordId"::text AS "rawRecordId", "tenantId", platform, time, "classUid", "className", activity, "eventName", "nativeId", status,
       "actorExternalId", "actorName", "actorType", "sessionKey", "credentialKey", "clientAppId", "srcIp", "userAgent",
       "targetType", "targetId", "targetName", privileged, data, "identityId", "sessionId"
     FROM event WHERE "sourceId" = $1 ORDER BY id`,
    [sourceId],
  );
  return r.rows;
}

function expectSame(got: Stored, want: EventRow, rawRecordId: string) {
  const { data, time, ...cols } = want;
  expect(got.rawRecordId).toBe(rawRecordId);
  expect(got.time.getTime()).toBe(time.getTime());
  for (const [k, v] of Object.entries(cols)) if (k !== "rawRecordId") expect([k, got[k]]).toEqual([k, v]);
  expect(got.data).toEqual(JSON.parse(JSON.stringify(data)));
  expect(got).toMatchObject({ tenantId: "default", identityId: null, sessionId: null });
}

describe("EventCopyBuffer", () => {
  it("writes every column as toEventRow gives it, and only the included records' events", async () => {
    const sourceId = await createTestSource();
    const a = rowOf(okta(1), "okta");
    const b = rowOf(entra(2), "entra");
    // Nulls, a privileged flag, multi-byte text and a NUL (which text columns cannot hold) in one event.
    const c: EventRow = {
      ...rowOf(okta(3), "okta"),
      nativeId: null,
      sessionKey: null,
      privileged: true,
      actorName: "Zoë \u{1F600} Ødegård",
      targetName: "bad\u0000name",
      time: new Date(Date.UTC(1999, 11, 31, 23, 59, 59, 123)),
    };
    const buf = new EventCopyBuffer(sourceId);
    const ka = buf.add([a]);
    const kEmpty = buf.add([]);
    const kb = buf.add([b]);
    const kc = buf.add([c]);
    expect([ka, kEmpty, kb, kc]).toEqual([0, 1, 2, 3]);
    buf.setRawRecordId(ka, 11);
    buf.setRawRecordId(kc, "9007199254740993"); // beyond a double's exact range
    // b is left out (as a duplicate whose events already exist would be).
    expect(
      await pool()
        .connect()
        .then(async (client) => {
          try {
            return await buf.copy(client, (k) => k !== kb);
          } finally {
            client.release();
          }
        }),
    ).toBe(2);
    const rows = await stored(sourceId);
    expect(rows).toHaveLength(2);
    expectSame(rows[0], a, "11");
    expectSame(rows[1], { ...c, targetName: "bad\uFFFDname" }, "9007199254740993");
  });

  it("insertEvents stores a list of rows with their own raw record ids", async () => {
    const sourceId = await createTestSource();
    const rows = [okta(20), okta(21), entra(22)].map((r, i) => ({ ...rowOf(r, i < 2 ? "okta" : "entra"), rawRecordId: 100 + i }));
    const client = await pool().connect();
    try {
      await insertEvents(client, sourceId, rows);
      // An empty list is a no-op, not an empty COPY.
      await insertEvents(client, sourceId, []);
    } finally {
      client.release();
    }
    const got = await stored(sourceId);
    expect(got).toHaveLength(3);
    got.forEach((g, i) => expectSame(g, rows[i], String(100 + i)));
  });

  it("a record whose events cannot be encoded leaves the buffer as it was", async () => {
    const sourceId = await createTestSource();
    const good = rowOf(okta(30), "okta");
    const buf = new EventCopyBuffer(sourceId);
    buf.setRawRecordId(buf.add([good]), 7);
    // The second event is broken half-way through its tuple: the first, already encoded, must go too.
    expect(() => buf.add([rowOf(okta(31), "okta"), { ...good, time: new Date(Number.NaN) }])).toThrow();
    expect(buf.records).toBe(1);
    const next = rowOf(okta(32), "okta");
    buf.setRawRecordId(buf.add([next]), 8);
    const client = await pool().connect();
    try {
      expect(await buf.copy(client, () => true)).toBe(2);
    } finally {
      client.release();
    }
    const got = await stored(sourceId);
    expect(got).toHaveLength(2);
    expectSame(got[0], good, "7");
    expectSame(got[1], next, "8");
  });
});
