import { pool } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { nodeHash, rangeBlocks, foldBlocks, type LeafRange } from "@/lib/ledger/merkle";
import { computeRangeHashes } from "@/lib/ledger/range-hashes";
import { prefetched } from "./prefetched";

// RFC 9162 inclusion proofs (PATH(m, D[0:n]), 2.1.3.1) for many leaves against one tree size, as NDJSON lines.
// The path of a leaf splits at level 10: below, every sibling lies inside the leaf's own aligned block of 1,024
// leaves, so each block's leaf hashes are read once and its subtree hashes built in memory (about one hash per
// leaf); above, the siblings depend only on the block, and come from lib/ledger/range-hashes.ts, whose cache holds
// every complete subtree of 1,024 leaves or more. The first group also recomputes the root and compares it with
// the signed checkpoint, so a ledger that no longer matches never yields proofs that fail in the auditor's hands.
// The walk mirrors MerkleTree.inclusionProof in lib/ledger/merkle.ts; tests check the output against
// lib/ledger/get-inclusion-proofs.ts and the verifier.

const BLOCK_LEVEL = 10;
const BLOCK = 2 ** BLOCK_LEVEL;
const BLOCKS_PER_GROUP = 8;

type Block = {
  base: number;
  size: number;
  /** hex[k][i]: JSON-quoted hex of the complete subtree of 2^k leaves at local index i. */
  hex: string[][];
  hashes: Buffer[][];
  upper: string;
};

function buildBlock(base: number, leaves: Buffer[]): Omit<Block, "upper"> {
  const hashes: Buffer[][] = [leaves];
  for (let k = 0; hashes[k].length >= 2; k++) {
    const prev = hashes[k];
    const next: Buffer[] = new Array(Math.floor(prev.length / 2));
    for (let i = 0; i < next.length; i++) next[i] = nodeHash(prev[2 * i], prev[2 * i + 1]);
    hashes.push(next);
  }
  return { base, size: leaves.length, hashes, hex: hashes.map((level) => level.map((h) => `"${h.toString("hex")}"`)) };
}

// MTH(D[s:end]) for a right-edge range inside a block (end = the tree size): folded from the block's complete subtrees.
function blockEdge(b: Omit<Block, "upper">, start: number, end: number): string {
  const parts = rangeBlocks(start, end).map(({ start: s, level }) => b.hashes[level][(s - b.base) / 2 ** level]);
  return `"${foldBlocks(parts).toString("hex")}"`;
}

async function readBlocks(blockIndices: number[], treeSize: number): Promise<Map<number, Omit<Block, "upper">>> {
  // LATERAL: one index range scan per block, whatever the planner's statistics say (a join here was once planned
  // as a full scan of raw_record per group).
  const r = await pool().query<{ i: string; h: Buffer }>(
    `SELECT x.i, x.h
       FROM unnest($1::bigint[]) WITH ORDINALITY AS b(n, o)
       CROSS JOIN LATERAL (
         SELECT r."leafIndex" AS li, r."leafIndex"::text AS i, r."leafHash" AS h FROM raw_record r
          WHERE r."leafIndex" >= b.n * ${BLOCK} AND r."leafIndex" < LEAST((b.n + 1) * ${BLOCK}, $2::bigint)
       ) x
      ORDER BY b.o, x.li`,
    [blockIndices, treeSize],
  );
  const out = new Map<number, Omit<Block, "upper">>();
  let row = 0;
  for (const b of blockIndices) {
    const base = b * BLOCK;
    const size = Math.min(BLOCK, treeSize - base);
    const leaves: Buffer[] = new Array(size);
    for (let j = 0; j < size; j++, row++) {
      const got = r.rows[row];
      if (!got || Number(got.i) !== base + j) {
        throw new AppError("INTERNAL", `ledger leaf ${base + j} is missing: the raw_record table has been altered. Run \`npm run cli -- ledger verify\`.`);
      }
      leaves[j] = got.h;
    }
    out.set(b, buildBlock(base, leaves));
  }
  return out;
}

// The siblings from level 10 up, for the node of block b: complete subtrees, or right-edge ranges [s, n).
function upperRanges(block: number, treeSize: number): LeafRange[] {
  const out: LeafRange[] = [];
  let idx = block;
  for (let width = BLOCK; width < treeSize; width *= 2) {
    if (idx % 2 === 1) out.push([(idx - 1) * width, idx * width]);
    else {
      const s = (idx + 1) * width;
      if (s < treeSize) out.push([s, Math.min(s + width, treeSize)]);
    }
    idx = Math.floor(idx / 2);
  }
  return out;
}

export async function* proofLines({
  rawRecordIds,
  leafIndices,
  treeSize,
  rootHash,
  blocksPerGroup = BLOCKS_PER_GROUP,
}: {
  rawRecordIds: Float64Array;
  leafIndices: Float64Array;
  treeSize: number;
  rootHash: Buffer;
  /** How many blocks' leaves are read and turned into text at a time (tests use 1 to cross groups). */
  blocksPerGroup?: number;
}): AsyncGenerator<string> {
  // Groups: the cited leaves of up to BLOCKS_PER_GROUP distinct blocks each.
  const groups: { start: number; end: number; blockIds: number[] }[] = [];
  for (let i = 0; i < leafIndices.length; ) {
    const g = { start: i, end: i, blockIds: [] as number[] };
    while (g.end < leafIndices.length) {
      const leaf = leafIndices[g.end];
      if (leaf >= treeSize) throw new AppError("INTERNAL", `raw record ${rawRecordIds[g.end]} (leaf ${leaf}) is not covered by the checkpoint of size ${treeSize}`);
      const b = Math.floor(leaf / BLOCK);
      // Leaves come in leaf order from the exporter; includes() keeps a block from being listed twice otherwise.
      if (!g.blockIds.includes(b)) {
        if (g.blockIds.length === blocksPerGroup) break;
        g.blockIds.push(b);
      }
      g.end++;
    }
    groups.push(g);
    i = g.end;
  }

  // The database work of group g + 1 runs while group g is turned into text.
  const fetchGroup = async (gi: number) => {
    const blockIds = [...groups[gi].blockIds].sort((a, b) => a - b);
    const wanted = new Map<string, LeafRange>();
    if (gi === 0) wanted.set(`0:${treeSize}`, [0, treeSize]);
    const uppers = new Map<number, LeafRange[]>();
    for (const b of blockIds) {
      const ranges = upperRanges(b, treeSize);
      uppers.set(b, ranges);
      for (const r of ranges) wanted.set(`${r[0]}:${r[1]}`, r);
    }
    const [blocks, hashes] = await Promise.all([readBlocks(blockIds, treeSize), computeRangeHashes({ ranges: [...wanted.values()] })]);
    if (gi === 0 && !hashes.get(`0:${treeSize}`)!.equals(rootHash)) {
      throw new AppError("INTERNAL", "the ledger no longer matches the export's checkpoint: no proof can be given. Run `npm run cli -- ledger verify`.");
    }
    const upperHex = new Map<number, string>();
    for (const [b, ranges] of uppers) upperHex.set(b, ranges.map(([a, z]) => `"${hashes.get(`${a}:${z}`)!.toString("hex")}"`).join(","));
    return { blocks, upperHex };
  };

  let gi = 0;
  for await (const { blocks, upperHex } of prefetched(groups.length, fetchGroup)) {
    const { start, end } = groups[gi++];
    let chunk = "";
    for (let i = start; i < end; i++) {
      const leaf = leafIndices[i];
      const b = Math.floor(leaf / BLOCK);
      const blk = blocks.get(b)!;
      const parts: string[] = [];
      // Levels below 10, walked as MerkleTree.inclusionProof does, inside the block.
      let idx = leaf;
      for (let width = 1, level = 0; width < BLOCK && width < treeSize; level++, width *= 2) {
        if (idx % 2 === 1) parts.push(blk.hex[level][idx - 1 - blk.base / width]);
        else {
          const s = (idx + 1) * width;
          if (s < treeSize) parts.push(s + width <= treeSize ? blk.hex[level][idx + 1 - blk.base / width] : blockEdge(blk, s, treeSize));
        }
        idx = Math.floor(idx / 2);
      }
      const up = upperHex.get(b)!;
      if (up) parts.push(up);
      chunk += `{"rawRecordId":"${rawRecordIds[i]}","leafIndex":${leaf},"treeSize":${treeSize},"leafHash":${blk.hex[0][leaf - blk.base]},"path":[${parts.join(",")}]}\n`;
    }
    yield chunk;
  }
}
