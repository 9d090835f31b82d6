import { pool } from "@/lib/db";
import { likePattern } from "./sql";
import type { LineageRoot } from "./types";
import { kindLabel, platformLabel } from "./words";
import { DEFAULT_TENANT } from "@/lib/context/request-context";

// The Lineage page's search box: identities (by name, email or any alias) and credentials (by their identifier,
// never a secret) matching the text, so that a graph can start from either.
export async function searchLineageRoots({ q, limit = 20, tenantId = DEFAULT_TENANT }: { q: string; limit?: number; tenantId?: string }): Promise<LineageRoot[]> {
  const c = pool();
  const pattern = likePattern(q.trim());
  const [ids, creds] = await Promise.all([
    c.query<{ id: string; name: string; kind: string; email: string | null }>(
      `SELECT i.id, i."displayName" AS name, i.kind::text AS kind, i."primaryEmail" AS email FROM identity i
        WHERE i."tenantId" = $1 AND (i."displayName" ILIKE $2 OR i."primaryEmail" ILIKE $2
              OR EXISTS (SELECT 1 FROM identity_alias a WHERE a."identityId" = i.id AND a."externalId" ILIKE $2))
        ORDER BY i."lastSeenAt" DESC NULLS LAST, i.id LIMIT ${Number(limit)}`,
      [tenantId, pattern],
    ),
    c.query<{ id: string; externalId: string; kind: string; platform: string; holder: string | null }>(
      `SELECT c.id, c."externalId", c.kind::text AS kind, c.platform, (SELECT "displayName" FROM identity WHERE id = c."identityId") AS holder
         FROM credential c WHERE c."tenantId" = $1 AND c."externalId" ILIKE $2
        ORDER BY c."lastUsedAt" DESC NULLS LAST, c.id LIMIT ${Number(limit)}`,
      [tenantId, pattern],
    ),
  ]);
  return [
    ...ids.rows.map((r): LineageRoot => ({ type: "identity", id: r.id, label: r.name, kind: r.kind, platform: null, detail: [kindLabel(r.kind), r.email].filter(Boolean).join(", ") })),
    ...creds.rows.map(
      (r): LineageRoot => ({
        type: "credential",
        id: r.id,
        label: r.externalId,
        kind: r.kind,
        platform: r.platform,
        detail: `${r.kind.replace(/_/g, " ")} on ${platformLabel(r.platform)}${r.holder ? `, held by ${r.holder}` : ""}`,
      }),
    ),
  ];
}
