import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  EMPTY_TREE_HASH,
  MerkleFrontier,
  MerkleTree,
  consistencyProofRanges,
  inclusionProofRanges,
  leafHash,
  nodeHash,
  verifyConsistency,
  verifyInclusion,
} from "./merkle";

// A deliberately naive reference: the recursive definitions of RFC 9162 2.1.1, 2.1.3.1 and 2.1.4.1 written
// straight from the text over the raw entries, sharing no code with merkle.ts.
const sha = (...parts: Buffer[]) => crypto.createHash("sha256").update(Buffer.concat(parts)).digest();
const largestPow2Below = (n: number) => 2 ** Math.ceil(Math.log2(n) - 1);
function refMTH(d: Buffer[]): Buffer {
  if (d.length === 0) return sha();
  if (d.length === 1) return sha(Buffer.from([0]), d[0]);
  const k = largestPow2Below(d.length);
  return sha(Buffer.from([1]), refMTH(d.slice(0, k)), refMTH(d.slice(k)));
}
function refPATH(m: number, d: Buffer[]): Buffer[] {
  if (d.length === 1) return [];
  const k = largestPow2Below(d.length);
  return m < k ? [...refPATH(m, d.slice(0, k)), refMTH(d.slice(k))] : [...refPATH(m - k, d.slice(k)), refMTH(d.slice(0, k))];
}
function refSUBPROOF(m: number, d: Buffer[], b: boolean): Buffer[] {
  if (m === d.length) return b ? [] : [refMTH(d)];
  const k = largestPow2Below(d.length);
  return m <= k
    ? [...refSUBPROOF(m, d.slice(0, k), b), refMTH(d.slice(k))]
    : [...refSUBPROOF(m - k, d.slice(k), false), refMTH(d.slice(0, k))];
}
const refPROOF = (m: number, d: Buffer[]) => refSUBPROOF(m, d, true);

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const entries = (n: number) => Array.from({ length: n }, (_, i) => Buffer.from(`entry ${i}`));
const treeOf = (d: Buffer[]) => MerkleTree.fromLeafHashes(d.map((x) => leafHash(x)));
const flip = (b: Uint8Array, byte = 0) => {
  const c = Buffer.from(b);
  c[byte] ^= 0x01;
  return c;
};

describe("RFC 9162 hashing", () => {
  it("hashes the empty tree to SHA-256 of the empty string", () => {
    expect(hex(EMPTY_TREE_HASH)).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(hex(MerkleTree.fromLeafHashes([]).root())).toBe(hex(EMPTY_TREE_HASH));
    expect(hex(new MerkleFrontier().root())).toBe(hex(EMPTY_TREE_HASH));
  });

  it("prefixes leaves with 0x00 and nodes with 0x01", () => {
    expect(hex(leafHash(Buffer.alloc(0)))).toBe("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
    const a = leafHash(Buffer.from("a"));
    const b = leafHash(Buffer.from("b"));
    expect(hex(a)).toBe(hex(sha(Buffer.from([0]), Buffer.from("a"))));
    expect(hex(nodeHash(a, b))).toBe(hex(sha(Buffer.from([1]), a, b)));
  });

  // The RFC 6962 test vectors used by certificate-transparency implementations (8 leaves of growing length).
  it("matches the published RFC 6962 reference roots for sizes 1..8", () => {
    const leaves = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"].map((h) =>
      Buffer.from(h, "hex"),
    );
    const roots = [
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];
    const tree = treeOf(leaves);
    for (let n = 1; n <= 8; n++) {
      expect(hex(refMTH(leaves.slice(0, n)))).toBe(roots[n - 1]);
      expect(hex(tree.root(n))).toBe(roots[n - 1]);
    }
  });

  it("agrees with the recursive definitions on roots and every proof for sizes 1..8 (and spot sizes to 64)", () => {
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 13, 31, 32, 33, 64]) {
      const d = entries(n);
      const tree = treeOf(d);
      expect(hex(tree.root())).toBe(hex(refMTH(d)));
      for (let i = 0; i < n; i++) {
        expect(tree.inclusionProof(i).map(hex)).toEqual(refPATH(i, d).map(hex));
      }
      for (let m = 1; m <= n; m++) {
        expect(tree.consistencyProof(m).map(hex)).toEqual(refPROOF(m, d).map(hex));
      }
    }
  });

  it("answers every prefix of one tree like a tree built over just that prefix", () => {
    const d = entries(40);
    const big = treeOf(d);
    for (let n = 1; n <= 40; n++) {
      expect(hex(big.root(n))).toBe(hex(refMTH(d.slice(0, n))));
      for (let i = 0; i < n; i += 3) expect(big.inclusionProof(i, n).map(hex)).toEqual(refPATH(i, d.slice(0, n)).map(hex));
      for (let m = 1; m <= n; m += 2) expect(big.consistencyProof(m, n).map(hex)).toEqual(refPROOF(m, d.slice(0, n)).map(hex));
    }
  });

  it("streams the same roots and range hashes as the full tree", () => {
    const d = entries(300);
    const tree = treeOf(d);
    const f = new MerkleFrontier();
    // Complete subtrees are reported as they form; a partial range is read off the frontier at its end.
    const complete = new Map<string, Buffer>();
    f.onSubtree = (start, size, hash) => complete.set(`${start}:${start + size}`, hash);
    d.forEach((x, i) => {
      f.push(leafHash(x));
      expect(hex(f.root())).toBe(hex(tree.root(i + 1)));
      for (const [a, b] of [...consistencyProofRanges(Math.max(1, i >> 1), i + 1), ...inclusionProofRanges(i >> 1, i + 1)]) {
        const perfect = Number.isInteger(Math.log2(b - a));
        const got = perfect ? complete.get(`${a}:${b}`) : b === i + 1 ? f.rangeHash(a) : undefined;
        if (got) expect(hex(got)).toBe(hex(tree.rangeHash(a, b)));
        else expect(perfect || b < i + 1).toBe(true);
      }
    });
    // Starting mid-log (aligned blocks only): the subtree [128, 256) streamed alone.
    const g = new MerkleFrontier(128);
    for (let i = 128; i < 256; i++) g.push(tree.leafHash(i));
    expect(hex(g.root())).toBe(hex(tree.rangeHash(128, 256)));
  });
});

describe("proof verification (RFC 9162 2.1.3.2 / 2.1.4.2)", () => {
  const N = 300;
  const d = entries(N);
  const tree = treeOf(d);

  it("verifies every inclusion proof for every tree size 1..300", () => {
    let checked = 0;
    for (let n = 1; n <= N; n++) {
      const root = tree.root(n);
      for (let i = 0; i < n; i++) {
        const ok = verifyInclusion({
          leafIndex: i,
          treeSize: n,
          leafHash: tree.leafHash(i),
          proof: tree.inclusionProof(i, n),
          rootHash: root,
        });
        if (!ok) throw new Error(`inclusion of ${i} in ${n} failed`);
        checked++;
      }
    }
    expect(checked).toBe((N * (N + 1)) / 2);
  });

  it("verifies every consistency proof for all 1 <= m <= n <= 300", () => {
    let checked = 0;
    for (let n = 1; n <= N; n++) {
      const second = tree.root(n);
      for (let m = 1; m <= n; m++) {
        const ok = verifyConsistency({
          firstSize: m,
          secondSize: n,
          firstRoot: tree.root(m),
          secondRoot: second,
          proof: tree.consistencyProof(m, n),
        });
        if (!ok) throw new Error(`consistency ${m} -> ${n} failed`);
        checked++;
      }
    }
    expect(checked).toBe((N * (N + 1)) / 2);
    expect(verifyConsistency({ firstSize: 0, secondSize: 5, firstRoot: EMPTY_TREE_HASH, secondRoot: tree.root(5), proof: [] })).toBe(true);
  });

  it("rejects tampered inclusion proofs, roots, leaves, indices and sizes", () => {
    for (let n = 1; n <= N; n += 7) {
      const root = tree.root(n);
      for (let i = 0; i < n; i += 5) {
        const proof = tree.inclusionProof(i, n);
        const base = { leafIndex: i, treeSize: n, leafHash: tree.leafHash(i), proof, rootHash: root };
        expect(verifyInclusion(base)).toBe(true);
        expect(verifyInclusion({ ...base, rootHash: flip(root) })).toBe(false);
        expect(verifyInclusion({ ...base, leafHash: flip(base.leafHash, 31) })).toBe(false);
        expect(verifyInclusion({ ...base, leafIndex: i + 1 })).toBe(false);
        if (i > 0) expect(verifyInclusion({ ...base, leafIndex: i - 1 })).toBe(false);
        // (A wrong tree size is not tested: RFC 9162 proofs bind the size only through the signed root it
        // travels with, and some neighbouring sizes share a proof shape.)
        expect(verifyInclusion({ ...base, leafIndex: n })).toBe(false);
        expect(verifyInclusion({ ...base, proof: [...proof, root] })).toBe(false);
        if (proof.length) expect(verifyInclusion({ ...base, proof: proof.slice(0, -1) })).toBe(false);
        for (let k = 0; k < proof.length; k++) {
          const bad = proof.map((p, j) => (j === k ? flip(p, k % 32) : p));
          expect(verifyInclusion({ ...base, proof: bad })).toBe(false);
        }
      }
    }
  });

  it("rejects tampered consistency proofs and roots", () => {
    for (let n = 2; n <= N; n += 11) {
      for (let m = 1; m < n; m += 3) {
        const proof = tree.consistencyProof(m, n);
        const base = { firstSize: m, secondSize: n, firstRoot: tree.root(m), secondRoot: tree.root(n), proof };
        expect(verifyConsistency(base)).toBe(true);
        expect(verifyConsistency({ ...base, firstRoot: flip(base.firstRoot) })).toBe(false);
        expect(verifyConsistency({ ...base, secondRoot: flip(base.secondRoot) })).toBe(false);
        expect(verifyConsistency({ ...base, firstRoot: base.secondRoot, secondRoot: base.firstRoot })).toBe(false);
        expect(verifyConsistency({ ...base, proof: [] })).toBe(false);
        expect(verifyConsistency({ ...base, proof: [...proof, base.secondRoot] })).toBe(false);
        if (proof.length > 1) expect(verifyConsistency({ ...base, proof: proof.slice(0, -1) })).toBe(false);
        for (let k = 0; k < proof.length; k++) {
          expect(verifyConsistency({ ...base, proof: proof.map((p, j) => (j === k ? flip(p) : p)) })).toBe(false);
        }
      }
    }
    const r = tree.root(9);
    expect(verifyConsistency({ firstSize: 9, secondSize: 9, firstRoot: r, secondRoot: r, proof: [] })).toBe(true);
    expect(verifyConsistency({ firstSize: 9, secondSize: 9, firstRoot: r, secondRoot: flip(r), proof: [] })).toBe(false);
    expect(verifyConsistency({ firstSize: 10, secondSize: 9, firstRoot: tree.root(10), secondRoot: r, proof: [] })).toBe(false);
  });

  it("describes proofs as ranges of the log", () => {
    expect(inclusionProofRanges(0, 1)).toEqual([]);
    expect(inclusionProofRanges(2, 7)).toEqual([
      [3, 4],
      [0, 2],
      [4, 7],
    ]);
    expect(consistencyProofRanges(3, 7)).toEqual([
      [2, 3],
      [3, 4],
      [0, 2],
      [4, 7],
    ]);
    expect(consistencyProofRanges(4, 7)).toEqual([[4, 7]]);
    expect(() => inclusionProofRanges(7, 7)).toThrow(RangeError);
    expect(() => consistencyProofRanges(8, 7)).toThrow(RangeError);
  });
});
