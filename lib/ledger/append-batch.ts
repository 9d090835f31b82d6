import crypto, { type KeyObject } from "node:crypto";
import { HASH_SIZE, MerkleTree, sha256 } from "./merkle";

// A signed append batch: what one call of appendRawRecords stored, in a form only the holder of the ledger key can
// produce. A privileged database user can write a raw_record row with correct hashes, or rewrite a record's payload
// together with both of its hashes, or edit a normalized event and its hash; none of that can produce a batch
// signature. So the ledger can tell the append path's rows from rows written behind its back, and can name the
// record or event that differs from what was signed when it was written (docs/ledger-threat-model.md).
//
// Each stored leaf has a 64-byte entry: its leaf hash, then the hash of its record's normalized events
// (eventsHash below). The batch signs the RFC 9162 Merkle root of its entries (leaf = SHA-256(0x00 || entry)), so
// that an evidence package can prove one record's entry with a short path instead of carrying the whole batch.
// The signed note, fixed byte for byte like the checkpoint's (LF line ends, trailing LF):
//   sessionproof-append/v1
//   seq 37
//   leaves 4096 5000            (first leaf index, count)
//   after-checkpoint 12         (the latest checkpoint committed when the batch was written, 0 if none)
//   entries <base64 Merkle root of the entries>
//   time 2026-12-07T13:00:00.000Z

const NOTE = "sessionproof-append/v1";
export const ENTRY_SIZE = 2 * HASH_SIZE;

/** The events hash of a record without events (SHA-256 of nothing). */
export const NO_EVENTS_HASH: Buffer = sha256(Buffer.alloc(0));

/**
 * The hash of a record's normalized events: SHA-256 of their data hashes (each the SHA-256 of the event's stored
 * JSON text), concatenated in the order the events were stored (event id order).
 */
export function eventsHash(dataHashes: readonly Uint8Array[]): Buffer {
  if (dataHashes.length === 0) return NO_EVENTS_HASH;
  // One-shot digests (the usual record has one event): createHash/update/digest costs several times more.
  return sha256(dataHashes.length === 1 ? dataHashes[0] : Buffer.concat(dataHashes));
}

export type AppendBatchFields = {
  seq: number;
  firstLeaf: number;
  count: number;
  afterCheckpoint: number;
  entriesRoot: Uint8Array;
  createdAt: Date;
};

export function appendBatchNote(f: AppendBatchFields): Buffer {
  for (const [name, v] of [
    ["seq", f.seq],
    ["first leaf", f.firstLeaf],
    ["count", f.count],
    ["after-checkpoint", f.afterCheckpoint],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`bad append batch ${name} ${v}`);
  }
  if (f.entriesRoot.length !== HASH_SIZE) throw new RangeError("the entries root must be 32 bytes");
  return Buffer.from(
    `${NOTE}\nseq ${f.seq}\nleaves ${f.firstLeaf} ${f.count}\nafter-checkpoint ${f.afterCheckpoint}\n` +
      `entries ${Buffer.from(f.entriesRoot).toString("base64")}\ntime ${f.createdAt.toISOString()}\n`,
    "utf8",
  );
}

export function signAppendBatch(f: AppendBatchFields, privateKey: KeyObject): Buffer {
  return crypto.sign(null, appendBatchNote(f), privateKey);
}

export function verifyAppendBatchSignature(f: AppendBatchFields & { signature: Uint8Array }, publicKey: KeyObject): boolean {
  try {
    return crypto.verify(null, appendBatchNote(f), publicKey, f.signature);
  } catch {
    return false;
  }
}

/** The RFC 9162 leaf hash of each 64-byte entry, back to back. */
export function entryLeafHashes(entries: Buffer): Buffer {
  if (entries.length % ENTRY_SIZE !== 0) throw new RangeError(`append batch entries are ${entries.length} bytes, not a multiple of 64`);
  const n = entries.length / ENTRY_SIZE;
  const out = Buffer.allocUnsafe(n * HASH_SIZE);
  const input = Buffer.alloc(1 + ENTRY_SIZE); // input[0] stays 0x00, the leaf prefix
  for (let i = 0; i < n; i++) {
    entries.copy(input, 1, i * ENTRY_SIZE, (i + 1) * ENTRY_SIZE);
    sha256(input).copy(out, i * HASH_SIZE);
  }
  return out;
}

/** The Merkle tree over a batch's entries (its root is what the batch signs; proofs for evidence packages). */
export function entriesTree(entries: Buffer): MerkleTree {
  return MerkleTree.fromLeafHashes(entryLeafHashes(entries));
}

/** The leaf hash and events hash recorded for the batch's i-th leaf. */
export function entryAt(entries: Buffer, i: number): { leafHash: Buffer; eventsHash: Buffer } {
  const at = i * ENTRY_SIZE;
  return { leafHash: entries.subarray(at, at + HASH_SIZE), eventsHash: entries.subarray(at + HASH_SIZE, at + ENTRY_SIZE) };
}

/** A ledger_batch row without its entries (loaded separately, batch by batch). */
export type LedgerBatch = AppendBatchFields & { signature: Buffer; keyFingerprint: string };

export const BATCH_COLUMNS = `b.seq::text AS seq, b."firstLeaf"::text AS "firstLeaf", b.count, b."afterCheckpoint"::text AS "afterCheckpoint",
  b."entriesRoot", b."createdAt", b.signature, b."keyFingerprint"`;

export type BatchDbRow = {
  seq: string;
  firstLeaf: string;
  count: number;
  afterCheckpoint: string;
  entriesRoot: Buffer;
  createdAt: Date;
  signature: Buffer;
  keyFingerprint: string;
};

export function toBatch(r: BatchDbRow): LedgerBatch {
  return {
    seq: Number(r.seq),
    firstLeaf: Number(r.firstLeaf),
    count: r.count,
    afterCheckpoint: Number(r.afterCheckpoint),
    entriesRoot: r.entriesRoot,
    createdAt: r.createdAt,
    signature: r.signature,
    keyFingerprint: r.keyFingerprint,
  };
}
