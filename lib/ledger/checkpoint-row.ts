import { checkpointNote, type CheckpointFields } from "./checkpoint-note";

// A ledger_checkpoint row as the ledger code hands it out: ids as decimal strings (BIGINT does not fit a JSON
// number in general), the tree size and sequence numbers as numbers (a log of 2^53 leaves is not a concern),
// hashes as buffers.
export type LedgerCheckpoint = {
  id: string;
  /** 1, 2, 3, ... with no gap (signed from note version 2 on). */
  seq: number;
  noteVersion: number;
  treeSize: number;
  rootHash: Buffer;
  createdAt: Date;
  /** Version 2: SHA-256 of the previous checkpoint's note (null for the first). */
  previousHash: Buffer | null;
  /** Version 2: the number of append batches the tree holds. */
  batches: number | undefined;
  signature: Buffer;
  keyFingerprint: string;
};

/** The JSON form used by the CLI, the API, evidence exports and the published checkpoint log. */
export type LedgerCheckpointJson = {
  id: string;
  seq: number;
  noteVersion: number;
  treeSize: number;
  rootHash: string;
  rootHashBase64: string;
  createdAt: string;
  /** Hex; null for the first checkpoint and for version 1 notes. */
  previousHash: string | null;
  /** Null for version 1 notes. */
  batches: number | null;
  signature: string;
  keyFingerprint: string;
  /** The fingerprint's first 16 hex digits. */
  keyId: string;
  /** The exact signed text (see checkpointNote). */
  note: string;
};

// Qualified with the alias c: the ids come out as text, and an unqualified ORDER BY id would sort that text
// ("10" before "9"). Queries say FROM ledger_checkpoint c ... ORDER BY c.seq (or c.id).
export const CHECKPOINT_COLUMNS = `c.id::text AS id, c.seq::text AS seq, c."noteVersion", c."treeSize"::text AS "treeSize", c."rootHash",
  c."createdAt", c."previousHash", c.batches::text AS batches, c.signature, c."keyFingerprint"`;

export type CheckpointDbRow = {
  id: string;
  seq: string;
  noteVersion: number;
  treeSize: string;
  rootHash: Buffer;
  createdAt: Date;
  previousHash: Buffer | null;
  batches: string | null;
  signature: Buffer;
  keyFingerprint: string;
};

export function toCheckpoint(row: CheckpointDbRow): LedgerCheckpoint {
  return {
    id: row.id,
    seq: Number(row.seq),
    noteVersion: row.noteVersion,
    treeSize: Number(row.treeSize),
    rootHash: row.rootHash,
    createdAt: row.createdAt,
    previousHash: row.previousHash,
    batches: row.batches === null ? undefined : Number(row.batches),
    signature: row.signature,
    keyFingerprint: row.keyFingerprint,
  };
}

export function checkpointToJson(c: LedgerCheckpoint): LedgerCheckpointJson {
  return {
    id: c.id,
    seq: c.seq,
    noteVersion: c.noteVersion,
    treeSize: c.treeSize,
    rootHash: c.rootHash.toString("hex"),
    rootHashBase64: c.rootHash.toString("base64"),
    createdAt: c.createdAt.toISOString(),
    previousHash: c.previousHash ? c.previousHash.toString("hex") : null,
    batches: c.batches ?? null,
    signature: c.signature.toString("base64"),
    keyFingerprint: c.keyFingerprint,
    keyId: c.keyFingerprint.slice(0, 16),
    note: checkpointNote(c).toString("utf8"),
  };
}

/** The signed fields of a checkpoint in its JSON form (hashes hex), to check its signature. */
export function checkpointFieldsFromJson(j: LedgerCheckpointJson): CheckpointFields & { signature: Buffer } {
  return {
    noteVersion: j.noteVersion ?? 1,
    seq: j.seq,
    treeSize: j.treeSize,
    rootHash: Buffer.from(j.rootHash, "hex"),
    createdAt: new Date(j.createdAt),
    previousHash: j.previousHash ? Buffer.from(j.previousHash, "hex") : null,
    batches: j.batches ?? undefined,
    keyFingerprint: j.keyFingerprint,
    signature: Buffer.from(j.signature, "base64"),
  };
}
