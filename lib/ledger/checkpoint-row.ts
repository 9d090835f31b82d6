import { checkpointNote } from "./checkpoint-note";

// A ledger_checkpoint row as the ledger code hands it out: ids as decimal strings (BIGINT does not fit a JSON
// number in general), the tree size as a number (a log of 2^53 leaves is not a concern), hashes as buffers.
export type LedgerCheckpoint = {
  id: string;
  treeSize: number;
  rootHash: Buffer;
  createdAt: Date;
  signature: Buffer;
  keyFingerprint: string;
};

/** The JSON form used by the CLI, the API and evidence exports. */
export type LedgerCheckpointJson = {
  id: string;
  treeSize: number;
  rootHash: string;
  rootHashBase64: string;
  createdAt: string;
  signature: string;
  keyFingerprint: string;
  /** The exact signed text (see checkpointNote). */
  note: string;
};

// Qualified with the alias c: the ids come out as text, and an unqualified ORDER BY id would sort that text
// ("10" before "9"). Queries say FROM ledger_checkpoint c ... ORDER BY c.id.
export const CHECKPOINT_COLUMNS = `c.id::text AS id, c."treeSize"::text AS "treeSize", c."rootHash", c."createdAt", c.signature, c."keyFingerprint"`;

export type CheckpointDbRow = {
  id: string;
  treeSize: string;
  rootHash: Buffer;
  createdAt: Date;
  signature: Buffer;
  keyFingerprint: string;
};

export function toCheckpoint(row: CheckpointDbRow): LedgerCheckpoint {
  return {
    id: row.id,
    treeSize: Number(row.treeSize),
    rootHash: row.rootHash,
    createdAt: row.createdAt,
    signature: row.signature,
    keyFingerprint: row.keyFingerprint,
  };
}

export function checkpointToJson(c: LedgerCheckpoint): LedgerCheckpointJson {
  return {
    id: c.id,
    treeSize: c.treeSize,
    rootHash: c.rootHash.toString("hex"),
    rootHashBase64: c.rootHash.toString("base64"),
    createdAt: c.createdAt.toISOString(),
    signature: c.signature.toString("base64"),
    keyFingerprint: c.keyFingerprint,
    note: checkpointNote(c).toString("utf8"),
  };
}
