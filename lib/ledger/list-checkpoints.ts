import { pool } from "@/lib/db";
import { CHECKPOINT_COLUMNS, checkpointToJson, toCheckpoint, type CheckpointDbRow, type LedgerCheckpointJson } from "./checkpoint-row";

/** The checkpoints numbered above `since`, in order, in their JSON form (the checkpoint log's lines). */
export async function listCheckpoints({ since = 0 }: { since?: number } = {}): Promise<LedgerCheckpointJson[]> {
  const r = await pool().query<CheckpointDbRow>(`SELECT ${CHECKPOINT_COLUMNS} FROM ledger_checkpoint c WHERE c.seq > $1 ORDER BY c.seq`, [
    since,
  ]);
  return r.rows.map((row) => checkpointToJson(toCheckpoint(row)));
}
