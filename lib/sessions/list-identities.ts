import { pool } from "@/lib/db";
import { and, like, param, raw, sql } from "@/lib/db/sql";
import type { IdentitiesQuery, IdentityKind, IdentityListItem, Page } from "./types";
import { DEFAULT_TENANT } from "@/lib/context/request-context";

// The identities list: people and NHIs with their kind, name, email, the platforms they were seen on (from their
// aliases), how many sessions they ran and when they were last seen. Filters: free text over name, email and any
// alias; kind; platform. Sorted by name, kind, sessions or last seen; offset pagination with the total.

type Input = Partial<IdentitiesQuery>;

const SORT_SQL: Record<IdentitiesQuery["sort"], string> = {
  name: `lower(i."displayName")`,
  kind: `i.kind::text`,
  sessions: `coalesce(sc.n, 0)`,
  lastSeen: `i."lastSeenAt"`,
};

export async function listIdentities(input: Input = {}): Promise<Page<IdentityListItem>> {
  const sort = input.sort ?? "lastSeen";
  const dir = input.dir === "asc" ? "ASC" : "DESC";
  const offset = input.offset ?? 0;
  const limit = input.limit ?? 100;
  const q = input.q ? param(like(input.q)) : null;
  const where = and(
    sql`i."tenantId" = ${DEFAULT_TENANT}`,
    input.kind && sql`i.kind = ${input.kind}::"IdentityKind"`,
    input.platform && sql`EXISTS (SELECT 1 FROM identity_alias a WHERE a."identityId" = i.id AND a.platform = ${input.platform})`,
    q &&
      sql`(i."displayName" ILIKE ${q} OR i."primaryEmail" ILIKE ${q}
        OR EXISTS (SELECT 1 FROM identity_alias a WHERE a."identityId" = i.id AND a."externalId" ILIKE ${q}))`,
  );
  const c = pool();
  const [rows, count] = await Promise.all([
    c.query<{
      id: string;
      kind: IdentityKind;
      displayName: string;
      primaryEmail: string | null;
      platforms: string[] | null;
      aliases: number;
      sessions: number;
      firstSeenAt: Date | null;
      lastSeenAt: Date | null;
    }>(
      sql`SELECT i.id, i.kind::text AS kind, i."displayName", i."primaryEmail", i."firstSeenAt", i."lastSeenAt",
              al.platforms, coalesce(al.n, 0)::int AS aliases, coalesce(sc.n, 0)::int AS sessions
         FROM identity i
         LEFT JOIN LATERAL (SELECT array_agg(DISTINCT a.platform ORDER BY a.platform) AS platforms, count(*) AS n
                              FROM identity_alias a WHERE a."identityId" = i.id) al ON true
         LEFT JOIN LATERAL (SELECT count(*) AS n FROM session s WHERE s."identityId" = i.id) sc ON true
        WHERE ${where}
        ORDER BY ${raw(SORT_SQL[sort])} ${raw(dir)} NULLS LAST, i.id ${raw(dir)}
        OFFSET ${Number(offset)} LIMIT ${Number(limit)}`,
    ),
    c.query<{ n: string }>(sql`SELECT count(*) AS n FROM identity i WHERE ${where}`),
  ]);
  return {
    items: rows.rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      displayName: r.displayName,
      primaryEmail: r.primaryEmail,
      platforms: r.platforms ?? [],
      aliases: r.aliases,
      sessions: r.sessions,
      firstSeenAt: r.firstSeenAt?.toISOString() ?? null,
      lastSeenAt: r.lastSeenAt?.toISOString() ?? null,
    })),
    total: Number(count.rows[0].n),
    offset,
    limit,
  };
}
