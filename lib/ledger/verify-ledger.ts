import { pool } from "@/lib/db";
import { sql, where } from "@/lib/db/sql";
import {
  BATCH_COLUMNS,
  NO_EVENTS_HASH,
  entriesTree,
  entryAt,
  toBatch,
  verifyAppendBatchSignature,
  type BatchDbRow,
  type LedgerBatch,
} from "./append-batch";
import { checkpointNoteHash, verifyCheckpointSignature } from "./checkpoint-note";
import { publishedSignatureValid, readCheckpointLog, type PublishedCheckpoints } from "./checkpoint-log";
import { CHECKPOINT_COLUMNS, toCheckpoint, type CheckpointDbRow, type LedgerCheckpoint } from "./checkpoint-row";
import { registeredLedgerChecks, type LedgerError, type LedgerErrorKind } from "./ledger-error";
import { MerkleFrontier, consistencyProofRanges, leafHash, sha256, verifyConsistency } from "./merkle";
import { loadKeyRing, type KeyRing } from "./ledger-keys";
import { checkRecordEvents, loadRecordEvents, orphanEvents } from "./verify-events";

export type { LedgerError, LedgerErrorKind } from "./ledger-error";

// Recomputes the whole ledger from the rows themselves (no cached hash is trusted) and checks it against every
// signed checkpoint and every signed append batch. Rows are streamed in leafIndex order, a chunk at a time by
// keyset, into a Merkle frontier of O(log n) hashes, so memory does not grow with the ledger; the only
// per-checkpoint state is the handful of subtree hashes each root and consistency proof needs, captured as the
// stream passes them, and one append batch's entries at a time.
//
// What each check stops is in docs/ledger-threat-model.md. In short, per record: its payload against its hashes,
// its leaf hash against the one its signed append batch recorded (a record replaced together with both hashes is
// named), its normalized events against their hashes, their columns against their data, and their content against
// the events hash the batch signed; a leaf no signed batch covers was written behind the append path's back. Then
// the batches (signed, numbered without gaps), the checkpoints (signed, numbered without gaps, each naming its
// predecessor, consistent with the next, none missing that a later batch saw), optionally the checkpoints
// published outside the database (`against`: a rollback of the whole database shows only there), and the checks
// other modules register (the audit trail's, from lib/audit).
//
// Errors come in ledger order: records first (by leaf index, each record's events with it), then batches,
// checkpoints, published checkpoints and the registered checks, so the first error names the first bad record,
// or the first bad checkpoint when every record is sound.

export type LedgerReport = {
  ok: boolean;
  leaves: number;
  purged: number;
  checkpoints: number;
  /** Signed append batches. */
  batches: number;
  /** Leaves written before append batches existed (an earlier version): no batch to check them against. */
  unbatchedLegacy: number;
  /** Events checked. */
  events: number;
  /** Records after the latest checkpoint, whose events may still be being written (not counted as missing). */
  eventsPending: number;
  /** The fingerprint of the ledger's newest key, which later checkpoints are checked against (null when none was available). */
  keyFingerprint: string | null;
  /** Every key of the ledger (more than one after a rotation), oldest first, with the checkpoints it signs. */
  keys: { seq: number; keyId: string; fingerprint: string; afterCheckpoint: number; untilCheckpoint: number | null }[];
  latestCheckpoint: { id: string; seq: number; treeSize: number; createdAt: string } | null;
  /** Leaves after the latest checkpoint: no signature covers them yet (the next checkpoint will). */
  unsigned: { fromLeaf: number; leaves: number } | null;
  /** The checkpoints compared from outside the database (verify --against). */
  published: { file: string; checkpoints: number; latestSeq: number | null } | null;
  errors: LedgerError[];
  /** Errors found beyond maxErrors (not listed). */
  omittedErrors: number;
  durationMs: number;
};

export type VerifyLedgerOptions = {
  /** Check signatures against this public key (SPKI PEM) instead of the configured signing key (after a rotation: the
   * newest key, which the rotation statements lead to). */
  publicKeyPem?: string;
  /** A checkpoint log (or `ledger checkpoints` output) kept outside the database, to compare with. */
  against?: string;
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
  against,
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
  // Problems found before the records are streamed, reported after them (ledger order).
  const later: LedgerError[] = [];

  const ring = await loadKeyRing({ publicKeyPem });
  for (const problem of ring.problems) later.push({ kind: "key-chain-invalid", message: problem });

  const cps = (await pool().query<CheckpointDbRow>(`SELECT ${CHECKPOINT_COLUMNS} FROM ledger_checkpoint c ORDER BY c.seq`)).rows.map(
    toCheckpoint,
  );
  const published = against ? readCheckpointLog(against) : null;
  const latestSize = cps.length ? cps[cps.length - 1].treeSize : 0;

  // What to capture while streaming: each checkpoint's root (the published ones' too), and the subtrees of the
  // consistency proof from each checkpoint to the next. Complete subtrees are caught as they form, partial ones
  // at their last leaf.
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
  for (const p of published?.checkpoints ?? []) if (p.treeSize > 0) want(0, p.treeSize);

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

  const batches = new BatchCursor(await loadBatches(), ring, cps, later);

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
  let events = 0;
  let eventsPending = 0;
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
    const chunkEvents = await loadRecordEvents(r.rows.map((row) => row.id));
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

      // The record against its signed append batch, and its events.
      const entry = await batches.entryFor(index);
      const recordEvents = chunkEvents.get(row.id) ?? [];
      events += recordEvents.length;
      const contentEventsHash = checkRecordEvents(recordEvents, index, entry !== "legacy", fail);
      if (entry === null) {
        fail({
          kind: "leaf-unbatched",
          rawRecordId: row.id,
          leafIndex: index,
          message: `raw record ${row.id} (leaf ${index}) belongs to no signed append batch: it was not written by the append path (a row inserted behind the application's back)`,
        });
      } else if (entry !== "legacy" && entry !== "unchecked") {
        if (!same(entry.leafHash, row.leafHash)) {
          fail({
            kind: "batch-leaf-mismatch",
            rawRecordId: row.id,
            leafIndex: index,
            batchSeq: entry.batch,
            message: `raw record ${row.id} (leaf ${index}): its leaf hash differs from the one append batch #${entry.batch} signed when it was written (the record was replaced, or moved)`,
          });
        }
        if (!same(contentEventsHash, entry.eventsHash)) {
          if (recordEvents.length === 0 && index >= latestSize) eventsPending++;
          else {
            fail({
              kind: "event-binding-mismatch",
              rawRecordId: row.id,
              leafIndex: index,
              eventId: recordEvents.length === 1 ? recordEvents[0].id : undefined,
              batchSeq: entry.batch,
              message:
                `raw record ${row.id} (leaf ${index}): its normalized events ` +
                (recordEvents.length ? `(${recordEvents.map((e) => `event ${e.id}`).join(", ")}) ` : "(none now) ") +
                `differ from those append batch #${entry.batch} signed at ingest (${entry.eventsHash.equals(NO_EVENTS_HASH) ? "none" : "edited, added or removed"})`,
            });
          }
        }
      } else if (entry === "legacy") batches.legacy++;

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
  for (const e of await orphanEvents(100)) {
    fail({
      kind: "event-orphan",
      eventId: e.id,
      rawRecordId: e.rawRecordId,
      message: `event ${e.id} cites raw record ${e.rawRecordId}, which the ledger does not hold (the record was deleted, or the event forged)`,
    });
  }

  // Stored subtrees no complete subtree of the records matched (beyond the ledger, or not aligned).
  for (const row of storedSubtrees.values())
    subtreeFail(row, "no such subtree of the records exists (records removed, or the row was forged)");

  batches.finish(leaves);
  for (const e of later) fail(e);

  checkCheckpoints({ cps, ring, leaves, captured, maxAfterCheckpoint: batches.maxAfterCheckpoint, fail });
  if (published) checkPublished({ published, cps, ring, leaves, captured, fail });

  for (const check of registeredLedgerChecks()) await check(fail);

  const latest = cps[cps.length - 1];
  return {
    ok: errors.length === 0 && omittedErrors === 0,
    leaves,
    purged,
    checkpoints: cps.length,
    batches: batches.count,
    unbatchedLegacy: batches.legacy,
    events,
    eventsPending,
    keyFingerprint: ring.newest?.fingerprint ?? null,
    keys: ring.keys.map((k) => ({
      seq: k.seq,
      keyId: k.keyId,
      fingerprint: k.fingerprint,
      afterCheckpoint: k.afterCheckpoint,
      untilCheckpoint: k.untilCheckpoint,
    })),
    latestCheckpoint: latest
      ? { id: latest.id, seq: latest.seq, treeSize: latest.treeSize, createdAt: latest.createdAt.toISOString() }
      : null,
    unsigned: leaves > latestSize ? { fromLeaf: latestSize, leaves: leaves - latestSize } : null,
    published: published
      ? {
          file: published.file,
          checkpoints: published.checkpoints.length,
          latestSeq: published.checkpoints.length ? Math.max(...published.checkpoints.map((c) => c.seq)) : null,
        }
      : null,
    errors,
    omittedErrors,
    durationMs: Math.round(performance.now() - started),
  };
}

async function loadBatches(): Promise<LedgerBatch[]> {
  const r = await pool().query<BatchDbRow>(`SELECT ${BATCH_COLUMNS} FROM ledger_batch b ORDER BY b."firstLeaf", b.seq`);
  return r.rows.map(toBatch);
}

type Entry = { batch: number; leafHash: Buffer; eventsHash: Buffer };

/**
 * The signed append batches, walked in leaf order beside the records: which batch (and entry) each leaf belongs
 * to. A batch's entries are read when the walk reaches it and checked against the root its signature covers.
 * Problems of the batches themselves go to `report` (reported after the records).
 */
class BatchCursor {
  legacy = 0;
  readonly count: number;
  /** The highest checkpoint a validly signed batch says was committed before it. */
  maxAfterCheckpoint = 0;
  private readonly legacyEnd: number;
  private readonly usable = new Set<number>();
  private at = 0;
  private entries: { seq: number; data: Buffer | null } | null = null;

  constructor(
    private readonly list: LedgerBatch[],
    ring: KeyRing,
    cps: readonly LedgerCheckpoint[],
    private readonly report: LedgerError[],
  ) {
    this.count = list.length;
    const claimed = cps.reduce((m, c) => Math.max(m, c.batches ?? 0), 0);
    const first = list.find((b) => b.seq === 1);
    // Leaves below batch 1 predate append batches. With no batch at all, every leaf does, unless a checkpoint
    // signed that batches existed.
    this.legacyEnd = first ? first.firstLeaf : list.length === 0 && claimed === 0 ? Infinity : 0;
    const bySeq = [...list].sort((a, b) => a.seq - b.seq);
    let expect = 1;
    for (const b of bySeq) {
      for (; expect < b.seq; expect++) this.missing(expect, "");
      expect = b.seq + 1;
    }
    for (; expect <= claimed; expect++) this.missing(expect, ` (checkpoints hold ${claimed} batches)`);
    let end = -1;
    for (const b of list) {
      const range = `leaves ${b.firstLeaf}..${b.firstLeaf + b.count - 1}`;
      if (b.firstLeaf < end)
        report.push({ kind: "batch-overlap", batchSeq: b.seq, message: `append batch #${b.seq} (${range}) overlaps the batch before it` });
      end = Math.max(end, b.firstLeaf + b.count);
      if (ring.keys.length === 0) continue;
      const key = ring.signsBatch(b.keyFingerprint, b.afterCheckpoint);
      if (!key) {
        report.push({
          kind: "batch-key-mismatch",
          batchSeq: b.seq,
          message:
            `append batch #${b.seq} (${range}, written after checkpoint #${b.afterCheckpoint}) is signed by key ${b.keyFingerprint}, ` +
            `which is not a ledger key of that time (${ring.describe()})`,
        });
      } else if (!verifyAppendBatchSignature(b, key.publicKey)) {
        report.push({
          kind: "batch-signature-invalid",
          batchSeq: b.seq,
          message: `append batch #${b.seq} (${range}): the signature does not verify with the ledger key (the batch was altered or forged)`,
        });
      } else {
        this.usable.add(b.seq);
        this.maxAfterCheckpoint = Math.max(this.maxAfterCheckpoint, b.afterCheckpoint);
      }
    }
  }

  private missing(seq: number, why: string): void {
    this.report.push({
      kind: "batch-missing",
      batchSeq: seq,
      message: `append batch #${seq} is missing${why}: batches are numbered without gaps (deleted)`,
    });
  }

  /** The entry of leaf `index`: "legacy" (predates batches), null (no batch covers it), "unchecked" (its batch is bad). */
  async entryFor(index: number): Promise<Entry | "legacy" | "unchecked" | null> {
    if (index < this.legacyEnd) return "legacy";
    while (this.at < this.list.length && this.list[this.at].firstLeaf + this.list[this.at].count <= index) this.at++;
    const b = this.list[this.at];
    if (!b || b.firstLeaf > index) return null;
    if (!this.usable.has(b.seq)) return "unchecked";
    if (this.entries?.seq !== b.seq) this.entries = { seq: b.seq, data: await this.loadEntries(b) };
    if (!this.entries.data) return "unchecked";
    const { leafHash, eventsHash } = entryAt(this.entries.data, index - b.firstLeaf);
    return { batch: b.seq, leafHash, eventsHash };
  }

  private async loadEntries(b: LedgerBatch): Promise<Buffer | null> {
    const r = await pool().query<{ entries: Buffer }>(`SELECT entries FROM ledger_batch WHERE seq = $1`, [b.seq]);
    const data = r.rows[0]?.entries;
    let root: Buffer | null = null;
    try {
      if (data && data.length === b.count * 64) root = entriesTree(data).root();
    } catch {
      root = null;
    }
    if (root && same(root, Buffer.from(b.entriesRoot))) return data!;
    this.report.push({
      kind: "batch-entries-mismatch",
      batchSeq: b.seq,
      leafIndex: b.firstLeaf,
      message: `append batch #${b.seq}: its stored entries do not give the root its signature covers (the entries were altered); leaves ${b.firstLeaf}..${b.firstLeaf + b.count - 1} cannot be checked against it`,
    });
    return null;
  }

  /** After the walk: batches that reach beyond the last leaf (records cut from the end). */
  finish(leaves: number): void {
    for (const b of this.list) {
      if (b.firstLeaf + b.count > leaves) {
        this.report.push({
          kind: "batch-beyond-ledger",
          batchSeq: b.seq,
          leafIndex: Math.max(b.firstLeaf, leaves),
          message: `append batch #${b.seq} covers leaves ${b.firstLeaf}..${b.firstLeaf + b.count - 1} but the ledger has only ${leaves}: records were removed from the end`,
        });
      }
    }
  }
}

type Captured = (a: number, b: number) => Buffer | null | undefined;

function checkCheckpoints({
  cps,
  ring,
  leaves,
  captured,
  maxAfterCheckpoint,
  fail,
}: {
  cps: readonly LedgerCheckpoint[];
  ring: KeyRing;
  leaves: number;
  captured: Captured;
  maxAfterCheckpoint: number;
  fail: (e: LedgerError) => void;
}): void {
  if (ring.keys.length === 0 && cps.length > 0) {
    fail({
      kind: "checkpoint-key-missing",
      checkpointId: cps[0].id,
      checkpointSeq: cps[0].seq,
      message: "no ledger signing key is configured or on disk, so no checkpoint or append batch signature can be checked",
    });
  }
  const failedCheckpoints = new Set<string>();
  const cpFail = (cp: LedgerCheckpoint, kind: LedgerErrorKind, message: string) => {
    failedCheckpoints.add(cp.id);
    fail({
      kind,
      checkpointId: cp.id,
      checkpointSeq: cp.seq,
      message: `checkpoint #${cp.seq} (id ${cp.id}, tree size ${cp.treeSize}): ${message}`,
    });
  };
  const missing = (seq: number, why: string) =>
    fail({ kind: "checkpoint-missing", checkpointSeq: seq, message: `checkpoint #${seq} is missing: ${why} (it was deleted)` });
  cps.forEach((cp, i) => {
    const key = ring.forCheckpoint(cp.seq);
    if (key) {
      if (cp.keyFingerprint !== key.fingerprint) {
        const verifies = verifyCheckpointSignature({ ...cp, keyFingerprint: key.fingerprint }, key.publicKey);
        cpFail(
          cp,
          "checkpoint-key-mismatch",
          `signed by key ${cp.keyFingerprint}, but the ledger key ${ring.keys.length > 1 ? "for this checkpoint " : ""}is ${key.fingerprint}` +
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
    // Sequence numbers run 1, 2, 3, ...: a gap is a deleted checkpoint.
    const expectSeq = prev ? prev.seq + 1 : 1;
    for (let s = expectSeq; s < cp.seq; s++) missing(s, `the database holds ${prev ? `#${prev.seq} and ` : ""}#${cp.seq}`);
    if (!prev) return;
    if (cp.treeSize < prev.treeSize) {
      cpFail(cp, "checkpoint-size-decreased", `is smaller than the previous checkpoint #${prev.seq} (tree size ${prev.treeSize})`);
      return;
    }
    // When either checkpoint already failed, the chain and the consistency proof prove nothing new, and would
    // only blame its sound neighbour.
    if (failedCheckpoints.has(cp.id) || failedCheckpoints.has(prev.id)) return;
    if (cp.noteVersion >= 2 && prev.seq === cp.seq - 1 && !(cp.previousHash && same(cp.previousHash, checkpointNoteHash(prev)))) {
      cpFail(
        cp,
        "checkpoint-chain-broken",
        `does not name checkpoint #${prev.seq} as its predecessor (the chain of checkpoints was rewritten)`,
      );
    }
    if (cp.treeSize > leaves) return;
    // A consistency proof built from the recomputed tree, checked against the two *signed* roots.
    const proof = consistencyProofRanges(prev.treeSize, cp.treeSize).map(([a, b]) => captured(a, b));
    const ok =
      proof.every((p): p is Buffer => Boolean(p)) &&
      verifyConsistency({ firstSize: prev.treeSize, secondSize: cp.treeSize, firstRoot: prev.rootHash, secondRoot: cp.rootHash, proof });
    if (!ok)
      cpFail(
        cp,
        "checkpoint-inconsistent",
        `the consistency proof from checkpoint #${prev.seq} (tree size ${prev.treeSize}) does not verify`,
      );
  });
  // A signed append batch records the latest checkpoint committed before it: the last checkpoints, deleted, show.
  const latestSeq = cps.length ? cps[cps.length - 1].seq : 0;
  for (let s = latestSeq + 1; s <= maxAfterCheckpoint; s++) {
    missing(
      s,
      `a signed append batch was written after it, but the database's latest checkpoint is ${latestSeq ? `#${latestSeq}` : "none"}`,
    );
  }
}

/** The database against checkpoints published outside it: a rollback of the whole ledger shows only here. */
function checkPublished({
  published,
  cps,
  ring,
  leaves,
  captured,
  fail,
}: {
  published: PublishedCheckpoints;
  cps: readonly LedgerCheckpoint[];
  ring: KeyRing;
  leaves: number;
  captured: Captured;
  fail: (e: LedgerError) => void;
}): void {
  const where = published.file;
  for (const p of published.problems) {
    fail({ kind: "published-checkpoint-invalid", message: `${where} line ${p.line}: ${p.message}` });
  }
  const bySeq = new Map(cps.map((c) => [c.seq, c]));
  let shrank = false;
  for (const p of [...published.checkpoints].sort((a, b) => a.seq - b.seq)) {
    const at = { checkpointSeq: p.seq };
    const key = ring.forCheckpoint(p.seq);
    if (ring.keys.length && (!key || !publishedSignatureValid(p, key.publicKey))) {
      fail({
        kind: "published-checkpoint-invalid",
        ...at,
        message: `${where}: checkpoint #${p.seq} is not signed by the ledger key (the file was edited, or is another ledger's)`,
      });
      continue;
    }
    const db = bySeq.get(p.seq);
    if (!db) {
      fail({
        kind: "checkpoint-missing",
        ...at,
        message: `checkpoint #${p.seq} (tree size ${p.treeSize}), published in ${where}, is not in the database: the ledger was rolled back or the checkpoint deleted`,
      });
    } else if (
      db.rootHash.toString("hex") !== p.rootHash ||
      db.treeSize !== p.treeSize ||
      !db.signature.equals(Buffer.from(p.signature, "base64"))
    ) {
      fail({
        kind: "published-checkpoint-differs",
        checkpointId: db.id,
        ...at,
        message: `checkpoint #${p.seq} in the database (tree size ${db.treeSize}) differs from the one published in ${where} (tree size ${p.treeSize}): it was re-signed after a rollback or rewritten`,
      });
    }
    if (p.treeSize > leaves) {
      if (!shrank) {
        shrank = true;
        fail({
          kind: "tree-shrank",
          ...at,
          leafIndex: leaves,
          message: `the ledger has ${leaves} leaves but checkpoint #${p.seq}, published in ${where}, covered ${p.treeSize}: leaves ${leaves}..${p.treeSize - 1} were removed (rolled back)`,
        });
      }
    } else if (p.treeSize > 0) {
      const root = captured(0, p.treeSize);
      if (!root || root.toString("hex") !== p.rootHash) {
        fail({
          kind: "published-root-mismatch",
          ...at,
          message: `the first ${p.treeSize} leaves no longer give the root of checkpoint #${p.seq} published in ${where}: records were rewritten`,
        });
      }
    }
  }
}
