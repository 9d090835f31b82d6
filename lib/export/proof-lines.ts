import { pool } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { completeSubtreeLevels, foldBlocks, HASH_SIZE, rangeBlocks, type LeafRange } from "@/lib/ledger/merkle";
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
const H = HASH_SIZE;

// A block's complete subtrees, level by level, back to back: hashes[k] holds 32 bytes per subtree of 2^k leaves,
// hex[k] the same as 64 lowercase hex characters each. Proof lines are assembled by copying from hex[], so the
// 100,000 lines of a large case cost copies, not string building (which measured 3 s, most of it garbage).
type Block = { base: number; size: number; hashes: Buffer[]; hex: Buffer[] };

function buildBlock(base: number, level0Hex: string): Block {
  const level0 = Buffer.from(level0Hex, "hex");
  const hashes = completeSubtreeLevels(level0);
  return {
    base,
    size: level0.length / H,
    hashes,
    hex: hashes.map((level, k) => Buffer.from(k === 0 ? level0Hex : level.toString("hex"), "latin1")),
  };
}

// MTH(D[s:end]) for a right-edge range inside a block (end = the tree size): folded from the block's complete subtrees.
function blockEdge(b: Block, start: number, end: number): string {
  const parts = rangeBlocks(start, end).map(({ start: s, level }) => {
    const i = (s - b.base) / 2 ** level;
    return b.hashes[level].subarray(i * H, (i + 1) * H);
  });
  return foldBlocks(parts).toString("hex");
}

async function readBlocks(blockIndices: number[], treeSize: number): Promise<Map<number, Block>> {
  // One row per block: its leaf hashes concatenated in leaf order (as hex: text results, since node-postgres
  // decodes binary results as UTF-8 and would mangle hash bytes), with their count and first and last index.
  // leafIndex is unique, so count = size with first = base and last = base + size - 1 means no leaf is missing
  // (and every hash 32 bytes long means the concatenation splits back into the leaves).
  // LATERAL: one index range scan per block, whatever the planner's statistics say (a join here was once planned
  // as a full scan of raw_record per group).
  const r = await pool().query<{ n: number; first: string | null; last: string | null; ok: boolean | null; h: string | null }>(
    `SELECT x.n, x.first::text AS first, x.last::text AS last, x.ok, encode(x.h, 'hex') AS h
       FROM unnest($1::bigint[]) WITH ORDINALITY AS b(blk, o)
       CROSS JOIN LATERAL (
         SELECT count(*)::int4 AS n, min(r."leafIndex") AS first, max(r."leafIndex") AS last, bool_and(octet_length(r."leafHash") = ${H}) AS ok,
                string_agg(r."leafHash", ''::bytea ORDER BY r."leafIndex") AS h
           FROM raw_record r
          WHERE r."leafIndex" >= b.blk * ${BLOCK} AND r."leafIndex" < LEAST((b.blk + 1) * ${BLOCK}, $2::bigint)
       ) x
      ORDER BY b.o`,
    [blockIndices.map(String), treeSize],
  );
  const out = new Map<number, Block>();
  blockIndices.forEach((b, row) => {
    const base = b * BLOCK;
    const size = Math.min(BLOCK, treeSize - base);
    const got = r.rows[row];
    if (
      !got ||
      got.n !== size ||
      Number(got.first) !== base ||
      Number(got.last) !== base + size - 1 ||
      got.ok !== true ||
      got.h?.length !== size * 2 * H
    ) {
      throw new AppError(
        "INTERNAL",
        `ledger leaves ${base}..${base + size - 1} are incomplete: the raw_record table has been altered. Run \`npm run cli -- ledger verify\`.`,
      );
    }
    out.set(b, buildBlock(base, got.h));
  });
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
}): AsyncGenerator<Buffer> {
  // Groups: the cited leaves of up to BLOCKS_PER_GROUP distinct blocks each.
  const groups: { start: number; end: number; blockIds: number[] }[] = [];
  for (let i = 0; i < leafIndices.length;) {
    const g = { start: i, end: i, blockIds: [] as number[] };
    while (g.end < leafIndices.length) {
      const leaf = leafIndices[g.end];
      if (leaf >= treeSize)
        throw new AppError(
          "INTERNAL",
          `raw record ${rawRecordIds[g.end]} (leaf ${leaf}) is not covered by the checkpoint of size ${treeSize}`,
        );
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
      // A whole block's own hash too: the upper path is combined with it in the auditor's hands.
      if ((b + 1) * BLOCK <= treeSize) wanted.set(`${b * BLOCK}:${(b + 1) * BLOCK}`, [b * BLOCK, (b + 1) * BLOCK]);
    }
    const [blocks, hashes] = await Promise.all([readBlocks(blockIds, treeSize), computeRangeHashes({ ranges: [...wanted.values()] })]);
    const mismatch = () =>
      new AppError(
        "INTERNAL",
        "the ledger no longer matches the export's checkpoint: no proof can be given. Run `npm run cli -- ledger verify`.",
      );
    if (gi === 0 && !hashes.get(`0:${treeSize}`)!.equals(rootHash)) throw mismatch();
    // The upper paths come from stored subtree hashes (lib/ledger/range-hashes.ts); each block's hash as its leaves
    // give it now must be the one they were computed with, or a proof would fail only at the auditor's.
    for (const b of blockIds) {
      const whole = hashes.get(`${b * BLOCK}:${(b + 1) * BLOCK}`);
      if (whole && !whole.equals(blocks.get(b)!.hashes[BLOCK_LEVEL])) throw mismatch();
    }
    // The path above the block, the same for every leaf in it: ',"<hex>","<hex>"...' once per block.
    const upperText = new Map<number, Buffer>();
    for (const [b, ranges] of uppers)
      upperText.set(b, Buffer.from(ranges.map(([a, z]) => `,"${hashes.get(`${a}:${z}`)!.toString("hex")}"`).join(""), "latin1"));
    return { blocks, upperText };
  };

  const depth = Math.ceil(Math.log2(Math.max(treeSize, 2)));
  const tail = Buffer.from(`,"treeSize":${treeSize},"leafHash":"`, "latin1");
  let gi = 0;
  for await (const { blocks, upperText } of prefetched(groups.length, fetchGroup)) {
    const { start, end } = groups[gi++];
    // Each line: 2 x 20 digits and the fixed keys (< 160 bytes), the leaf hash and at most `depth` path entries.
    const out = Buffer.allocUnsafe((end - start) * (160 + tail.length + (depth + 1) * (H * 2 + 3)));
    let pos = 0;
    for (let i = start; i < end; i++) {
      const leaf = leafIndices[i];
      const b = Math.floor(leaf / BLOCK);
      const blk = blocks.get(b)!;
      pos += out.write(`{"rawRecordId":"${rawRecordIds[i]}","leafIndex":${leaf}`, pos, "latin1");
      pos += tail.copy(out, pos);
      pos += blk.hex[0].copy(out, pos, (leaf - blk.base) * 2 * H, (leaf - blk.base + 1) * 2 * H);
      pos += out.write('","path":[', pos, "latin1");
      const pathStart = pos;
      // Levels below 10, walked as MerkleTree.inclusionProof does, inside the block.
      let idx = leaf;
      for (let width = 1, level = 0; width < BLOCK && width < treeSize; level++, width *= 2) {
        let sibling = -1;
        let edge: string | null = null;
        if (idx % 2 === 1) sibling = idx - 1 - blk.base / width;
        else {
          const s = (idx + 1) * width;
          if (s < treeSize) {
            if (s + width <= treeSize) sibling = idx + 1 - blk.base / width;
            else edge = blockEdge(blk, s, treeSize);
          }
        }
        if (sibling >= 0 || edge !== null) {
          if (pos > pathStart) out[pos++] = 0x2c; // ,
          out[pos++] = 0x22; // "
          pos += edge !== null ? out.write(edge, pos, "latin1") : blk.hex[level].copy(out, pos, sibling * 2 * H, (sibling + 1) * 2 * H);
          out[pos++] = 0x22;
        }
        idx = Math.floor(idx / 2);
      }
      const up = upperText.get(b)!;
      // The upper part starts with a comma; without a lower part (a tree of one block's root only) it must not.
      if (up.length) pos += pos > pathStart ? up.copy(out, pos) : up.copy(out, pos, 1);
      pos += out.write("]}\n", pos, "latin1");
    }
    yield out.subarray(0, pos);
  }
}
