import { pool } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { CHECKPOINT_COLUMNS, checkpointToJson, toCheckpoint, type CheckpointDbRow, type LedgerCheckpoint } from "./checkpoint-row";
import type { ConsistencyProofInfo } from "./consistency.types";
import { consistencyProofRanges, verifyConsistency, type LeafRange } from "./merkle";
import { computeRangeHashes } from "./range-hashes";

// RFC 9162 consistency proofs (2.1.4) between signed checkpoints: what lets an auditor who kept an earlier
// checkpoint (from an earlier package, or from GET /api/v1/ledger/consistency) check that the ledger only grew
// since: nothing they saw then was rewritten or dropped. The proof from size m to size n depends on the sizes
// only, so one proof per earlier tree size serves any copy of that checkpoint the auditor holds, and a forged
// copy (another root at that size) fails it. Subtree hashes come from the shared cache (range-hashes.ts): all
// proofs of a package are computed in one pass, and each is checked against the two signed roots before it is
// handed out.

export type CheckpointWithConsistency = { checkpoint: LedgerCheckpoint; proof: Buffer[] };

/** Every checkpoint up to and including `to`, each with its consistency proof to `to` (the last one's is empty). */
export async function consistencyFromEveryCheckpoint({ to }: { to: LedgerCheckpoint }): Promise<CheckpointWithConsistency[]> {
  const rows = await pool().query<CheckpointDbRow>(
    `SELECT ${CHECKPOINT_COLUMNS} FROM ledger_checkpoint c WHERE c.seq <= $1 ORDER BY c.seq`,
    [to.seq],
  );
  return proveAll(rows.rows.map(toCheckpoint), to);
}

async function proveAll(earlier: LedgerCheckpoint[], to: LedgerCheckpoint): Promise<CheckpointWithConsistency[]> {
  const rangesOf = new Map<number, LeafRange[]>();
  for (const c of earlier) {
    if (c.treeSize > to.treeSize)
      throw new AppError(
        "INTERNAL",
        `checkpoint #${c.seq} is larger than the later checkpoint #${to.seq}: run \`npm run cli -- ledger verify\`.`,
      );
    if (!rangesOf.has(c.treeSize)) rangesOf.set(c.treeSize, consistencyProofRanges(c.treeSize, to.treeSize));
  }
  const all = [...rangesOf.values()].flat();
  const hashes = all.length ? await computeRangeHashes({ ranges: all }) : new Map<string, Buffer>();
  return earlier.map((checkpoint) => {
    const proof = rangesOf.get(checkpoint.treeSize)!.map(([a, b]) => hashes.get(`${a}:${b}`)!);
    const ok = verifyConsistency({
      firstSize: checkpoint.treeSize,
      secondSize: to.treeSize,
      firstRoot: checkpoint.rootHash,
      secondRoot: to.rootHash,
      proof,
    });
    if (!ok) {
      throw new AppError(
        "INTERNAL",
        `checkpoint #${checkpoint.seq} is not consistent with checkpoint #${to.seq} (the ledger was rewritten): run \`npm run cli -- ledger verify\`.`,
      );
    }
    return { checkpoint, proof };
  });
}

async function checkpointOfSize(treeSize: number | undefined): Promise<LedgerCheckpoint | null> {
  const r = await pool().query<CheckpointDbRow>(
    treeSize === undefined
      ? `SELECT ${CHECKPOINT_COLUMNS} FROM ledger_checkpoint c ORDER BY c.seq DESC LIMIT 1`
      : `SELECT ${CHECKPOINT_COLUMNS} FROM ledger_checkpoint c WHERE c."treeSize" = $1 ORDER BY c.seq LIMIT 1`,
    treeSize === undefined ? [] : [treeSize],
  );
  return r.rows[0] ? toCheckpoint(r.rows[0]) : null;
}

/** The consistency proof between the checkpoints of tree sizes `from` and `to` (default: the latest checkpoint). */
export async function getConsistencyProof({ from, to }: { from: number; to?: number }): Promise<ConsistencyProofInfo> {
  const later = await checkpointOfSize(to);
  if (!later)
    throw new AppError("NOT_FOUND", to === undefined ? "The ledger has no checkpoint yet." : `No checkpoint has tree size ${to}.`);
  if (from > later.treeSize) {
    throw new AppError(
      "VALIDATION",
      `from (${from}) is larger than to (${later.treeSize}): a consistency proof goes from an earlier checkpoint to a later one.`,
    );
  }
  const earlier = await checkpointOfSize(from);
  if (!earlier) throw new AppError("NOT_FOUND", `No checkpoint has tree size ${from}: give the tree size of a checkpoint you hold.`);
  const [{ proof }] = await proveAll([earlier], later);
  return {
    fromSize: earlier.treeSize,
    toSize: later.treeSize,
    from: checkpointToJson(earlier),
    to: checkpointToJson(later),
    proof: proof.map((h) => h.toString("hex")),
  };
}
