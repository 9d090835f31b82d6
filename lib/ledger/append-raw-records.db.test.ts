import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { appendRawRecords, type AppendRow } from "./append-raw-records";
import { leafHash } from "./merkle";
import { append, createTestSource, inTransaction, payloadRows } from "./test-helpers";

async function allLeaves() {
  const r = await pool().query<{ id: string; leafIndex: string }>(
    `SELECT id::text AS id, "leafIndex"::text AS "leafIndex" FROM raw_record r ORDER BY r."leafIndex"`,
  );
  return r.rows.map((x) => ({ id: BigInt(x.id), leafIndex: Number(x.leafIndex) }));
}

function expectDenseAndInIdOrder(leaves: { id: bigint; leafIndex: number }[]) {
  leaves.forEach((l, i) => {
    expect(l.leafIndex).toBe(i);
    if (i > 0) expect(l.id > leaves[i - 1].id).toBe(true);
  });
}

describe("appendRawRecords", () => {
  it("stores each payload verbatim with its hashes and dense leaf indices", async () => {
    const source = await createTestSource();
    const payloads = ['{"a":1}', Buffer.from([0, 255, 1, 2]), "", "x".repeat(5000)];
    const res = await append(source, payloads);
    expect(res.map((r) => r.status)).toEqual(["stored", "stored", "stored", "stored"]);
    expect(res.map((r) => (r.status === "stored" ? r.leafIndex : -1))).toEqual([0, 1, 2, 3]);
    const rows = await pool().query<{
      id: string;
      payload: Buffer;
      contentHash: Buffer;
      leafHash: Buffer;
      position: string;
      fileName: string;
      tenantId: string;
    }>(
      `SELECT id::text AS id, payload, "contentHash", "leafHash", position::text AS position, "fileName", "tenantId" FROM raw_record r ORDER BY r."leafIndex"`,
    );
    rows.rows.forEach((row, i) => {
      const p = typeof payloads[i] === "string" ? Buffer.from(payloads[i] as string) : (payloads[i] as Buffer);
      expect(row.id).toBe(res[i].id);
      expect(row.payload.equals(p)).toBe(true);
      expect(row.contentHash.toString("hex")).toBe(crypto.createHash("sha256").update(p).digest("hex"));
      expect(row.leafHash.equals(leafHash(p))).toBe(true);
      expect(row.position).toBe(String(i));
      expect(row.fileName).toBe("test.json");
      expect(row.tenantId).toBe("default");
    });
  });

  it("reports duplicates against stored rows and within one call, per source", async () => {
    const a = await createTestSource();
    const b = await createTestSource();
    const first = await append(a, ["dup-1", "dup-2"]);
    const res = await inTransaction((client) =>
      appendRawRecords({
        client,
        rows: [
          ...payloadRows(a, ["dup-2", "new-1", "new-1", "dup-1"]),
          { sourceId: b, batchId: null, fileName: "other.json", position: 0, payload: Buffer.from("dup-1") },
        ],
      }),
    );
    expect(res[0]).toEqual({ status: "duplicate", id: first[1].id });
    expect(res[1].status).toBe("stored");
    expect(res[2]).toEqual({ status: "duplicate", id: res[1].id });
    expect(res[3]).toEqual({ status: "duplicate", id: first[0].id });
    // The same bytes from another source are another record.
    expect(res[4].status).toBe("stored");
    expectDenseAndInIdOrder(await allLeaves());
  });

  it("gives indices back when the caller rolls back, so the ledger never has a gap", async () => {
    const source = await createTestSource();
    const before = (await allLeaves()).length;
    const client = await pool().connect();
    try {
      await client.query("BEGIN");
      const res = await appendRawRecords({ client, rows: payloadRows(source, ["rolled-back-1", "rolled-back-2"]) });
      expect(res[0]).toMatchObject({ status: "stored", leafIndex: before });
      await client.query("ROLLBACK");
    } finally {
      client.release();
    }
    const res = await append(source, ["kept"]);
    expect(res[0]).toMatchObject({ status: "stored", leafIndex: before });
    expectDenseAndInIdOrder(await allLeaves());
  });

  it("serializes concurrent appenders into one dense sequence", async () => {
    const sources = await Promise.all([1, 2, 3, 4].map(() => createTestSource()));
    const before = (await allLeaves()).length;
    await Promise.all(
      sources.map(async (s, w) => {
        for (let chunk = 0; chunk < 5; chunk++) {
          await append(
            s,
            Array.from({ length: 40 }, (_, i) => `worker ${w} chunk ${chunk} row ${i}`),
          );
        }
      }),
    );
    const leaves = await allLeaves();
    expect(leaves.length).toBe(before + 4 * 5 * 40);
    expectDenseAndInIdOrder(leaves);
  });

  it("falls back to looking duplicates up when one hides in a later statement of a large call", async () => {
    const source = await createTestSource();
    const known = await append(source, ["already stored"]);
    const before = (await allLeaves()).length;
    // ~12 MB: more than one statement; the duplicate sits near the end, after new rows were inserted.
    const big = Array.from({ length: 6000 }, (_, i) => `${i}:${"z".repeat(2000)}`);
    big.splice(5500, 0, "already stored");
    const res = await append(source, big);
    expect(res[5500]).toEqual({ status: "duplicate", id: known[0].id });
    const stored = res.filter((r) => r.status === "stored");
    expect(stored).toHaveLength(6000);
    expect(stored.map((r) => (r.status === "stored" ? r.leafIndex : -1))).toEqual(Array.from({ length: 6000 }, (_, i) => before + i));
    expectDenseAndInIdOrder(await allLeaves());
  });

  it("returns nothing for no rows, without taking the lock", async () => {
    expect(await inTransaction((client) => appendRawRecords({ client, rows: [] }))).toEqual([]);
  });

  it("appends 20,000 records of ~1 KB in one call, then takes 5,000 of them again as duplicates", async () => {
    const source = await createTestSource();
    const batch = crypto.randomUUID();
    await pool().query(
      `INSERT INTO ingest_batch (id, "sourceId", "fileName", platform, via) VALUES ($1, $2, 'bench.ndjson', 'test', 'cli')`,
      [batch, source],
    );
    const pad = "p".repeat(960);
    const rows: AppendRow[] = Array.from({ length: 20_000 }, (_, i) => ({
      sourceId: source,
      batchId: batch,
      fileName: "bench.ndjson",
      position: i,
      payload: Buffer.from(JSON.stringify({ i, actor: `user${i % 977}@example.com`, pad })),
    }));
    const before = (await allLeaves()).length;
    const res = await inTransaction((client) => appendRawRecords({ client, rows }));
    expect(res.filter((r) => r.status === "stored")).toHaveLength(20_000);
    expect(res[19_999]).toMatchObject({ status: "stored", leafIndex: before + 19_999 });

    const again = await inTransaction((client) => appendRawRecords({ client, rows: rows.slice(0, 5_000) }));
    expect(again.every((r, i) => r.status === "duplicate" && r.id === res[i].id)).toBe(true);
  });
});
