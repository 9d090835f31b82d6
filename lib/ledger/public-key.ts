import { buildKeyRing, loadKeyRows } from "./ledger-keys";
import { loadOrCreateSigningKey } from "./signing-key";
import type { PublicKeyInfo } from "./public-key.types";

export type { PublicKeyInfo } from "./public-key.types";

/** The public half of the checkpoint signing key, as shown in Settings and served at /api/v1/ledger/public-key. */
export async function getPublicKey(_: Record<string, never> = {}): Promise<PublicKeyInfo> {
  const key = await loadOrCreateSigningKey({});
  const ring = buildKeyRing(await loadKeyRows(), key);
  return { algorithm: "Ed25519", keyId: key.keyId, fingerprint: key.fingerprint, publicKeyPem: key.publicKeyPem, keys: ring.toJson() };
}
