import { z } from "zod";

/** The public half of the checkpoint signing key. */
export const publicKeyInfo = z.object({ algorithm: z.literal("Ed25519"), publicKeyPem: z.string(), fingerprint: z.string() });
export type PublicKeyInfo = z.infer<typeof publicKeyInfo>;

// GET /api/v1/ledger/public-key (public): ?format=pem answers with the PEM file itself (its fingerprint in the
// x-key-fingerprint header); anything else with JSON (PEM and fingerprint).
export const getPublicKeyContract = {
  query: z.object({ format: z.string().optional() }),
  response: publicKeyInfo,
  download: ["application/x-pem-file"],
} as const;
