import crypto, { type KeyObject } from "node:crypto";

// What a checkpoint signs: a short text note, so that an auditor can check a checkpoint with openssl alone:
//   openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -in checkpoint.txt -sigfile checkpoint.sig
// The format is fixed byte for byte (LF line ends, trailing LF); a new field means a new version line.

const CHECKPOINT_NOTE_VERSION = "sessionproof-checkpoint/v1";

export type CheckpointFields = {
  treeSize: number;
  rootHash: Uint8Array;
  /** Kept with millisecond precision (timestamptz(3)); the note carries toISOString(). */
  createdAt: Date;
};

/** The exact signed bytes: version, tree size, base64 root hash, ISO-8601 UTC creation time, each + "\n". */
export function checkpointNote({ treeSize, rootHash, createdAt }: CheckpointFields): Buffer {
  if (!Number.isSafeInteger(treeSize) || treeSize < 0) throw new RangeError(`bad tree size ${treeSize}`);
  if (rootHash.length !== 32) throw new RangeError("the root hash must be 32 bytes");
  const root = Buffer.from(rootHash).toString("base64");
  return Buffer.from(`${CHECKPOINT_NOTE_VERSION}\n${treeSize}\n${root}\n${createdAt.toISOString()}\n`, "utf8");
}

/** Ed25519 over the note (pure EdDSA, no pre-hash: what `openssl pkeyutl -rawin` verifies). */
export function signCheckpoint(fields: CheckpointFields, privateKey: KeyObject): Buffer {
  return crypto.sign(null, checkpointNote(fields), privateKey);
}

export function verifyCheckpointSignature(fields: CheckpointFields & { signature: Uint8Array }, publicKey: KeyObject): boolean {
  try {
    return crypto.verify(null, checkpointNote(fields), publicKey, fields.signature);
  } catch {
    return false;
  }
}
