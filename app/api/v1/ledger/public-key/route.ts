import { apiRoute } from "@/lib/api/handler";
import { getPublicKey } from "@/lib/ledger/public-key";

// GET /api/v1/ledger/public-key - the Ed25519 key that signs ledger checkpoints (PEM, key id, fingerprint, earlier keys); public
export const GET = apiRoute("GET /api/v1/ledger/public-key", async ({ query }) => {
  const key = await getPublicKey({});
  if (query.format === "pem") {
    return new Response(key.publicKeyPem, {
      headers: { "content-type": "application/x-pem-file", "x-key-fingerprint": key.fingerprint, "x-key-id": key.keyId },
    });
  }
  return key;
});
