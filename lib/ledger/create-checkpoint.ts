import type { PoolClient } from "pg";
import { withTransaction } from "@/lib/db/transaction";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { BATCH_COLUMNS, toBatch, verifyAppendBatchSignature, type BatchDbRow } from "./append-batch";
import { CURRENT_NOTE_VERSION, checkpointNoteHash, signCheckpoint } from "./checkpoint-note";
import { appendToCheckpointLog, checkpointLogPath, lastLoggedCheckpoint, publishedSignatureValid, sendToWitness } from "./checkpoint-log";
import { CHECKPOINT_COLUMNS, checkpointToJson, toCheckpoint, type CheckpointDbRow, type LedgerCheckpoint } from "./checkpoint-row";
import { EMPTY_TREE_HASH } from "./merkle";
import { listCheckpoints } from "./list-checkpoints";
import { computeRangeHashes, currentTreeSize } from "./range-hashes";
import { buildKeyRing, loadKeyRows, type KeyRing } from "./ledger-keys";
import { CHECKPOINT_LOCK } from "./locks";
import { loadOrCreateSigningKey, type SigningKey } from "./signing-key";

// A signed tree head over every leaf appended so far. Called after each ingest batch; a call that finds the tree
// unchanged since the last checkpoint returns that one, so callers need not track whether anything was stored.
// Pending audit entries are flushed into the ledger first (onBeforeCheckpoint below).
//
// Before it signs, it refuses two states a privileged database user can create (docs/ledger-threat-model.md):
//   - leaves beyond the last checkpoint that no signed append batch covers (rows written behind the append
//     path's back): signing them would give a forged record a valid checkpoint and inclusion proofs;
//   - a database behind the published checkpoint log (rolled back): signing would paper over the rollback.
// After it commits, the new checkpoint (and any the log missed) is appended to the log and sent to the witness.

// Checkpoints take turns (CHECKPOINT_LOCK: a second caller would otherwise sign the same size twice). Distinct from
// the append lock: appends go on while a checkpoint is computed, and the size is fixed before hashing starts.

export type CreatedCheckpoint = LedgerCheckpoint & { created: boolean };

// Writes that must reach the ledger before a checkpoint is signed over it. lib/audit registers the flush of the
// dashboard's audit trail here (lib/audit depends on lib/ledger, never the reverse, so the ledger cannot call it
// directly; every caller that records audit entries has loaded lib/audit). A failing hook is logged, not thrown:
// the checkpoint still covers every leaf appended so far, and what the flush missed is covered by the next one.
const beforeCheckpoint = new Set<() => Promise<unknown>>();

/** Registers `hook` to run before every checkpoint is signed; returns a function that removes it. */
export function onBeforeCheckpoint(hook: () => Promise<unknown>): () => void {
  beforeCheckpoint.add(hook);
  return () => void beforeCheckpoint.delete(hook);
}

async function runBeforeCheckpoint(): Promise<void> {
  for (const hook of beforeCheckpoint) {
    try {
      await hook();
    } catch (err) {
      console.error(
        `[ledger] a flush before the checkpoint failed; signing anyway (the next checkpoint covers what it missed): ${(err as Error).message}`,
      );
    }
  }
}

const VERIFY_HINT = "Run `npm run cli -- ledger verify` to see what was changed.";

export async function createCheckpoint({ key }: { key?: SigningKey } = {}): Promise<CreatedCheckpoint> {
  await runBeforeCheckpoint();
  const log = checkpointLogPath();
  const result = await withTransaction(
    async (client): Promise<CreatedCheckpoint> => {
      // Read under the lock: a key rotation replaces the key while holding it.
      const signingKey = key ?? (await loadOrCreateSigningKey());
      const ring = buildKeyRing(await loadKeyRows(client), signingKey);
      const last = await client.query<CheckpointDbRow>(`SELECT ${CHECKPOINT_COLUMNS} FROM ledger_checkpoint c ORDER BY c.seq DESC LIMIT 1`);
      const previous = last.rows[0] ? toCheckpoint(last.rows[0]) : null;
      const treeSize = await currentTreeSize({ client });
      if (previous && previous.treeSize === treeSize) return { ...previous, created: false };
      if (previous && previous.treeSize > treeSize) {
        throw new AppError(
          "INTERNAL",
          `the ledger has ${treeSize} leaves but checkpoint #${previous.seq} covers ${previous.treeSize}: rows were removed. ${VERIFY_HINT}`,
        );
      }
      if (ring.problems.length) throw new AppError("INTERNAL", `refusing to sign a checkpoint: ${ring.problems[0]}. ${VERIFY_HINT}`);
      if (log) await refuseIfBehindLog(client, log, previous, ring);
      const batches = await checkNewLeavesBatched(client, previous, treeSize, ring);
      // The leaves below treeSize are committed and immutable, so hashing them on other connections is safe.
      const rootHash = treeSize === 0 ? EMPTY_TREE_HASH : (await computeRangeHashes({ ranges: [[0, treeSize]] })).get(`0:${treeSize}`)!;
      const fields = {
        noteVersion: CURRENT_NOTE_VERSION,
        seq: previous ? previous.seq + 1 : 1,
        treeSize,
        rootHash,
        createdAt: new Date(),
        previousHash: previous ? checkpointNoteHash(previous) : null,
        batches,
        keyFingerprint: signingKey.fingerprint,
      };
      const signature = signCheckpoint(fields, signingKey.privateKey);
      const inserted = await client.query<CheckpointDbRow>(
        `INSERT INTO ledger_checkpoint AS c (seq, "noteVersion", "treeSize", "rootHash", "createdAt", "previousHash", batches, signature, "keyFingerprint")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${CHECKPOINT_COLUMNS}`,
        [
          fields.seq,
          CURRENT_NOTE_VERSION,
          treeSize,
          rootHash,
          fields.createdAt,
          fields.previousHash,
          batches,
          signature,
          signingKey.fingerprint,
        ],
      );
      return { ...toCheckpoint(inserted.rows[0]), created: true };
    },
    { lock: CHECKPOINT_LOCK },
  );
  if (result.created) await publishCheckpoints(result);
  return result;
}

/**
 * The number of append batches the tree of `treeSize` leaves holds, after checking that every leaf beyond the
 * previous checkpoint lies in a batch whose signature verifies, batch after batch with no gap. Leaves below the
 * first batch predate append batches (written by an earlier version) and are accepted as such.
 */
async function checkNewLeavesBatched(
  client: PoolClient,
  previous: LedgerCheckpoint | null,
  treeSize: number,
  ring: KeyRing,
): Promise<number> {
  const from = previous?.treeSize ?? 0;
  // Batch 1 (where the leaves that predate batches end), the last batch before `from` (how many there are so far)
  // and every batch after it up to treeSize (one committed after treeSize was read is not this checkpoint's).
  const rows = await client.query<BatchDbRow>(
    `SELECT ${BATCH_COLUMNS} FROM ledger_batch b
      WHERE (b.seq = 1 OR b."firstLeaf" + b.count > $1 OR b.seq = (SELECT MAX(seq) FROM ledger_batch WHERE "firstLeaf" + count <= $1))
        AND b."firstLeaf" + b.count <= $2
      ORDER BY b.seq`,
    [from, treeSize],
  );
  const batches = rows.rows.map(toBatch);
  const refuse = (why: string) => new AppError("INTERNAL", `refusing to sign a checkpoint: ${why}. ${VERIFY_HINT}`);
  if (batches.length === 0) {
    if (previous?.batches) throw refuse(`checkpoint #${previous.seq} holds ${previous.batches} append batches, the database none`);
    return 0; // every leaf predates append batches
  }
  if (batches[0].seq !== 1) throw refuse("append batch #1 is missing");
  let pos = Math.max(from, batches[0].firstLeaf);
  let count = 0;
  for (const b of batches) {
    if (b.firstLeaf + b.count <= from) {
      count = b.seq;
      continue;
    }
    if (b.seq !== count + 1) throw refuse(`append batch #${count + 1} is missing`);
    if (b.firstLeaf > pos) {
      throw refuse(`leaves ${pos}..${b.firstLeaf - 1} belong to no signed append batch (rows written behind the append path's back)`);
    }
    const key = ring.signsBatch(b.keyFingerprint, b.afterCheckpoint);
    if (!key || !verifyAppendBatchSignature(b, key.publicKey)) {
      throw refuse(`append batch #${b.seq} (leaves ${b.firstLeaf}..${b.firstLeaf + b.count - 1}) is not signed by the ledger key`);
    }
    pos = Math.max(pos, b.firstLeaf + b.count);
    count = b.seq;
  }
  if (pos < treeSize) {
    const r = await client.query<{ id: string }>(`SELECT id::text AS id FROM raw_record WHERE "leafIndex" = $1`, [pos]);
    throw refuse(
      `raw record ${r.rows[0]?.id ?? "?"} at leaf ${pos}${treeSize - pos > 1 ? ` (and ${treeSize - pos - 1} after it)` : ""} ` +
        "belongs to no signed append batch: it was not written by the append path",
    );
  }
  if (previous?.batches && count < previous.batches) throw refuse(`checkpoint #${previous.seq} holds ${previous.batches} append batches`);
  return count;
}

/** Refuses when the published log holds a checkpoint the database does not (a rolled-back or rewritten ledger). */
async function refuseIfBehindLog(client: PoolClient, log: string, previous: LedgerCheckpoint | null, ring: KeyRing): Promise<void> {
  let logged;
  try {
    logged = lastLoggedCheckpoint(log);
  } catch (err) {
    throw new AppError("INTERNAL", `refusing to sign a checkpoint: ${(err as Error).message}`);
  }
  const key = logged ? ring.forCheckpoint(logged.seq) : undefined;
  if (!logged || !key || !publishedSignatureValid(logged, key.publicKey)) {
    if (logged) console.error(`[ledger] the last line of the checkpoint log ${log} is not signed by the ledger key; ignored`);
    return;
  }
  const same = logged.seq <= (previous?.seq ?? 0) ? await checkpointBySeq(client, logged.seq) : null;
  if (same && same.rootHash.toString("hex") === logged.rootHash && same.treeSize === logged.treeSize) return;
  throw new AppError(
    "INTERNAL",
    `refusing to sign a checkpoint: the checkpoint log ${log} holds checkpoint #${logged.seq} (tree size ${logged.treeSize}), ` +
      (same ? "which differs from the database's" : `but the database's latest is #${previous?.seq ?? "(none)"}`) +
      `: the ledger was rolled back or rewritten. Run \`npm run cli -- ledger verify --against ${log}\`. If the database was reset on ` +
      "purpose, move the old log aside (it documents the old ledger).",
  );
}

async function checkpointBySeq(client: PoolClient, seq: number): Promise<LedgerCheckpoint | null> {
  const r = await client.query<CheckpointDbRow>(`SELECT ${CHECKPOINT_COLUMNS} FROM ledger_checkpoint c WHERE c.seq = $1`, [seq]);
  return r.rows[0] ? toCheckpoint(r.rows[0]) : null;
}

/**
 * Appends to the checkpoint log every checkpoint it does not hold yet (normally just the new one; also those a
 * crash between commit and write left out), then sends them to the witness URL. Failures are logged: the
 * checkpoint itself is committed, and the next call catches up.
 */
async function publishCheckpoints(created: LedgerCheckpoint): Promise<void> {
  const log = checkpointLogPath();
  const witness = env().SESSIONPROOF_CHECKPOINT_WITNESS_URL;
  let fresh = [checkpointToJson(created)];
  if (log) {
    try {
      // Under the checkpoint lock: two processes never append the same checkpoint twice.
      fresh = await withTransaction(
        async () => {
          const cps = await listCheckpoints({ since: lastLoggedCheckpoint(log)?.seq ?? 0 });
          appendToCheckpointLog(log, cps);
          return cps;
        },
        { lock: CHECKPOINT_LOCK },
      );
    } catch (err) {
      console.error(`[ledger] could not append to the checkpoint log ${log}: ${(err as Error).message}`);
    }
  }
  if (witness && fresh.length) {
    await sendToWitness(witness, fresh).catch((err: Error) => console.error(`[ledger] checkpoint witness: ${err.message}`));
  }
}
