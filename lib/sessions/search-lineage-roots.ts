import { pool } from "@/lib/db";
import { like, param, sql } from "@/lib/db/sql";
import type { LineageRoot } from "./types";
import { kindLabel, platformLabel } from "./words";
import { DEFAULT_TENANT } from "@/lib/context/request-context";

// The Lineage page's search box: identities (by name, email or any alias) and credentials (by their identifier,
// never a secret) matching the text, so that a graph can start from either.
export async function searchLineageRoots({ q, limit = 20 }: { q: string; limit?: number }): Promise<LineageRoot[]> {
  const c = pool();
  const pattern = param(like(q.trim()));
  const [ids, creds] = await Promise.all([
    c.query<{ id: string; name: string; kind: string; email: string | null }>(
      sql`SELECT i.id, i."displayName" AS name, i.kind::text AS kind, i."primaryEmail" AS email FROM identity i
        WHERE i."tenantId" = ${DEFAULT_TENANT} AND (i."displayName" ILIKE ${pattern} OR i."primaryEmail" ILIKE ${pattern}
              OR EXISTS (SELECT 1 FROM identity_alias a WHERE a."identityId" = i.id AND a."externalId" ILIKE ${pattern}))
        ORDER BY i."lastSeenAt" DESC NULLS LAST, i.id LIMIT ${Number(limit)}`,
    ),
    c.query<{ id: string; externalId: string; kind: string; platform: string; holder: string | null }>(
      sql`SELECT c.id, c."externalId", c.kind::text AS kind, c.platform, (SELECT "displayName" FROM identity WHERE id = c."identityId") AS holder
         FROM credential c WHERE c."tenantId" = ${DEFAULT_TENANT} AND c."externalId" ILIKE ${pattern}
        ORDER BY c."lastUsedAt" DESC NULLS LAST, c.id LIMIT ${Number(limit)}`,
    ),
  ]);
  return [
    ...ids.rows.map((r): LineageRoot => ({
      type: "identity",
      id: r.id,
      label: r.name,
      kind: r.kind,
      platform: null,
      detail: [kindLabel(r.kind), r.email].filter(Boolean).join(", "),
    })),
    ...creds.rows.map((r): LineageRoot => ({
      type: "credential",
      id: r.id,
      label: r.externalId,
      kind: r.kind,
      platform: r.platform,
      detail: `${r.kind.replace(/_/g, " ")} on ${platformLabel(r.platform)}${r.holder ? `, held by ${r.holder}` : ""}`,
    })),
  ];
}
