import crypto, { type KeyObject } from "node:crypto";

// What a checkpoint signs: a short text note, so that an auditor can check a checkpoint with openssl alone:
//   openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -in checkpoint.txt -sigfile checkpoint.sig
// The format is fixed byte for byte (LF line ends, trailing LF); a new field means a new version line.
//
// Version 1 (checkpoints signed before version 2 existed): version, tree size, base64 root, ISO time.
// Version 2 adds what makes a deleted checkpoint or a rolled-back ledger visible: the checkpoint's number in a
// sequence with no gaps (seq), the SHA-256 of the previous checkpoint's note (a hash chain: each checkpoint names
// its predecessor), and the number of signed append batches the tree holds. Each field on its own labelled line:
//   sessionproof-checkpoint/v2
//   seq 12
//   size 4711
//   root <base64>
//   time 2026-12-07T13:00:00.000Z
//   previous <base64 SHA-256 of checkpoint 11's note, or "none" for the first>
//   batches 37

const NOTE_V1 = "sessionproof-checkpoint/v1";
const NOTE_V2 = "sessionproof-checkpoint/v2";

export type CheckpointFields = {
  treeSize: number;
  rootHash: Uint8Array;
  /** Kept with millisecond precision (timestamptz(3)); the note carries toISOString(). */
  createdAt: Date;
  /** 1 for checkpoints signed before version 2; absent means 1. */
  noteVersion?: number;
  /** Version 2: 1, 2, 3, ... with no gap. */
  seq?: number;
  /** Version 2: SHA-256 of the previous checkpoint's note; null for the first checkpoint. */
  previousHash?: Uint8Array | null;
  /** Version 2: how many append batches the tree holds (batches 1..n). */
  batches?: number;
};

function count(name: string, v: number | undefined): number {
  if (v === undefined || !Number.isSafeInteger(v) || v < 0) throw new RangeError(`bad ${name} ${v}`);
  return v;
}

/** The exact signed bytes (see the formats above). */
export function checkpointNote(f: CheckpointFields): Buffer {
  count("tree size", f.treeSize);
  if (f.rootHash.length !== 32) throw new RangeError("the root hash must be 32 bytes");
  const root = Buffer.from(f.rootHash).toString("base64");
  if ((f.noteVersion ?? 1) === 1) return Buffer.from(`${NOTE_V1}\n${f.treeSize}\n${root}\n${f.createdAt.toISOString()}\n`, "utf8");
  if (f.noteVersion !== 2) throw new RangeError(`unknown checkpoint note version ${f.noteVersion}`);
  if (f.previousHash && f.previousHash.length !== 32) throw new RangeError("the previous note hash must be 32 bytes");
  const previous = f.previousHash ? Buffer.from(f.previousHash).toString("base64") : "none";
  return Buffer.from(
    `${NOTE_V2}\nseq ${count("seq", f.seq)}\nsize ${f.treeSize}\nroot ${root}\ntime ${f.createdAt.toISOString()}\n` +
      `previous ${previous}\nbatches ${count("batch count", f.batches)}\n`,
    "utf8",
  );
}

/** SHA-256 of a checkpoint's note: what the next checkpoint names as its predecessor. */
export function checkpointNoteHash(f: CheckpointFields): Buffer {
  return crypto.createHash("sha256").update(checkpointNote(f)).digest();
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
