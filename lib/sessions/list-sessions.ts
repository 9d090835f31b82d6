import { pool } from "@/lib/db";
import { identityRef as ref, likePattern, type SessionJoinedRow } from "./sql";
import type { Page, SessionListItem, SessionsQuery } from "./types";
import { DEFAULT_TENANT } from "@/lib/context/request-context";

// The sessions list: filters (time range, platform, identity kind, identity, risk level, free text), sort, offset
// pagination with the total count. One SQL statement for the page and one for the count, both over the session
// table and its identities; "what was done / what changed" comes from the digest the correlation stores in
// session.summary (lib/correlation/session-digest.ts: the first 50 distinct actions and objects of each session),
// so free text searches identity name and email, session key, actions and changed objects without reading events.

type Input = Partial<SessionsQuery> & { tenantId?: string };

// Sort keys, and whether they can be null (only the identity's name: a session may have no identity). The NOT NULL
// ones sort without NULLS LAST so that the (tenantId, key, id) indexes serve the page in either direction.
const SORT_SQL: Record<NonNullable<SessionsQuery["sort"]>, { sql: string; nullable: boolean }> = {
  start: { sql: `s."startedAt"`, nullable: false },
  end: { sql: `s."endedAt"`, nullable: false },
  events: { sql: `s."eventCount"`, nullable: false },
  identity: { sql: `lower(i."displayName")`, nullable: true },
  platform: { sql: `s.platform`, nullable: false },
};

// The session's searchable text: key, digest actions and objects. Verbatim the expression of the trigram index
// session_text_trgm_idx (migration 20261129050944_session_list_indexes): change both or neither.
const SESSION_TEXT = `(s."sessionKey" || ' ' || coalesce((s.summary -> 'actions')::text, '') || ' ' || coalesce((s.summary -> 'objects')::text, ''))`;

function sessionFilterSql(f: Input, params: unknown[]): string {
  const where: string[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const tenant = p(f.tenantId ?? DEFAULT_TENANT);
  where.push(`s."tenantId" = ${tenant}`);
  // A session is in the range when it overlaps it.
  if (f.from) where.push(`s."endedAt" >= ${p(f.from)}`);
  if (f.to) where.push(`s."startedAt" <= ${p(f.to)}`);
  if (f.platform) where.push(`s.platform = ${p(f.platform)}`);
  if (f.kind) where.push(`i.kind = ${p(f.kind)}::"IdentityKind"`);
  if (f.identityId) where.push(`(s."identityId" = ${p(f.identityId)}::uuid OR s."initiatorIdentityId" = $${params.length}::uuid)`);
  if (f.risk === "none") where.push(`s."riskLevel" IS NULL`);
  else if (f.risk) where.push(`s."riskLevel" = ${p(f.risk)}`);
  if (f.q) {
    const q = p(likePattern(f.q));
    // Identities matching the text are found first (trigram indexes on name and email), then their sessions by
    // the identityId / initiatorIdentityId indexes; with the session text's own trigram index the three arms
    // combine as a bitmap OR instead of a scan of every session joined to its identities.
    const ids = (cols: string) =>
      `ARRAY(SELECT x.id FROM identity x WHERE x."tenantId" = ${tenant} AND (${cols.split(",").map((c) => `x."${c}" ILIKE ${q}`).join(" OR ")}))`;
    where.push(
      `(${SESSION_TEXT} ILIKE ${q} OR s."identityId" = ANY(${ids("displayName,primaryEmail")}) OR s."initiatorIdentityId" = ANY(${ids("displayName")}))`,
    );
  }
  return where.join(" AND ");
}

type Row = SessionJoinedRow & {
  actions: string[] | null;
  objects: { type: string; id: string }[] | null;
  links: number;
};

export async function listSessions(input: Input = {}): Promise<Page<SessionListItem>> {
  const sort = input.sort ?? "start";
  const dir = input.dir === "asc" ? "ASC" : "DESC";
  const offset = input.offset ?? 0;
  const limit = input.limit ?? 100;
  const params: unknown[] = [];
  const where = sessionFilterSql(input, params);
  const from = `FROM session s
    LEFT JOIN identity i ON i.id = s."identityId"
    LEFT JOIN identity n ON n.id = s."initiatorIdentityId"
   WHERE ${where}`;
  const cols = `s.id, s.platform, s."sessionKey", s."keyType", s.rule, s.confidence, s."startedAt", s."endedAt", s."eventCount",
              s."srcIps", s."riskLevel", s."riskScore", s.summary->'actions' AS actions, s.summary->'objects' AS objects,
              ((SELECT count(*) FROM session_link l WHERE l."fromSessionId" = s.id)
                + (SELECT count(*) FROM session_link l WHERE l."toSessionId" = s.id))::int AS links,
              i.id AS "iId", i.kind::text AS "iKind", i."displayName" AS "iName", i."primaryEmail" AS "iEmail",
              n.id AS "nId", n.kind::text AS "nKind", n."displayName" AS "nName", n."primaryEmail" AS "nEmail"`;
  const pageSql =
    sort === "identity"
      ? // By identity name, sessions without an identity last: walked from the identities in name order
        // (identity_lower_name_idx) into their sessions, so a page does not join and sort every session. Each branch
        // yields at most offset + limit rows; the union is cut to the page, then the page's rows are read.
        `WITH page AS (
           SELECT * FROM (
             (SELECT s.id, lower(i."displayName") AS k, 0 AS g FROM identity i JOIN session s ON s."identityId" = i.id
                LEFT JOIN identity n ON n.id = s."initiatorIdentityId"
               WHERE ${where} ORDER BY lower(i."displayName") ${dir}, s.id ${dir} LIMIT ${Number(offset) + Number(limit)})
             UNION ALL
             (SELECT s.id, NULL, 1 FROM session s LEFT JOIN identity i ON i.id = s."identityId" LEFT JOIN identity n ON n.id = s."initiatorIdentityId"
               WHERE s."identityId" IS NULL AND ${where} ORDER BY s.id ${dir} LIMIT ${Number(offset) + Number(limit)})
           ) u ORDER BY g, k ${dir}, id ${dir} OFFSET ${Number(offset)} LIMIT ${Number(limit)})
         SELECT ${cols} FROM page JOIN session s ON s.id = page.id
           LEFT JOIN identity i ON i.id = s."identityId"
           LEFT JOIN identity n ON n.id = s."initiatorIdentityId"
          ORDER BY page.g, page.k ${dir}, page.id ${dir}`
      : `SELECT ${cols} ${from}
          ORDER BY ${SORT_SQL[sort].sql} ${dir}${SORT_SQL[sort].nullable ? " NULLS LAST" : ""}, s.id ${dir}
          OFFSET ${Number(offset)} LIMIT ${Number(limit)}`;
  const c = pool();
  const [rows, count] = await Promise.all([
    c.query<Row>(pageSql, params),
    c.query<{ n: string }>(`SELECT count(*) AS n ${from}`, params),
  ]);
  return {
    items: rows.rows.map((r) => ({
      id: r.id,
      platform: r.platform,
      sessionKey: r.sessionKey,
      keyType: r.keyType,
      rule: r.rule,
      confidence: r.confidence,
      startedAt: r.startedAt.toISOString(),
      endedAt: r.endedAt.toISOString(),
      eventCount: r.eventCount,
      identity: ref(r.iId, r.iKind, r.iName, r.iEmail),
      initiator: ref(r.nId, r.nKind, r.nName, r.nEmail),
      riskLevel: r.riskLevel,
      riskScore: r.riskScore,
      actions: r.actions ?? [],
      objects: r.objects ?? [],
      links: r.links,
      srcIps: r.srcIps,
    })),
    total: Number(count.rows[0].n),
    offset,
    limit,
  };
}
