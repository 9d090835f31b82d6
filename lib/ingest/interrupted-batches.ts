import { pool } from "@/lib/db";
import { withTransaction } from "@/lib/db/transaction";
import { auditRow } from "@/lib/audit/record-audit";
import { insertAudit } from "@/lib/audit/insert-audit";
import { system } from "@/lib/context/request-context";

// A batch is "running" while a process ingests it. If that process dies (a crash, a kill, the machine going down),
// the row stays "running" for ever, and correlation keeps waiting for it. Each ingest holds a session-level
// advisory lock on its batch for its whole life; PostgreSQL drops the lock with the connection, so a running
// batch whose lock can be taken has no live owner, on this machine or any other sharing the database.

/** The advisory lock namespace of ingest batches (the two-key form, apart from withTransaction's one-key locks). */
const BATCH_LOCK_SPACE = 1_717_001;

type BatchLock = { release: () => Promise<void> };

/** Takes the batch's lock on a connection of its own, held until release(). */
export async function holdBatchLock(batchId: string): Promise<BatchLock> {
  const client = await pool().connect();
  try {
    await client.query("SELECT pg_advisory_lock($1, hashtext($2))", [BATCH_LOCK_SPACE, batchId]);
  } catch (err) {
    client.release(err as Error);
    throw err;
  }
  return {
    release: async () => {
      try {
        await client.query("SELECT pg_advisory_unlock($1, hashtext($2))", [BATCH_LOCK_SPACE, batchId]);
        client.release();
      } catch (err) {
        // A broken connection is dropped, which releases the lock as well.
        client.release(err as Error);
      }
    },
  };
}

export type InterruptedBatch = { id: string; fileName: string; read: number; stored: number; duplicate: number; quarantined: number };

const n = (v: number) => v.toLocaleString("en-US");

/** What the batch list shows for an interrupted batch: what was kept and what to do. */
function interruptedMessage(b: Omit<InterruptedBatch, "id" | "fileName">): string {
  return (
    `Interrupted: the process ingesting this file stopped before it finished. ${n(b.read)} records had been read and ` +
    `committed (${n(b.stored)} stored, ${n(b.duplicate)} duplicate, ${n(b.quarantined)} quarantined); the rest of the file was ` +
    "not read. To finish, ingest the same file again: records already stored are recognised by their hash and counted " +
    "as duplicates (their events are written then if they were missing), and the rest is stored."
  );
}

/**
 * Marks every "running" batch without a live owner as interrupted, keeping its counts and saying how to finish it
 * (run at start-up by scripts/start.ts; safe to run at any time). Each is recorded in the audit trail.
 */
export async function markInterruptedBatches(_: Record<string, never> = {}): Promise<InterruptedBatch[]> {
  const client = await pool().connect();
  const marked: InterruptedBatch[] = [];
  try {
    const running = await client.query<{ id: string }>(`SELECT id FROM ingest_batch WHERE status = 'running' ORDER BY "startedAt"`);
    for (const { id } of running.rows) {
      const got = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok", [BATCH_LOCK_SPACE, id]);
      if (!got.rows[0].ok) continue; // its ingest is still going
      try {
        await withTransaction(
          async () => {
            const r = await client.query<InterruptedBatch & { via: string }>(
              `SELECT id, "fileName", via, "readCount" AS read, "storedCount" AS stored, "duplicateCount" AS duplicate,
                      "quarantinedCount" AS quarantined
                 FROM ingest_batch WHERE id = $1 AND status = 'running' FOR UPDATE`,
              [id],
            );
            const b = r.rows[0];
            if (!b) return;
            await client.query(`UPDATE ingest_batch SET status = 'interrupted', error = $2, "finishedAt" = now() WHERE id = $1`, [
              id,
              interruptedMessage(b),
            ]);
            await insertAudit(
              client,
              auditRow(
                system(),
                {
                  type: "ingest.batch",
                  batchId: id,
                  fileName: b.fileName,
                  via: b.via,
                  read: b.read,
                  stored: b.stored,
                  duplicate: b.duplicate,
                  quarantined: b.quarantined,
                  interrupted: true,
                },
                "ingest_batch",
                id,
              ),
            );
            marked.push({ id, fileName: b.fileName, read: b.read, stored: b.stored, duplicate: b.duplicate, quarantined: b.quarantined });
          },
          { client },
        );
      } finally {
        await client.query("SELECT pg_advisory_unlock($1, hashtext($2))", [BATCH_LOCK_SPACE, id]);
      }
    }
  } finally {
    client.release();
  }
  return marked;
}
