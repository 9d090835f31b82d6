// Merkle tree benchmark, in memory: the root of N random leaves, 100,000 inclusion proofs and their
// verification; figures printed, nothing asserted.
//   npm run bench -- merkle [--leaves N]
import crypto from "node:crypto";
import { MerkleTree, verifyInclusion } from "../../lib/ledger/merkle";

export async function run(args: string[]): Promise<void> {
  const i = args.indexOf("--leaves");
  const n = i >= 0 ? Number(args[i + 1]) : 1_000_000;
  const leaves = Buffer.allocUnsafe(n * 32);
  for (let k = 0; k < n; k++) crypto.randomFillSync(leaves, k * 32, 32);
  let t = performance.now();
  const tree = MerkleTree.fromLeafHashes(leaves);
  const root = tree.root();
  const buildMs = performance.now() - t;

  const count = 100_000;
  t = performance.now();
  const proofs: Buffer[][] = [];
  for (let k = 0; k < count; k++) proofs.push(tree.inclusionProof((k * 7919) % n));
  const proofMs = performance.now() - t;

  t = performance.now();
  let ok = 0;
  for (let k = 0; k < count; k++) {
    const idx = (k * 7919) % n;
    if (verifyInclusion({ leafIndex: idx, treeSize: n, leafHash: tree.leafHash(idx), proof: proofs[k], rootHash: root })) ok++;
  }
  const verifyMs = performance.now() - t;
  console.log(
    `[merkle] root of ${n.toLocaleString()} leaves: ${buildMs.toFixed(0)} ms; ${count.toLocaleString()} inclusion proofs: ${proofMs.toFixed(0)} ms ` +
      `(${Math.round(count / (proofMs / 1000)).toLocaleString()}/s); ${count.toLocaleString()} verifications: ${verifyMs.toFixed(0)} ms (${ok} verified)`,
  );
}
