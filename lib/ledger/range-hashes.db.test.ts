import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { proofLines } from "@/lib/export/proof-lines";
import { createCheckpoint } from "./create-checkpoint";
import { MerkleTree } from "./merkle";
import { clearRangeHashCache, computeRangeHashes } from "./range-hashes";
import { append, createTestSource } from "./test-helpers";
import { verifyLedger } from "./verify-ledger";
import { ownerUrl } from "@/test/owner-db";

// Subtree hashes of 1,024 leaves and more are kept in ledger_subtree, so that a new process signs a checkpoint or
// builds proofs without re-reading every leaf. What they must never do: change a root, hide a tampered leaf from
// an export, or escape `ledger verify`.

const LEAVES = 2_100; // two complete blocks of 1,024 (and their parent of 2,048), then a partial one
let attacker: pg.Client;
let rawIds: { id: number; leaf: number }[] = [];

async function stored(): Promise<{ level: number; start: number; hash: Buffer }[]> {
  const r = await pool().query<{ level: number; start: string; hash: Buffer }>(
    `SELECT level, start::text AS start, hash FROM ledger_subtree ORDER BY level, start`,
  );
  return r.rows.map((x) => ({ level: x.level, start: Number(x.start), hash: x.hash }));
}

async function leafTree(): Promise<MerkleTree> {
  const r = await pool().query<{ h: Buffer }>(`SELECT r."leafHash" AS h FROM raw_record r ORDER BY r."leafIndex"`);
  return MerkleTree.fromLeafHashes(r.rows.map((x) => x.h));
}

async function collect(it: AsyncIterable<Buffer>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const b of it) parts.push(b);
  return Buffer.concat(parts).toString("utf8");
}

beforeAll(async () => {
  const source = await createTestSource();
  await append(
    source,
    Array.from({ length: LEAVES }, (_, i) => JSON.stringify({ i, actor: `user${i % 7}@example.com` })),
  );
  const r = await pool().query<{ id: string; leaf: string }>(
    `SELECT id::text AS id, "leafIndex"::text AS leaf FROM raw_record ORDER BY "leafIndex"`,
  );
  rawIds = r.rows.map((x) => ({ id: Number(x.id), leaf: Number(x.leaf) }));
  // Someone with the owner's or a superuser's rights: the app's own role cannot switch the triggers off.
  attacker = new pg.Client({ connectionString: ownerUrl() });
  await attacker.connect();
  await attacker.query("SET session_replication_role = replica");
});

afterAll(async () => {
  await attacker?.end();
});

describe("persisted subtree hashes (ledger_subtree)", () => {
  it("are stored as a checkpoint computes them, and a fresh cache gives the same root from them", async () => {
    const cp = await createCheckpoint({});
    const tree = await leafTree();
    expect(cp.rootHash.equals(tree.root(LEAVES))).toBe(true);
    const rows = await stored();
    expect(rows.map((r) => [r.level, r.start])).toEqual([
      [10, 0],
      [10, 1024],
      [11, 0],
    ]);
    for (const r of rows) expect(r.hash.equals(tree.rangeHash(r.start, r.start + 2 ** r.level))).toBe(true);

    // A new process starts with an empty memory cache: it loads the rows, and gets the same root.
    clearRangeHashCache();
    const again = await computeRangeHashes({ ranges: [[0, LEAVES]] });
    expect(again.get(`0:${LEAVES}`)!.equals(cp.rootHash)).toBe(true);
    expect((await verifyLedger({})).ok).toBe(true);
  });

  it("are append-only: UPDATE, DELETE and TRUNCATE are refused", async () => {
    const refused = { code: "42501" };
    await expect(pool().query(`UPDATE ledger_subtree SET hash = '\\x00'::bytea WHERE level = 10 AND start = 0`)).rejects.toMatchObject(
      refused,
    );
    await expect(pool().query(`DELETE FROM ledger_subtree WHERE level = 10`)).rejects.toMatchObject(refused);
    await expect(pool().query(`TRUNCATE ledger_subtree`)).rejects.toMatchObject(refused);
  });

  it("a forged row is named by ledger verify, and an export refuses to build proofs on it", async () => {
    const original = (await stored()).find((r) => r.level === 10 && r.start === 1024)!.hash;
    const forged = Buffer.alloc(32, 7);
    await attacker.query(`UPDATE ledger_subtree SET hash = $1 WHERE level = 10 AND start = 1024`, [forged]);
    try {
      const report = await verifyLedger({});
      expect(report.ok).toBe(false);
      expect(report.errors[0]).toMatchObject({ kind: "subtree-hash-mismatch", leafIndex: 1024 });
      expect(report.errors[0].message).toMatch(/ledger_subtree row \(level 10, start 1024\)/);

      // A process that loads the forged row: the proofs of a leaf in that block would not verify for an auditor,
      // so the export stops instead.
      clearRangeHashCache();
      const cp = await pool().query<{ n: string; h: Buffer }>(
        `SELECT "treeSize"::text AS n, "rootHash" AS h FROM ledger_checkpoint ORDER BY id DESC LIMIT 1`,
      );
      const inBlock = rawIds.filter((r) => r.leaf >= 1024 && r.leaf < 1034);
      await expect(
        collect(
          proofLines({
            rawRecordIds: Float64Array.from(inBlock, (r) => r.id),
            leafIndices: Float64Array.from(inBlock, (r) => r.leaf),
            treeSize: Number(cp.rows[0].n),
            rootHash: cp.rows[0].h,
          }),
        ),
      ).rejects.toThrow(/no longer matches the export's checkpoint/);
    } finally {
      await attacker.query(`UPDATE ledger_subtree SET hash = $1 WHERE level = 10 AND start = 1024`, [original]);
      clearRangeHashCache();
    }
    expect((await verifyLedger({})).ok).toBe(true);
  });

  it("a row for a subtree the records do not have is reported", async () => {
    await attacker.query(`INSERT INTO ledger_subtree (level, start, hash) VALUES (10, 4096, $1)`, [Buffer.alloc(32, 1)]);
    try {
      const report = await verifyLedger({});
      expect(report.errors).toEqual([expect.objectContaining({ kind: "subtree-hash-mismatch", leafIndex: 4096 })]);
      expect(report.errors[0].message).toMatch(/no such subtree of the records exists/);
    } finally {
      await attacker.query(`DELETE FROM ledger_subtree WHERE level = 10 AND start = 4096`);
    }
    expect((await verifyLedger({})).ok).toBe(true);
  });
});
