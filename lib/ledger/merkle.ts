import crypto from "node:crypto";

// The Merkle tree of RFC 9162 section 2.1 (the same hashing as RFC 6962): leaf = SHA-256(0x00 || data),
// node = SHA-256(0x01 || left || right), MTH({}) = SHA-256(""), and a list of n > 1 entries splits at k, the
// largest power of two smaller than n. Pure: node:crypto only, no database, so that the proof checks can be
// copied verbatim into the offline verifier that ships with evidence exports.
//
// Tree sizes and indices are JavaScript numbers (safe up to 2^53); shifts are done with division, never with
// the 32-bit bitwise operators.

export const HASH_SIZE = 32;

/** A half-open range [start, end) of leaf indices; the proofs below are lists of MTH(D[start:end]). */
export type LeafRange = readonly [start: number, end: number];

// crypto.hash (Node >= 20.12) is a one-shot digest about 40% faster than createHash for the 65-byte node
// inputs that dominate tree building; fall back for older runtimes (the offline verifier may meet one).
const oneShot = (crypto as { hash?: (alg: string, data: Uint8Array, enc: "buffer") => Buffer }).hash;
export function sha256(data: Uint8Array): Buffer {
  return oneShot ? oneShot("sha256", data, "buffer") : crypto.createHash("sha256").update(data).digest();
}

/** MTH({}) = SHA-256 of the empty string (e3b0c442...). */
export const EMPTY_TREE_HASH: Buffer = sha256(Buffer.alloc(0));

/** RFC 9162 leaf hash: SHA-256(0x00 || data). */
export function leafHash(data: Uint8Array): Buffer {
  // Two updates on one createHash are slower than one copy for the ~1 KB records of the ingest path.
  const input = Buffer.allocUnsafe(data.length + 1);
  input[0] = 0x00;
  input.set(data, 1);
  return sha256(input);
}

// One reusable 65-byte input for node hashes: hashing is synchronous and the digest is a fresh buffer.
const nodeInput = Buffer.alloc(1 + 2 * HASH_SIZE);
nodeInput[0] = 0x01;

/** RFC 9162 interior node hash: SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) throw new RangeError("node children must be 32-byte hashes");
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_SIZE);
  return sha256(nodeInput);
}

/** The largest power of two strictly smaller than n (n >= 2): the RFC's split point k. */
function splitPoint(n: number): number {
  if (!(n >= 2)) throw new RangeError(`no split point for a list of ${n} entries`);
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function assertSize(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
}

/**
 * The ranges whose MTH make up PATH(index, D[0:size]) (RFC 9162 2.1.3.1), in proof order (from the leaf's
 * sibling up to the root's other child).
 */
export function inclusionProofRanges(index: number, size: number): LeafRange[] {
  assertSize("index", index);
  assertSize("size", size);
  if (index >= size) throw new RangeError(`leaf ${index} is not in a tree of size ${size}`);
  // Walk down from the root; the sibling found at each level is appended, so reverse at the end.
  const out: LeafRange[] = [];
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (index < lo + k) {
      out.push([lo + k, hi]);
      hi = lo + k;
    } else {
      out.push([lo, lo + k]);
      lo += k;
    }
  }
  return out.reverse();
}

/**
 * The ranges whose MTH make up PROOF(m, D[0:n]) = SUBPROOF(m, D[0:n], true) (RFC 9162 2.1.4.1), in proof
 * order. The RFC defines it for 0 < m < n; here m = n and m = 0 give the empty proof (nothing to prove).
 */
export function consistencyProofRanges(m: number, n: number): LeafRange[] {
  assertSize("m", m);
  assertSize("n", n);
  if (m > n) throw new RangeError(`no consistency proof from size ${m} to the smaller size ${n}`);
  if (m === 0) return [];
  const out: LeafRange[] = [];
  let lo = 0;
  let hi = n;
  let rel = m;
  let b = true;
  for (;;) {
    if (rel === hi - lo) {
      if (!b) out.push([lo, hi]);
      break;
    }
    const k = splitPoint(hi - lo);
    if (rel <= k) {
      out.push([lo + k, hi]);
      hi = lo + k;
    } else {
      out.push([lo, lo + k]);
      lo += k;
      rel -= k;
      b = false;
    }
  }
  return out.reverse();
}

/**
 * The perfect subtrees that make up MTH(D[start:end]) when start is aligned to the range (every range in a
 * RFC 9162 proof or root is): sizes are the binary digits of end - start, largest first.
 */
export function rangeBlocks(start: number, end: number): { start: number; level: number }[] {
  assertSize("start", start);
  assertSize("end", end);
  if (end <= start) throw new RangeError(`empty leaf range [${start}, ${end})`);
  const blocks: { start: number; level: number }[] = [];
  let remaining = end - start;
  let pos = start;
  let level = 0;
  while (2 ** (level + 1) <= remaining) level++;
  for (; level >= 0 && remaining > 0; level--) {
    const size = 2 ** level;
    if (remaining >= size) {
      if (pos % size !== 0) throw new RangeError(`leaf range [${start}, ${end}) is not aligned to a subtree of the log`);
      blocks.push({ start: pos, level });
      pos += size;
      remaining -= size;
    }
  }
  return blocks;
}

/** MTH of consecutive perfect subtrees (largest first): the right fold node(b1, node(b2, ... node(bk-1, bk))). */
export function foldBlocks(hashes: readonly Uint8Array[]): Buffer {
  if (hashes.length === 0) throw new RangeError("no subtrees to fold");
  let h: Buffer = Buffer.from(hashes[hashes.length - 1]);
  for (let i = hashes.length - 2; i >= 0; i--) h = nodeHash(hashes[i], h);
  return h;
}

/**
 * Every complete subtree above the given leaf hashes (32 bytes each, back to back), level by level: levels[k] holds
 * the hashes of the subtrees of 2^k leaves, back to back; levels[0] is the input. RFC 9162 node hash
 * SHA-256(0x01 || left || right).
 */
export function completeSubtreeLevels(level0: Buffer): Buffer[] {
  const levels = [level0];
  const input = Buffer.alloc(1 + 2 * HASH_SIZE);
  input[0] = 0x01;
  for (let prev = level0; prev.length >= 2 * HASH_SIZE;) {
    const count = Math.floor(prev.length / (2 * HASH_SIZE));
    const next = Buffer.allocUnsafe(count * HASH_SIZE);
    for (let i = 0; i < count; i++) {
      // left || right are adjacent in the level below: one copy, one hash.
      prev.copy(input, 1, i * 2 * HASH_SIZE, (i + 1) * 2 * HASH_SIZE);
      sha256(input).copy(next, i * HASH_SIZE);
    }
    levels.push(next);
    prev = next;
  }
  return levels;
}

/**
 * The whole tree over an array of leaf hashes, built once: level k keeps the hash of every complete subtree of
 * 2^k leaves, contiguously (32 bytes each). Any prefix root, and any inclusion or consistency proof, is then a
 * few lookups plus at most log2(n) hashes along the right edge, never a recomputation over the leaves.
 * Hashes it returns may be views of its own storage: copy one before changing it.
 */
export class MerkleTree {
  readonly size: number;
  private readonly levels: Buffer[];
  // MTH of ranges that are not one complete subtree (the right edges of prefix trees). Proofs against one tree
  // size ask for the same few again and again; bounded so that probing many sizes cannot grow it without end.
  private readonly edgeCache = new Map<string, Buffer>();
  // The same for inclusion proofs, keyed by start only: the right-edge subtrees of the last size asked for.
  private edgeSize = -1;
  private edges = new Map<number, Buffer>();

  private constructor(levels: Buffer[], size: number) {
    this.levels = levels;
    this.size = size;
  }

  /** Builds the levels from leaf hashes (an array of 32-byte hashes, or one buffer of them back to back). */
  static fromLeafHashes(leaves: readonly Uint8Array[] | Uint8Array): MerkleTree {
    let level0: Buffer;
    if (leaves instanceof Uint8Array) {
      if (leaves.length % HASH_SIZE !== 0) throw new RangeError("leaf hash buffer length is not a multiple of 32");
      level0 = Buffer.from(leaves.buffer, leaves.byteOffset, leaves.byteLength);
    } else {
      level0 = Buffer.allocUnsafe(leaves.length * HASH_SIZE);
      leaves.forEach((h, i) => {
        if (h.length !== HASH_SIZE) throw new RangeError(`leaf hash ${i} is ${h.length} bytes, not 32`);
        level0.set(h, i * HASH_SIZE);
      });
    }
    return new MerkleTree(completeSubtreeLevels(level0), level0.length / HASH_SIZE);
  }

  leafHash(index: number): Buffer {
    return this.subtree(0, index);
  }

  /** Hash of the complete subtree of 2^level leaves starting at leaf index * 2^level. */
  private subtree(level: number, index: number): Buffer {
    const buf = this.levels[level];
    if (!buf || (index + 1) * HASH_SIZE > buf.length) throw new RangeError(`no subtree ${index} at level ${level}`);
    return buf.subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE);
  }

  /** MTH(D[start:end]) for an aligned range (see rangeBlocks). */
  rangeHash(start: number, end: number): Buffer {
    if (end > this.size) throw new RangeError(`leaf range [${start}, ${end}) exceeds the tree size ${this.size}`);
    const blocks = rangeBlocks(start, end);
    if (blocks.length === 1) return this.subtree(blocks[0].level, blocks[0].start / 2 ** blocks[0].level);
    const key = `${start}:${end}`;
    const cached = this.edgeCache.get(key);
    if (cached) return cached;
    const h = foldBlocks(blocks.map((b) => this.subtree(b.level, b.start / 2 ** b.level)));
    if (this.edgeCache.size >= 4096) this.edgeCache.clear();
    this.edgeCache.set(key, h);
    return h;
  }

  /** MTH(D[0:size]) for any prefix size (0 gives the empty-tree hash). */
  root(size: number = this.size): Buffer {
    assertSize("size", size);
    if (size > this.size) throw new RangeError(`tree size ${size} exceeds the ${this.size} leaves`);
    return size === 0 ? Buffer.from(EMPTY_TREE_HASH) : this.rangeHash(0, size);
  }

  /**
   * PATH(index, D[0:size]), RFC 9162 2.1.3.1, computed bottom-up: at level k the sibling of the leaf's
   * ancestor is either a complete subtree (a lookup), a partial subtree on the right edge of this tree size
   * (hashed once per size, then cached), or absent (the ancestor is itself on the right edge and is promoted).
   * Equal to inclusionProofRanges(index, size) mapped through rangeHash, without building the ranges.
   */
  inclusionProof(index: number, size: number = this.size): Buffer[] {
    assertSize("index", index);
    assertSize("size", size);
    if (size > this.size) throw new RangeError(`tree size ${size} exceeds the ${this.size} leaves`);
    if (index >= size) throw new RangeError(`leaf ${index} is not in a tree of size ${size}`);
    const proof: Buffer[] = [];
    let idx = index;
    for (let level = 0, width = 1; width < size; level++, width *= 2) {
      if (idx % 2 === 1) {
        proof.push(this.subtree(level, idx - 1));
      } else {
        const siblingStart = (idx + 1) * width;
        if (siblingStart < size) {
          proof.push(siblingStart + width <= size ? this.subtree(level, idx + 1) : this.edgeHash(siblingStart, size));
        }
      }
      idx = Math.floor(idx / 2);
    }
    return proof;
  }

  // MTH(D[start:size]) for a partial subtree on the right edge of the tree of `size`; one small map per size.
  private edgeHash(start: number, size: number): Buffer {
    if (size !== this.edgeSize) {
      this.edgeSize = size;
      this.edges = new Map();
    }
    let h = this.edges.get(start);
    if (!h) {
      h = this.rangeHash(start, size);
      this.edges.set(start, h);
    }
    return h;
  }

  consistencyProof(m: number, n: number = this.size): Buffer[] {
    if (n > this.size) throw new RangeError(`tree size ${n} exceeds the ${this.size} leaves`);
    return consistencyProofRanges(m, n).map(([a, b]) => this.rangeHash(a, b));
  }
}

/**
 * A streaming view of the tree: leaf hashes pushed one at a time, keeping only the O(log n) complete subtrees
 * that cover [start, end) (each aligned to its own size, largest first). Lets the verifier and the checkpoint
 * code compute roots and proof nodes over a ledger of any length in constant memory.
 */
export class MerkleFrontier {
  readonly start: number;
  private readonly starts: number[] = [];
  private readonly sizes: number[] = [];
  private readonly hashes: Buffer[] = [];
  private endIndex: number;
  /** Called for every complete subtree as it forms (leaves included), e.g. to cache the large ones. */
  onSubtree?: (start: number, size: number, hash: Buffer) => void;

  constructor(start = 0) {
    assertSize("start", start);
    this.start = start;
    this.endIndex = start;
  }

  /** One past the last leaf pushed. */
  get end(): number {
    return this.endIndex;
  }

  push(leaf: Uint8Array): void {
    if (leaf.length !== HASH_SIZE) throw new RangeError("leaf hashes are 32 bytes");
    let s = this.endIndex;
    let size = 1;
    let h: Buffer = Buffer.from(leaf);
    this.onSubtree?.(s, size, h);
    for (;;) {
      const top = this.sizes.length - 1;
      // Merge with the previous subtree only into an aligned subtree of the whole log, so that the blocks
      // stay the ones RFC 9162 ranges are made of even when streaming starts mid-log.
      if (top < 0 || this.sizes[top] !== size || this.starts[top] % (2 * size) !== 0) break;
      h = nodeHash(this.hashes[top], h);
      s = this.starts[top];
      size *= 2;
      this.starts.pop();
      this.sizes.pop();
      this.hashes.pop();
      this.onSubtree?.(s, size, h);
    }
    this.starts.push(s);
    this.sizes.push(size);
    this.hashes.push(h);
    this.endIndex++;
  }

  /** MTH(D[from:end]) for an aligned range ending at the current end (from must start one of the subtrees). */
  rangeHash(from: number): Buffer {
    const i = this.starts.indexOf(from);
    if (i < 0) throw new RangeError(`leaf range [${from}, ${this.endIndex}) is not aligned to the streamed subtrees`);
    return foldBlocks(this.hashes.slice(i));
  }

  /** MTH(D[start:end]); with start 0 this is the tree head of size end. */
  root(): Buffer {
    return this.endIndex === this.start ? Buffer.from(EMPTY_TREE_HASH) : this.rangeHash(this.start);
  }
}

// ------------------------------------------------------------------------------------------------------------
// Proof verification: RFC 9162 2.1.3.2 and 2.1.4.2, step by step. Self-contained on purpose (only node:crypto
// and the helpers in this block) so that the offline verifier can carry an exact copy.

const verifierSha256 = (crypto as { hash?: (alg: string, data: Uint8Array, enc: "buffer") => Buffer }).hash;
const verifierNodeInput = Buffer.alloc(65);

function verifierHashNode(left: Uint8Array, right: Uint8Array): Buffer {
  verifierNodeInput[0] = 0x01;
  verifierNodeInput.set(left, 1);
  verifierNodeInput.set(right, 33);
  return verifierSha256
    ? verifierSha256("sha256", verifierNodeInput, "buffer")
    : crypto.createHash("sha256").update(verifierNodeInput).digest();
}

function verifierEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
}

function verifierValidHashes(hashes: readonly Uint8Array[]): boolean {
  return hashes.every((h) => h instanceof Uint8Array && h.length === 32);
}

const isLsbSet = (x: number) => x % 2 === 1;
const shiftRight = (x: number) => Math.floor(x / 2);

export type InclusionCheck = {
  leafIndex: number;
  treeSize: number;
  leafHash: Uint8Array;
  proof: readonly Uint8Array[];
  rootHash: Uint8Array;
};

/** RFC 9162 2.1.3.2: does `proof` show that leafHash is leaf leafIndex of the tree of treeSize with rootHash? */
export function verifyInclusion({ leafIndex, treeSize, leafHash: hash, proof, rootHash }: InclusionCheck): boolean {
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize) || leafIndex < 0) return false;
  if (!verifierValidHashes([hash, rootHash, ...proof]) || proof.length > 64) return false;
  // 1. leaf_index >= tree_size: fail.
  if (leafIndex >= treeSize) return false;
  // 2. fn = leaf_index, sn = tree_size - 1.
  let fn = leafIndex;
  let sn = treeSize - 1;
  // 3. r = hash.
  let r: Uint8Array = hash;
  // 4. For each p in inclusion_path:
  for (const p of proof) {
    // a. If sn is 0, stop and fail.
    if (sn === 0) return false;
    // b. If LSB(fn) is set, or fn == sn:
    if (isLsbSet(fn) || fn === sn) {
      r = verifierHashNode(p, r);
      // until either LSB(fn) is set or fn is 0
      while (!isLsbSet(fn) && fn !== 0) {
        fn = shiftRight(fn);
        sn = shiftRight(sn);
      }
    } else {
      r = verifierHashNode(r, p);
    }
    // c. Finally, right-shift both fn and sn one time.
    fn = shiftRight(fn);
    sn = shiftRight(sn);
  }
  // 5. sn must be 0 and r must equal root_hash.
  return sn === 0 && verifierEqual(r, rootHash);
}

export type ConsistencyCheck = {
  firstSize: number;
  secondSize: number;
  firstRoot: Uint8Array;
  secondRoot: Uint8Array;
  proof: readonly Uint8Array[];
};

/**
 * RFC 9162 2.1.4.2: does `proof` show that the tree of firstSize (firstRoot) is a prefix of the tree of
 * secondSize (secondRoot)? The RFC algorithm covers 0 < first < second; outside it: first == second holds
 * exactly when the roots are equal and the proof is empty, and the empty tree (first == 0, root SHA-256(""))
 * is a prefix of every tree with an empty proof.
 */
export function verifyConsistency({ firstSize, secondSize, firstRoot, secondRoot, proof }: ConsistencyCheck): boolean {
  if (!Number.isSafeInteger(firstSize) || !Number.isSafeInteger(secondSize) || firstSize < 0) return false;
  if (!verifierValidHashes([firstRoot, secondRoot, ...proof]) || proof.length > 128) return false;
  if (firstSize > secondSize) return false;
  if (firstSize === secondSize) return proof.length === 0 && verifierEqual(firstRoot, secondRoot);
  if (firstSize === 0) {
    const empty = crypto.createHash("sha256").digest();
    return proof.length === 0 && verifierEqual(firstRoot, empty);
  }
  // 1. If consistency_path is an empty array, stop and fail.
  if (proof.length === 0) return false;
  // 2. If first is an exact power of 2, prepend first_hash to consistency_path.
  let path: readonly Uint8Array[] = proof;
  let powerOfTwo = firstSize;
  while (powerOfTwo % 2 === 0) powerOfTwo /= 2;
  if (powerOfTwo === 1) path = [firstRoot, ...proof];
  // 3. fn = first - 1, sn = second - 1.
  let fn = firstSize - 1;
  let sn = secondSize - 1;
  // 4. If LSB(fn) is set, right-shift both fn and sn equally until LSB(fn) is not set.
  while (isLsbSet(fn)) {
    fn = shiftRight(fn);
    sn = shiftRight(sn);
  }
  // 5. fr = sr = the first value in consistency_path.
  let fr: Uint8Array = path[0];
  let sr: Uint8Array = path[0];
  // 6. For each subsequent value c in consistency_path:
  for (const c of path.slice(1)) {
    // a. If sn is 0, stop and fail.
    if (sn === 0) return false;
    // b. If LSB(fn) is set, or fn == sn:
    if (isLsbSet(fn) || fn === sn) {
      fr = verifierHashNode(c, fr);
      sr = verifierHashNode(c, sr);
      // If LSB(fn) is not set, right-shift both until either LSB(fn) is set or fn is 0.
      while (!isLsbSet(fn) && fn !== 0) {
        fn = shiftRight(fn);
        sn = shiftRight(sn);
      }
    } else {
      sr = verifierHashNode(sr, c);
    }
    // c. Finally, right-shift both fn and sn one time.
    fn = shiftRight(fn);
    sn = shiftRight(sn);
  }
  // 7. fr == first_hash, sr == second_hash, and sn == 0.
  return sn === 0 && verifierEqual(fr, firstRoot) && verifierEqual(sr, secondRoot);
}
