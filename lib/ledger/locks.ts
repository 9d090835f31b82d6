// The ledger's advisory lock keys (transaction-scoped), in one place: the append path, checkpoints and key rotation
// take them, and a key rotation takes both so that nothing is signed while the key changes.

/** Held by an append until it commits: nobody else reads max(leafIndex), takes ids or checks duplicates meanwhile. */
export const APPEND_LOCK = 7_265_101_001;

/** Checkpoints take turns (a second caller would otherwise sign the same size twice). */
export const CHECKPOINT_LOCK = 7_265_101_002;
