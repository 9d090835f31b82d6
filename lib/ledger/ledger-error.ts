// What verifyLedger reports, and the checks other modules add to it.

export type LedgerErrorKind =
  // records (in leaf order)
  | "leaf-index-gap"
  | "leaf-index-duplicate"
  | "leaf-order"
  | "content-hash-mismatch"
  | "leaf-hash-mismatch"
  | "purge-inconsistent"
  | "leaf-unbatched"
  | "batch-leaf-mismatch"
  // a record's normalized events
  | "event-unhashed"
  | "event-content-mismatch"
  | "event-column-mismatch"
  | "event-binding-mismatch"
  | "event-orphan"
  // signed append batches
  | "batch-missing"
  | "batch-key-mismatch"
  | "batch-signature-invalid"
  | "batch-entries-mismatch"
  | "batch-overlap"
  | "batch-beyond-ledger"
  // the chain of signing keys (rotation statements)
  | "key-chain-invalid"
  // checkpoints
  | "checkpoint-key-missing"
  | "checkpoint-key-mismatch"
  | "checkpoint-signature-invalid"
  | "checkpoint-beyond-ledger"
  | "checkpoint-root-mismatch"
  | "checkpoint-size-decreased"
  | "checkpoint-inconsistent"
  | "checkpoint-missing"
  | "checkpoint-chain-broken"
  | "subtree-hash-mismatch"
  // against checkpoints published outside the database (ledger verify --against)
  | "published-checkpoint-invalid"
  | "published-checkpoint-differs"
  | "published-root-mismatch"
  | "tree-shrank"
  // the dashboard's audit trail (lib/audit registers these checks)
  | "audit-entry-mismatch"
  | "audit-entry-record-missing"
  | "audit-entry-deleted";

/** One problem, with whatever names the thing at fault: a record, an event, a batch, a checkpoint, an audit entry. */
export type LedgerError = {
  kind: LedgerErrorKind;
  rawRecordId?: string;
  leafIndex?: number;
  eventId?: string;
  batchSeq?: number;
  checkpointId?: string;
  checkpointSeq?: number;
  auditId?: string;
  message: string;
};

/** A check run by verifyLedger after its own, reporting through `fail`. */
export type LedgerCheck = (fail: (e: LedgerError) => void) => Promise<void>;

const extraChecks = new Map<string, LedgerCheck>();

/**
 * Adds a check to every verifyLedger run. lib/audit registers the audit trail's (lib/audit depends on lib/ledger,
 * never the reverse: the same arrangement as onBeforeCheckpoint).
 */
export function registerLedgerCheck(name: string, check: LedgerCheck): void {
  extraChecks.set(name, check);
}

export function registeredLedgerChecks(): LedgerCheck[] {
  return [...extraChecks.values()];
}

/** "raw record 12 (leaf 11)", "event 40", "checkpoint #3": the thing an error names, for one-line summaries. */
export function describeLocator(e: LedgerError): string | null {
  if (e.eventId) return `event ${e.eventId}${e.rawRecordId ? ` (raw record ${e.rawRecordId})` : ""}`;
  if (e.rawRecordId) return `raw record ${e.rawRecordId}${e.leafIndex !== undefined ? ` (leaf ${e.leafIndex})` : ""}`;
  if (e.auditId) return `audit entry ${e.auditId}`;
  if (e.checkpointSeq !== undefined) return `checkpoint #${e.checkpointSeq}${e.checkpointId ? ` (id ${e.checkpointId})` : ""}`;
  if (e.checkpointId) return `checkpoint id ${e.checkpointId}`;
  if (e.batchSeq !== undefined) return `append batch #${e.batchSeq}`;
  if (e.leafIndex !== undefined) return `leaf ${e.leafIndex}`;
  return null;
}
