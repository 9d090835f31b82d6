import { z } from "zod";

/** A signed checkpoint in its JSON form (lib/ledger/checkpoint-row.ts LedgerCheckpointJson). */
export const checkpointJson = z.object({
  id: z.string(),
  seq: z.number().int(),
  noteVersion: z.number().int(),
  treeSize: z.number().int(),
  rootHash: z.string(),
  rootHashBase64: z.string(),
  createdAt: z.string(),
  previousHash: z.string().nullable(),
  batches: z.number().int().nullable(),
  signature: z.string(),
  keyFingerprint: z.string(),
  keyId: z.string(),
  /** The exact signed text. */
  note: z.string(),
});

/** The RFC 9162 consistency proof between two checkpoints, with both (signed) checkpoints. */
export const consistencyProofInfo = z.object({
  fromSize: z.number().int(),
  toSize: z.number().int(),
  from: checkpointJson,
  to: checkpointJson,
  /** PROOF(fromSize, D[0:toSize]) (RFC 9162 2.1.4.1), hex. */
  proof: z.array(z.string()),
});
export type ConsistencyProofInfo = z.infer<typeof consistencyProofInfo>;

// GET /api/v1/ledger/consistency?from=<tree size>[&to=<tree size>] (public, like the public key): the proof that the
// checkpoint of tree size `to` (default: the latest) extends the one of tree size `from`. Save `from` (or any
// checkpoint.json) and check it later with `node verify.mjs --since <file>`.
export const getConsistencyContract = {
  query: z.object({
    from: z.coerce.number().int().min(0),
    to: z.coerce.number().int().min(0).optional(),
  }),
  response: consistencyProofInfo,
} as const;
