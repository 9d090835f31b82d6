import type { KeyObject } from "node:crypto";
import { pool } from "@/lib/db";
import { sql, where } from "@/lib/db/sql";
import { verifyCheckpointSignature } from "./checkpoint-note";
import { CHECKPOINT_COLUMNS, toCheckpoint, type CheckpointDbRow, type LedgerCheckpoint } from "./checkpoint-row";
import { MerkleFrontier, consistencyProofRanges, leafHash, sha256, verifyConsistency } from "./merkle";
import { loadSigningKey, publicKeyFromPem } from "./signing-key";

// Recomputes the whole ledger from the rows themselves (no cached hash is trusted) and checks it against every
// signed checkpoint. Rows are streamed in leafIndex order, a chunk at a time by keyset, into a Merkle frontier
// of O(log n) hashes, so memory does not grow with the ledger; the only per-checkpoint state is the handful of
// subtree hashes each root and consistency proof needs, captured as the stream passes them.
//
// Errors come in ledger order: records first (by leaf index), then checkpoints (by id), so the first error
// names the first bad record, or the first bad checkpoint when every record is sound.

type LedgerErrorKind =
  | "leaf-index-gap"
  | "leaf-index-duplicate"
  | "leaf-order"
  | "content-hash-mismatch"
  | "leaf-hash-mismatch"
  | "purge-inconsistent"
  | "checkpoint-key-missing"
  | "checkpoint-key-mismatch"
  | "checkpoint-signature-invalid"
  | "checkpoint-beyond-ledger"
  | "checkpoint-root-mismatch"
  | "checkpoint-size-decreased"
  | "checkpoint-inconsistent"
  | "subtree-hash-mismatch";

type LedgerError = {
  kind: LedgerErrorKind;
  rawRecordId?: string;
  leafIndex?: number;
  checkpointId?: string;
  message: string;
};

export type LedgerReport = {
  ok: boolean;
  leaves: number;
  purged: number;
  checkpoints: number;
  /** The fingerprint of the key checkpoints were checked against (null when none was available). */
  keyFingerprint: string | null;
  latestCheckpoint: { id: string; treeSize: number; createdAt: string } | null;
  errors: LedgerError[];
  /** Errors found beyond maxErrors (not listed). */
  omittedErrors: number;
  durationMs: number;
};

export type VerifyLedgerOptions = {
  /** Check signatures against this public key (SPKI PEM) instead of the configured signing key. */
  publicKeyPem?: string;
  /** Rows fetched per query. */
  chunkSize?: number;
  maxErrors?: number;
};

type Row = {
  id: string;
  leafIndex: string;
  contentHash: Buffer;
  leafHash: Buffer;
  payload: Buffer | null;
  purged: boolean;
};

const same = (a: Buffer, b: Buffer) => a.length === b.length && a.equals(b);

export async function verifyLedger({
  publicKeyPem,
  chunkSize = 10_000,
  maxErrors = 1000,
}: VerifyLedgerOptions = {}): Promise<LedgerReport> {
  const started = performance.now();
  const errors: LedgerError[] = [];
  let omittedErrors = 0;
  const fail = (e: LedgerError) => {
    if (errors.length < maxErrors) errors.push(e);
    else omittedErrors++;
  };

  const key: { publicKey: KeyObject; fingerprint: string } | null = publicKeyPem ? publicKeyFromPem(publicKeyPem) : loadSigningKey();

  const cps = (await pool().query<CheckpointDbRow>(`SELECT ${CHECKPOINT_COLUMNS} FROM ledger_checkpoint c ORDER BY c.id`)).rows.map(
    toCheckpoint,
  );

  // What to capture while streaming: each checkpoint's root, and the subtrees of the consistency proof from
  // each checkpoint to the next. Complete subtrees are caught as they form, partial ones at their last leaf.
  const wantComplete = new Map<string, Buffer | null>();
  const wantPartial = new Map<number, Map<number, Buffer | null>>();
  const want = (a: number, b: number) => {
    if (Number.isInteger(Math.log2(b - a))) wantComplete.set(`${a}:${b}`, null);
    else {
      let atEnd = wantPartial.get(b);
      if (!atEnd) wantPartial.set(b, (atEnd = new Map()));
      atEnd.set(a, null);
    }
  };
  const captured = (a: number, b: number): Buffer | null | undefined =>
    a === b ? sha256(Buffer.alloc(0)) : Number.isInteger(Math.log2(b - a)) ? wantComplete.get(`${a}:${b}`) : wantPartial.get(b)?.get(a);
  cps.forEach((cp, i) => {
    if (cp.treeSize > 0) want(0, cp.treeSize);
    const prev = cps[i - 1];
    if (prev && prev.treeSize > 0 && prev.treeSize < cp.treeSize) {
      for (const [a, b] of consistencyProofRanges(prev.treeSize, cp.treeSize)) want(a, b);
    }
  });

  // The stored subtree hashes (ledger_subtree, which checkpoints and proofs are built from): each must equal the
  // hash recomputed here as the subtree forms.
  type StoredSubtree = { start: number; level: number; hash: Buffer };
  const storedSubtrees = new Map<string, StoredSubtree>();
  for (const row of (
    await pool().query<{ level: number; start: string; hash: Buffer }>(`SELECT level, start::text AS start, hash FROM ledger_subtree`)
  ).rows) {
    const start = Number(row.start);
    storedSubtrees.set(`${start}:${start + 2 ** row.level}`, { start, level: row.level, hash: row.hash });
  }
  const subtreeFail = ({ start, level }: StoredSubtree, why: string) =>
    fail({
      kind: "subtree-hash-mismatch",
      leafIndex: start,
      message: `ledger_subtree row (level ${level}, start ${start}) for leaves ${start}..${start + 2 ** level - 1}: ${why}`,
    });

  const frontier = new MerkleFrontier();
  frontier.onSubtree = (start, size, hash) => {
    const k = `${start}:${start + size}`;
    if (wantComplete.has(k)) wantComplete.set(k, hash);
    const stored = storedSubtrees.size > 0 ? storedSubtrees.get(k) : undefined;
    if (stored) {
      storedSubtrees.delete(k);
      if (!same(stored.hash, hash))
        subtreeFail(
          stored,
          `the stored hash ${stored.hash.toString("hex")} differs from the one recomputed from the records (${hash.toString("hex")})`,
        );
    }
  };

  // Reordering check: leafIndex and id are both assigned in append order under one lock, so ids must ascend
  // with the leaf index. With one row of lookahead, a row out of place is told apart from its innocent
  // neighbours: it is either lower than the last row known to be in place, or higher than a successor that
  // itself fits after that row.
  let lastInPlaceId = -1n;
  const checkOrder = (cur: Row, next: Row | null) => {
    const id = BigInt(cur.id);
    const tooLow = id <= lastInPlaceId;
    const tooHigh = next !== null && BigInt(next.id) < id && BigInt(next.id) > lastInPlaceId;
    if (tooLow || tooHigh) {
      fail({
        kind: "leaf-order",
        rawRecordId: cur.id,
        leafIndex: Number(cur.leafIndex),
        message: `raw record ${cur.id} sits at leaf ${cur.leafIndex}, out of append order: leaf indices were rewritten (records reordered)`,
      });
    } else lastInPlaceId = id;
  };

  let expected = 0;
  let leaves = 0;
  let purged = 0;
  let prevRow: Row | null = null;
  let pending: Row | null = null; // waits one row for the order check
  let after: string | null = null;

  for (;;) {
    // Keyset on the unique leafIndex index: each chunk is an index range scan, never a sort of the table.
    const r: { rows: Row[] } = await pool().query<Row>(
      // (Qualified: a bare "leafIndex" in ORDER BY would mean the text output column and sort as text.)
      sql`SELECT r.id::text AS id, r."leafIndex"::text AS "leafIndex", r."contentHash", r."leafHash", r.payload, r."purgedAt" IS NOT NULL AS purged
         FROM raw_record r
        ${where(after !== null && sql`r."leafIndex" > ${after}::bigint`)}
        ORDER BY r."leafIndex" LIMIT ${chunkSize}`,
    );
    for (const row of r.rows) {
      const index = Number(row.leafIndex);
      if (index > expected) {
        // Ids ascend with leaf indices, so when exactly as many ids as leaves are missing between the neighbours,
        // those ids are the deleted records.
        const missing = index - expected;
        const idGap = prevRow ? BigInt(row.id) - BigInt(prevRow.id) - 1n : BigInt(row.id) - 1n;
        const deletedId = missing === 1 && idGap === 1n ? String(BigInt(row.id) - 1n) : undefined;
        fail({
          kind: "leaf-index-gap",
          rawRecordId: deletedId,
          leafIndex: expected,
          message:
            `leaf ${expected}${missing > 1 ? `..${index - 1}` : ""} is missing (a deleted record` +
            (deletedId ? `, raw record ${deletedId}` : "") +
            `): the ledger jumps from ${prevRow ? `raw record ${prevRow.id} at leaf ${prevRow.leafIndex}` : "its start"} to raw record ${row.id} at leaf ${index}`,
        });
      } else if (index < expected) {
        fail({
          kind: "leaf-index-duplicate",
          rawRecordId: row.id,
          leafIndex: index,
          message: `raw record ${row.id} has leaf index ${index}, out of sequence (expected ${expected} or more)`,
        });
      }
      expected = index + 1;

      if (row.payload) {
        if (row.purged) {
          fail({
            kind: "purge-inconsistent",
            rawRecordId: row.id,
            leafIndex: index,
            message: `raw record ${row.id} is marked purged but still has a payload`,
          });
        }
        if (!same(sha256(row.payload), row.contentHash)) {
          fail({
            kind: "content-hash-mismatch",
            rawRecordId: row.id,
            leafIndex: index,
            message: `raw record ${row.id} (leaf ${index}): the payload does not match its content hash (payload or hash altered)`,
          });
        } else if (!same(leafHash(row.payload), row.leafHash)) {
          fail({
            kind: "leaf-hash-mismatch",
            rawRecordId: row.id,
            leafIndex: index,
            message: `raw record ${row.id} (leaf ${index}): the leaf hash is not SHA-256(0x00 || payload) (leaf hash altered)`,
          });
        }
      } else if (!row.purged) {
        fail({
          kind: "purge-inconsistent",
          rawRecordId: row.id,
          leafIndex: index,
          message: `raw record ${row.id} (leaf ${index}) has no payload but was never purged`,
        });
      } else purged++;
      if (row.leafHash.length !== 32) {
        fail({
          kind: "leaf-hash-mismatch",
          rawRecordId: row.id,
          leafIndex: index,
          message: `raw record ${row.id}: the leaf hash is not 32 bytes`,
        });
      }

      if (pending) checkOrder(pending, row);
      pending = row;
      prevRow = row;

      // A purged record keeps its leaf hash, so it stays in the tree like any other leaf.
      frontier.push(row.leafHash.length === 32 ? row.leafHash : sha256(row.leafHash));
      leaves++;
      const partial = wantPartial.get(leaves);
      if (partial) for (const a of partial.keys()) partial.set(a, frontier.rangeHash(a));
    }
    if (r.rows.length < chunkSize) break;
    after = r.rows[r.rows.length - 1].leafIndex;
  }
  if (pending) checkOrder(pending, null);
  // Rows the keyset walk cannot see (a repeated leaf index, possible only with the unique index dropped).
  const total = Number((await pool().query<{ n: string }>(`SELECT count(*)::text AS n FROM raw_record`)).rows[0].n);
  if (total !== leaves) {
    fail({
      kind: "leaf-index-duplicate",
      message: `raw_record holds ${total} rows but only ${leaves} distinct leaf indices: ${total - leaves} rows share a leaf index with another`,
    });
  }

  // Stored subtrees no complete subtree of the records matched (beyond the ledger, or not aligned).
  for (const row of storedSubtrees.values())
    subtreeFail(row, "no such subtree of the records exists (records removed, or the row was forged)");

  // Checkpoints, in creation order.
  if (!key && cps.length > 0) {
    fail({
      kind: "checkpoint-key-missing",
      checkpointId: cps[0].id,
      message: "no ledger signing key is configured or on disk, so no checkpoint signature can be checked",
    });
  }
  const failedCheckpoints = new Set<string>();
  const cpFail = (cp: LedgerCheckpoint, kind: LedgerErrorKind, message: string) => {
    failedCheckpoints.add(cp.id);
    fail({ kind, checkpointId: cp.id, message: `checkpoint ${cp.id} (tree size ${cp.treeSize}): ${message}` });
  };
  cps.forEach((cp, i) => {
    if (key) {
      if (cp.keyFingerprint !== key.fingerprint) {
        const verifies = verifyCheckpointSignature(cp, key.publicKey);
        cpFail(
          cp,
          "checkpoint-key-mismatch",
          `signed by key ${cp.keyFingerprint}, but the ledger key is ${key.fingerprint}` +
            (verifies ? " (the signature does verify with the ledger key: only the recorded fingerprint is wrong)" : ""),
        );
      } else if (!verifyCheckpointSignature(cp, key.publicKey)) {
        cpFail(cp, "checkpoint-signature-invalid", `the signature does not verify with the ledger key ${key.fingerprint}`);
      }
    }
    if (cp.treeSize > leaves) {
      cpFail(cp, "checkpoint-beyond-ledger", `covers ${cp.treeSize} leaves but the ledger has only ${leaves}: records were removed`);
    } else {
      const root = captured(0, cp.treeSize);
      if (!root || !same(root, cp.rootHash)) {
        cpFail(
          cp,
          "checkpoint-root-mismatch",
          `the root hash ${cp.rootHash.toString("hex")} differs from the one recomputed from the records (${root?.toString("hex") ?? "n/a"})`,
        );
      }
    }
    const prev = cps[i - 1];
    if (!prev) return;
    if (cp.treeSize < prev.treeSize) {
      cpFail(cp, "checkpoint-size-decreased", `is smaller than the previous checkpoint ${prev.id} (tree size ${prev.treeSize})`);
      return;
    }
    // A consistency proof built from the recomputed tree, checked against the two *signed* roots. When either
    // checkpoint already failed it proves nothing new, and would only blame its sound neighbour.
    if (failedCheckpoints.has(cp.id) || failedCheckpoints.has(prev.id) || cp.treeSize > leaves) return;
    const proof = consistencyProofRanges(prev.treeSize, cp.treeSize).map(([a, b]) => captured(a, b));
    const ok =
      proof.every((p): p is Buffer => Boolean(p)) &&
      verifyConsistency({ firstSize: prev.treeSize, secondSize: cp.treeSize, firstRoot: prev.rootHash, secondRoot: cp.rootHash, proof });
    if (!ok)
      cpFail(
        cp,
        "checkpoint-inconsistent",
        `the consistency proof from checkpoint ${prev.id} (tree size ${prev.treeSize}) does not verify`,
      );
  });

  const latest = cps[cps.length - 1];
  return {
    ok: errors.length === 0 && omittedErrors === 0,
    leaves,
    purged,
    checkpoints: cps.length,
    keyFingerprint: key?.fingerprint ?? null,
    latestCheckpoint: latest ? { id: latest.id, treeSize: latest.treeSize, createdAt: latest.createdAt.toISOString() } : null,
    errors,
    omittedErrors,
    durationMs: Math.round(performance.now() - started),
  };
}
