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
// Version 3 (from 2026-12-08) adds, as its last line, the key that signs it, so that a note read on its own says
// which key to check it with, and a checkpoint cannot be passed off as signed by another key of the ledger (key
// rotation, lib/ledger/ledger-keys.ts): "key <key id> <fingerprint>" (key id = the fingerprint's first 16 hex digits):
//   sessionproof-checkpoint/v3
//   ... (the seven lines of version 2, with v3 on the first)
//   key 3f9a0c1d2e4b5a69 3f9a0c1d2e4b5a69...(64 hex digits)

const NOTE_V1 = "sessionproof-checkpoint/v1";
const NOTE_V2 = "sessionproof-checkpoint/v2";
const NOTE_V3 = "sessionproof-checkpoint/v3";
/** The note version new checkpoints are signed with. */
export const CURRENT_NOTE_VERSION = 3;

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
  /** Version 3: the signing key's fingerprint (64 hex digits); stored for every version, signed from version 3 on. */
  keyFingerprint?: string;
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
  if (f.noteVersion !== 2 && f.noteVersion !== 3) throw new RangeError(`unknown checkpoint note version ${f.noteVersion}`);
  if (f.previousHash && f.previousHash.length !== 32) throw new RangeError("the previous note hash must be 32 bytes");
  const previous = f.previousHash ? Buffer.from(f.previousHash).toString("base64") : "none";
  let key = "";
  if (f.noteVersion === 3) {
    if (!f.keyFingerprint || !/^[0-9a-f]{64}$/.test(f.keyFingerprint)) throw new RangeError(`bad key fingerprint ${f.keyFingerprint}`);
    key = `key ${f.keyFingerprint.slice(0, 16)} ${f.keyFingerprint}\n`;
  }
  return Buffer.from(
    `${f.noteVersion === 3 ? NOTE_V3 : NOTE_V2}\nseq ${count("seq", f.seq)}\nsize ${f.treeSize}\nroot ${root}\n` +
      `time ${f.createdAt.toISOString()}\nprevious ${previous}\nbatches ${count("batch count", f.batches)}\n${key}`,
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
