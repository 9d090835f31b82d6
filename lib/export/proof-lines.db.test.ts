import { beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { createCheckpoint } from "@/lib/ledger/create-checkpoint";
import { getInclusionProofs } from "@/lib/ledger/get-inclusion-proofs";
import { verifyInclusion } from "@/lib/ledger/merkle";
import { append, createTestSource } from "@/lib/ledger/test-helpers";
import { proofLines } from "./proof-lines";

// The export's proof writer (blocks of 1,024 leaves built in memory + cached upper subtrees) against the ledger's
// own proof code (lib/ledger/get-inclusion-proofs.ts) on a tree of 3,000 leaves: leaves in complete blocks, on
// block edges, in the partial last block, and scattered across blocks.

const N = 3_000;
let rows: { id: string; leafIndex: number }[];

beforeAll(async () => {
  const source = await createTestSource();
  for (let i = 0; i < N; i += 500) {
    await append(
      source,
      Array.from({ length: Math.min(500, N - i) }, (_, j) => `{"n":${i + j},"pad":"${"x".repeat((i + j) % 37)}"}`),
    );
  }
  const r = await pool().query<{ id: string; leafIndex: string }>(
    `SELECT r.id::text, r."leafIndex"::text FROM raw_record r ORDER BY r."leafIndex"`,
  );
  rows = r.rows.map((x) => ({ id: x.id, leafIndex: Number(x.leafIndex) }));
  expect(rows).toHaveLength(N);
}, 60_000);

async function linesFor(leaves: number[], blocksPerGroup?: number) {
  const cp = await createCheckpoint({});
  const picked = leaves.map((l) => rows[l]);
  const out: string[] = [];
  for await (const chunk of proofLines({
    rawRecordIds: Float64Array.from(picked, (p) => Number(p.id)),
    leafIndices: Float64Array.from(picked, (p) => p.leafIndex),
    treeSize: cp.treeSize,
    rootHash: cp.rootHash,
    blocksPerGroup,
  })) {
    out.push(...chunk.toString("utf8").trim().split("\n"));
  }
  return {
    cp,
    lines: out.map((l) => JSON.parse(l) as { rawRecordId: string; leafIndex: number; treeSize: number; leafHash: string; path: string[] }),
  };
}

describe("proofLines", () => {
  it("matches the ledger's own inclusion proofs for leaves across complete and partial blocks", async () => {
    const leaves = [0, 1, 2, 511, 512, 1022, 1023, 1024, 1025, 1500, 2047, 2048, 2049, 2900, 2998, 2999];
    const { cp, lines } = await linesFor(leaves);
    expect(cp.treeSize).toBe(N);
    expect(lines.map((l) => l.leafIndex)).toEqual(leaves);
    const expected = await getInclusionProofs({ rawRecordIds: leaves.map((l) => rows[l].id), checkpointId: cp.id });
    lines.forEach((line, i) => {
      const e = expected[i];
      if (e.status !== "proved") throw new Error(`leaf ${leaves[i]} not proved by the ledger`);
      expect(line.rawRecordId).toBe(e.proof.rawRecordId);
      expect(line.treeSize).toBe(N);
      expect(line.leafHash).toBe(e.proof.leafHash);
      expect(line.path).toEqual(e.proof.proof);
      expect(
        verifyInclusion({
          leafIndex: line.leafIndex,
          treeSize: line.treeSize,
          leafHash: Buffer.from(line.leafHash, "hex"),
          proof: line.path.map((h) => Buffer.from(h, "hex")),
          rootHash: cp.rootHash,
        }),
      ).toBe(true);
    });
  });

  it("gives the same proofs for leaves out of order", async () => {
    const leaves = [2999, 5, 1024, 3, 2048];
    const { lines } = await linesFor(leaves, 1);
    const sorted = await linesFor([...leaves].sort((a, b) => a - b));
    const byLeaf = new Map(sorted.lines.map((l) => [l.leafIndex, l]));
    expect(lines.map((l) => l.leafIndex)).toEqual(leaves);
    for (const l of lines) expect(l).toEqual(byLeaf.get(l.leafIndex));
  });

  it("handles every leaf of a contiguous run spanning more than one group of blocks", async () => {
    const leaves = Array.from({ length: N }, (_, i) => i);
    const { cp, lines } = await linesFor(leaves, 1);
    expect(lines).toHaveLength(N);
    for (const line of lines) {
      expect(
        verifyInclusion({
          leafIndex: line.leafIndex,
          treeSize: cp.treeSize,
          leafHash: Buffer.from(line.leafHash, "hex"),
          proof: line.path.map((h) => Buffer.from(h, "hex")),
          rootHash: cp.rootHash,
        }),
        `leaf ${line.leafIndex}`,
      ).toBe(true);
    }
    // a wrong root is refused before any proof is produced
    await expect(
      (async () => {
        for await (const _ of proofLines({
          rawRecordIds: Float64Array.of(Number(rows[0].id)),
          leafIndices: Float64Array.of(0),
          treeSize: cp.treeSize,
          rootHash: Buffer.alloc(32),
        }));
      })(),
    ).rejects.toThrow(/no longer matches/);
  });
});
