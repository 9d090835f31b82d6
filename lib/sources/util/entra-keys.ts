import type { CredentialKind, IssuedCredential } from "@/lib/events/schema";

// Service principal and application keys in Entra's audit records, as the Entra audit log
// (targetResources[].modifiedProperties) and the Microsoft 365 audit log's copy (ModifiedProperties) carry them:
// the "KeyDescription" property holds the key list before and after the change as
// "[KeyIdentifier=…,KeyType=Password|AsymmetricX509Cert|…,KeyUsage=…,DisplayName=…]" entries.

/** An activity that can add or remove a key (Add service principal credentials, Certificates and secrets management). */
export function changesKeys(activity: string): boolean {
  return /credential|certificate|secret/i.test(activity);
}

/** One KeyDescription property: the key lists before and after, and the principal whose keys they are. */
export type KeyListChange = { before: string | null; after: string | null; owner: string | null };

/**
 * The keys a change issued: a key in the new list and not in the old one (client secret → sp_secret, certificate
 * → sp_certificate), each once, for the service principal / application that owns the list.
 */
export function keysAdded(changes: Iterable<KeyListChange>): IssuedCredential[] {
  const out: IssuedCredential[] = [];
  for (const { before, after, owner } of changes) {
    const old = new Set(keyEntries(before).map((k) => k.id));
    for (const k of keyEntries(after)) {
      if (old.has(k.id) || out.some((o) => o.key === k.id)) continue;
      const kind: CredentialKind = /password|secret/i.test(k.type ?? "")
        ? "sp_secret"
        : /cert|x509/i.test(k.type ?? "")
          ? "sp_certificate"
          : "unknown";
      out.push({
        key: k.id,
        key_type: "entra.sp_credential_key_id",
        kind,
        native_type: k.type,
        parent_key: null,
        parent_key_type: null,
        principal: owner,
        source_identity: null,
        expiration: null,
      });
    }
  }
  return out;
}

function keyEntries(value: string | null): { id: string; type: string | null }[] {
  if (!value) return [];
  const out: { id: string; type: string | null }[] = [];
  for (const m of value.matchAll(/KeyIdentifier=([^,\]"]+)(?:,KeyType=([^,\]"]+))?/g))
    out.push({ id: m[1].trim(), type: m[2]?.trim() ?? null });
  return out;
}
