import { withTransaction } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { signCheckpoint } from "./checkpoint-note";
import { CHECKPOINT_COLUMNS, toCheckpoint, type CheckpointDbRow, type LedgerCheckpoint } from "./checkpoint-row";
import { EMPTY_TREE_HASH } from "./merkle";
import { computeRangeHashes, currentTreeSize } from "./range-hashes";
import { loadOrCreateSigningKey, type SigningKey } from "./signing-key";

// A signed tree head over every leaf appended so far. Called after each ingest batch; a call that finds the tree
// unchanged since the last checkpoint returns that one, so callers need not track whether anything was stored.
// Pending audit entries are flushed into the ledger first (onBeforeCheckpoint below).

// Checkpoints take turns (a second caller would otherwise sign the same size twice). Distinct from the append
// lock: appends go on while a checkpoint is computed, and the size is fixed before hashing starts.
const CHECKPOINT_LOCK = 7_265_101_002;

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

export async function createCheckpoint({ key }: { key?: SigningKey } = {}): Promise<CreatedCheckpoint> {
  const signingKey = key ?? (await loadOrCreateSigningKey());
  await runBeforeCheckpoint();
  return withTransaction(
    async (client) => {
      const last = await client.query<CheckpointDbRow>(`SELECT ${CHECKPOINT_COLUMNS} FROM ledger_checkpoint c ORDER BY c.id DESC LIMIT 1`);
      const previous = last.rows[0] ? toCheckpoint(last.rows[0]) : null;
      const treeSize = await currentTreeSize({ client });
      if (previous && previous.treeSize === treeSize) return { ...previous, created: false };
      if (previous && previous.treeSize > treeSize) {
        throw new AppError(
          "INTERNAL",
          `the ledger has ${treeSize} leaves but checkpoint ${previous.id} covers ${previous.treeSize}: rows were removed. Run \`npm run cli -- ledger verify\`.`,
        );
      }
      // The leaves below treeSize are committed and immutable, so hashing them on other connections is safe.
      const rootHash = treeSize === 0 ? EMPTY_TREE_HASH : (await computeRangeHashes({ ranges: [[0, treeSize]] })).get(`0:${treeSize}`)!;
      const createdAt = new Date();
      const signature = signCheckpoint({ treeSize, rootHash, createdAt }, signingKey.privateKey);
      const inserted = await client.query<CheckpointDbRow>(
        `INSERT INTO ledger_checkpoint AS c ("treeSize", "rootHash", "createdAt", signature, "keyFingerprint")
         VALUES ($1, $2, $3, $4, $5) RETURNING ${CHECKPOINT_COLUMNS}`,
        [treeSize, rootHash, createdAt, signature, signingKey.fingerprint],
      );
      return { ...toCheckpoint(inserted.rows[0]), created: true };
    },
    { lock: CHECKPOINT_LOCK },
  );
}
