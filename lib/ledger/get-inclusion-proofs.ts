import { pool } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { CHECKPOINT_COLUMNS, checkpointToJson, toCheckpoint, type CheckpointDbRow } from "./checkpoint-row";
import type { InclusionProofResult } from "./inclusion-proof";
import { inclusionProofRanges, verifyInclusion, type LeafRange } from "./merkle";
import { computeRangeHashes } from "./range-hashes";

// Inclusion proofs for many records at once (a session's records, a case export), against the latest checkpoint
// or a given one. The subtree hashes come from the shared cache (range-hashes.ts), so after the first request
// a proof reads at most a few thousand leaf hashes. Every proof is checked against the signed root before it is
// handed out: a ledger that no longer matches its checkpoint yields an error, never a proof that fails later.

export type RawRecordId = string | number | bigint;

export async function getInclusionProofs({
  rawRecordIds,
  checkpointId,
}: {
  rawRecordIds: readonly RawRecordId[];
  checkpointId?: RawRecordId;
}): Promise<InclusionProofResult[]> {
  const ids = rawRecordIds.map((id) => String(id));
  for (const id of [...ids, ...(checkpointId === undefined ? [] : [String(checkpointId)])]) {
    if (!/^\d{1,19}$/.test(id)) throw new AppError("VALIDATION", `not a record or checkpoint id: ${id}`);
  }
  const cpRows = await pool().query<CheckpointDbRow>(
    checkpointId === undefined
      ? `SELECT ${CHECKPOINT_COLUMNS} FROM ledger_checkpoint c ORDER BY c.seq DESC LIMIT 1`
      : `SELECT ${CHECKPOINT_COLUMNS} FROM ledger_checkpoint c WHERE c.id = $1`,
    checkpointId === undefined ? [] : [String(checkpointId)],
  );
  if (checkpointId !== undefined && cpRows.rows.length === 0) throw new AppError("NOT_FOUND", `no ledger checkpoint ${checkpointId}`);
  const checkpoint = cpRows.rows[0] ? toCheckpoint(cpRows.rows[0]) : null;

  const recs = await pool().query<{ id: string; leafIndex: string; leafHash: Buffer }>(
    `SELECT id::text AS id, "leafIndex"::text AS "leafIndex", "leafHash" FROM raw_record WHERE id = ANY($1::bigint[])`,
    [ids],
  );
  const byId = new Map(recs.rows.map((r) => [r.id, { leafIndex: Number(r.leafIndex), leafHash: r.leafHash }]));

  const covered = checkpoint ? [...byId.values()].filter((r) => r.leafIndex < checkpoint.treeSize) : [];
  const hashes = new Map<string, Buffer>();
  if (checkpoint && covered.length > 0) {
    const ranges: LeafRange[] = [[0, checkpoint.treeSize]];
    for (const r of covered) ranges.push(...inclusionProofRanges(r.leafIndex, checkpoint.treeSize));
    for (const [k, v] of await computeRangeHashes({ ranges })) hashes.set(k, v);
    const root = hashes.get(`0:${checkpoint.treeSize}`)!;
    if (!root.equals(checkpoint.rootHash)) {
      throw new AppError(
        "INTERNAL",
        `the ledger no longer matches checkpoint ${checkpoint.id}: no proof can be given. Run \`npm run cli -- ledger verify\`.`,
      );
    }
  }

  return ids.map((id): InclusionProofResult => {
    const rec = byId.get(id);
    if (!rec) return { rawRecordId: id, status: "not-found" };
    if (!checkpoint || rec.leafIndex >= checkpoint.treeSize) {
      return {
        rawRecordId: id,
        status: "not-covered",
        leafIndex: rec.leafIndex,
        message: checkpoint
          ? `raw record ${id} (leaf ${rec.leafIndex}) was appended after checkpoint ${checkpoint.id} (tree size ${checkpoint.treeSize})`
          : "no ledger checkpoint has been created yet",
      };
    }
    const path = inclusionProofRanges(rec.leafIndex, checkpoint.treeSize).map(([a, b]) => hashes.get(`${a}:${b}`)!);
    if (
      !verifyInclusion({
        leafIndex: rec.leafIndex,
        treeSize: checkpoint.treeSize,
        leafHash: rec.leafHash,
        proof: path,
        rootHash: checkpoint.rootHash,
      })
    ) {
      throw new AppError("INTERNAL", `the inclusion proof for raw record ${id} does not verify: run \`npm run cli -- ledger verify\`.`);
    }
    return {
      rawRecordId: id,
      status: "proved",
      proof: {
        rawRecordId: id,
        leafIndex: rec.leafIndex,
        treeSize: checkpoint.treeSize,
        leafHash: rec.leafHash.toString("hex"),
        proof: path.map((h) => h.toString("hex")),
        rootHash: checkpoint.rootHash.toString("hex"),
        checkpoint: checkpointToJson(checkpoint),
      },
    };
  });
}
