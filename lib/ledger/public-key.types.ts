import { z } from "zod";

/** One key the ledger was signed with (after a rotation there are several), and the checkpoints it signs. */
export const ledgerKeyInfo = z.object({
  seq: z.number().int(),
  keyId: z.string(),
  /** Hex SHA-256 of the DER SubjectPublicKeyInfo (64 digits). */
  fingerprint: z.string(),
  publicKeyPem: z.string(),
  createdAt: z.string().nullable(),
  /** Signs checkpoints numbered above this ... */
  afterCheckpoint: z.number().int(),
  /** ... up to this one (null: the current key). */
  untilCheckpoint: z.number().int().nullable(),
  /** Key 2 on: the statement naming the previous key and this one, signed by both (base64 signatures). */
  rotation: z.object({ note: z.string(), previousKeySignature: z.string(), newKeySignature: z.string() }).nullable(),
});

/** The public half of the checkpoint signing key, its id and fingerprint, and every earlier key. */
export const publicKeyInfo = z.object({
  algorithm: z.literal("Ed25519"),
  /** The fingerprint's first 16 hex digits. */
  keyId: z.string(),
  /** Hex SHA-256 of the DER SubjectPublicKeyInfo: what `openssl pkey -pubin -outform DER | openssl dgst -sha256` prints. */
  fingerprint: z.string(),
  publicKeyPem: z.string(),
  /** Every key of the ledger, oldest first; the last is this one. */
  keys: z.array(ledgerKeyInfo),
});
export type PublicKeyInfo = z.infer<typeof publicKeyInfo>;

// GET /api/v1/ledger/public-key (public): ?format=pem answers with the PEM file itself (its fingerprint in the
// x-key-fingerprint header, its id in x-key-id); anything else with JSON (id, fingerprint, PEM, earlier keys).
export const getPublicKeyContract = {
  query: z.object({ format: z.string().optional() }),
  response: publicKeyInfo,
  download: ["application/x-pem-file"],
} as const;
