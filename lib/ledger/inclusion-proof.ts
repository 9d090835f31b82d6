import { publicKeyFromPem } from "./signing-key";
import { verifyCheckpointSignature } from "./checkpoint-note";
import { checkpointFieldsFromJson, type LedgerCheckpointJson } from "./checkpoint-row";
import { leafHash as computeLeafHash, verifyInclusion } from "./merkle";

// The proof that one raw record is leaf `leafIndex` of the tree a signed checkpoint commits to, in a JSON shape
// that travels in evidence exports: everything needed to check it offline is in it, except the trusted public
// key, which the auditor obtains separately (and compares by fingerprint).
export type InclusionProof = {
  rawRecordId: string;
  leafIndex: number;
  treeSize: number;
  /** RFC 9162 leaf hash of the payload, hex. */
  leafHash: string;
  /** RFC 9162 inclusion path (2.1.3.1), from the leaf's sibling upwards, hex. */
  proof: string[];
  /** Root of the tree of treeSize leaves, hex; equal to checkpoint.rootHash. */
  rootHash: string;
  checkpoint: LedgerCheckpointJson;
};

export type InclusionProofResult =
  | { rawRecordId: string; status: "proved"; proof: InclusionProof }
  | { rawRecordId: string; status: "not-covered"; leafIndex: number; message: string }
  | { rawRecordId: string; status: "not-found" };

export type InclusionVerification = {
  ok: boolean;
  /** The Merkle path leads from the leaf hash to the root (RFC 9162 2.1.3.2). */
  merkle: boolean;
  /** The checkpoint signature verifies with the given key; null when no key was given. */
  signature: boolean | null;
  problems: string[];
};

const HEX32 = /^[0-9a-f]{64}$/;

/** Checks a proof on its own; pass the trusted public key to check the checkpoint signature, and the payload to
 *  check that it is the record the proof is about. */
export function verifyInclusionProof(
  p: InclusionProof,
  { publicKeyPem, payload }: { publicKeyPem?: string; payload?: Uint8Array } = {},
): InclusionVerification {
  const problems: string[] = [];
  const hexes = [p.leafHash, p.rootHash, p.checkpoint.rootHash, ...p.proof];
  if (!hexes.every((h) => typeof h === "string" && HEX32.test(h))) {
    return { ok: false, merkle: false, signature: null, problems: ["a hash is not 64 lowercase hex digits"] };
  }
  const merkle = verifyInclusion({
    leafIndex: p.leafIndex,
    treeSize: p.treeSize,
    leafHash: Buffer.from(p.leafHash, "hex"),
    proof: p.proof.map((h) => Buffer.from(h, "hex")),
    rootHash: Buffer.from(p.rootHash, "hex"),
  });
  if (!merkle) problems.push("the inclusion path does not lead from the leaf hash to the root hash");
  if (p.rootHash !== p.checkpoint.rootHash || p.treeSize !== p.checkpoint.treeSize) {
    problems.push("the proof's root hash or tree size is not the checkpoint's");
  }
  if (payload && computeLeafHash(payload).toString("hex") !== p.leafHash) {
    problems.push("the payload's leaf hash is not the proof's leaf hash");
  }
  let signature: boolean | null = null;
  if (publicKeyPem) {
    const key = publicKeyFromPem(publicKeyPem);
    signature = verifyCheckpointSignature(checkpointFieldsFromJson(p.checkpoint), key.publicKey);
    if (!signature) problems.push(`the checkpoint signature does not verify with key ${key.fingerprint}`);
  }
  return { ok: problems.length === 0, merkle, signature, problems };
}
