import { pool } from "@/lib/db";
import { and, join, like, param, raw, sql, type Sql } from "@/lib/db/sql";
import { identityRef as ref, type SessionJoinedRow } from "./sql";
import type { Page, SessionListItem, SessionsQuery } from "./types";
import { DEFAULT_TENANT } from "@/lib/context/request-context";
import { sessionHeadlines } from "./headline-facts";

// The sessions list: filters (time range, platform, identity kind, identity, risk level, free text), sort, offset
// pagination with the total count. One SQL statement for the page and one for the count, both over the session
// table and its identities; "what was done / what changed" comes from the digest the correlation stores in
// session.summary (lib/correlation/session-digest.ts: the first 50 distinct actions and objects of each session),
// so free text searches identity name and email, session key, actions and changed objects without reading events.

type Input = Partial<SessionsQuery>;

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

function sessionFilterSql(f: Input): Sql {
  const tenant = param(DEFAULT_TENANT);
  let text: Sql | null = null;
  if (f.q) {
    const q = param(like(f.q));
    // Identities matching the text are found first (trigram indexes on name and email), then their sessions by
    // the identityId / initiatorIdentityId indexes; with the session text's own trigram index the three arms
    // combine as a bitmap OR instead of a scan of every session joined to its identities.
    const ids = (cols: string[]) =>
      sql`ARRAY(SELECT x.id FROM identity x WHERE x."tenantId" = ${tenant} AND (${join(
        cols.map((c) => sql`${raw(`x."${c}"`)} ILIKE ${q}`),
        " OR ",
      )}))`;
    text = sql`(${raw(SESSION_TEXT)} ILIKE ${q} OR s."identityId" = ANY(${ids(["displayName", "primaryEmail"])}) OR s."initiatorIdentityId" = ANY(${ids(["displayName"])}))`;
  }
  const identityId = f.identityId ? param(f.identityId) : null;
  return and(
    sql`s."tenantId" = ${tenant}`,
    // A session is in the range when it overlaps it.
    f.from && sql`s."endedAt" >= ${f.from}`,
    f.to && sql`s."startedAt" <= ${f.to}`,
    f.platform && sql`s.platform = ${f.platform}`,
    f.kind && sql`i.kind = ${f.kind}::"IdentityKind"`,
    identityId && sql`(s."identityId" = ${identityId}::uuid OR s."initiatorIdentityId" = ${identityId}::uuid)`,
    f.risk === "none" ? sql`s."riskLevel" IS NULL` : f.risk && sql`s."riskLevel" = ${f.risk}`,
    text,
  );
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
  const where = sessionFilterSql(input);
  const from = sql`FROM session s
    LEFT JOIN identity i ON i.id = s."identityId"
    LEFT JOIN identity n ON n.id = s."initiatorIdentityId"
   WHERE ${where}`;
  const d = raw(dir);
  const cols = raw(`s.id, s.platform, s."sessionKey", s."keyType", s.rule, s.confidence, s."startedAt", s."endedAt", s."eventCount",
              s."srcIps", s."riskLevel", s."riskScore", s.summary->'actions' AS actions, s.summary->'objects' AS objects,
              ((SELECT count(*) FROM session_link l WHERE l."fromSessionId" = s.id)
                + (SELECT count(*) FROM session_link l WHERE l."toSessionId" = s.id))::int AS links,
              i.id AS "iId", i.kind::text AS "iKind", i."displayName" AS "iName", i."primaryEmail" AS "iEmail",
              n.id AS "nId", n.kind::text AS "nKind", n."displayName" AS "nName", n."primaryEmail" AS "nEmail"`);
  const pageSql =
    sort === "identity"
      ? // By identity name, sessions without an identity last: walked from the identities in name order
        // (identity_lower_name_idx) into their sessions, so a page does not join and sort every session. Each branch
        // yields at most offset + limit rows; the union is cut to the page, then the page's rows are read.
        sql`WITH page AS (
           SELECT * FROM (
             (SELECT s.id, lower(i."displayName") AS k, 0 AS g FROM identity i JOIN session s ON s."identityId" = i.id
                LEFT JOIN identity n ON n.id = s."initiatorIdentityId"
               WHERE ${where} ORDER BY lower(i."displayName") ${d}, s.id ${d} LIMIT ${Number(offset) + Number(limit)})
             UNION ALL
             (SELECT s.id, NULL, 1 FROM session s LEFT JOIN identity i ON i.id = s."identityId" LEFT JOIN identity n ON n.id = s."initiatorIdentityId"
               WHERE s."identityId" IS NULL AND ${where} ORDER BY s.id ${d} LIMIT ${Number(offset) + Number(limit)})
           ) u ORDER BY g, k ${d}, id ${d} OFFSET ${Number(offset)} LIMIT ${Number(limit)})
         SELECT ${cols} FROM page JOIN session s ON s.id = page.id
           LEFT JOIN identity i ON i.id = s."identityId"
           LEFT JOIN identity n ON n.id = s."initiatorIdentityId"
          ORDER BY page.g, page.k ${d}, page.id ${d}`
      : sql`SELECT ${cols} ${from}
          ORDER BY ${raw(SORT_SQL[sort].sql)} ${d}${raw(SORT_SQL[sort].nullable ? " NULLS LAST" : "")}, s.id ${d}
          OFFSET ${Number(offset)} LIMIT ${Number(limit)}`;
  const c = pool();
  const [rows, count] = await Promise.all([c.query<Row>(pageSql), c.query<{ n: string }>(sql`SELECT count(*) AS n ${from}`)]);
  const headlines = await sessionHeadlines({ ids: rows.rows.map((r) => r.id) });
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
      headline: headlines.get(r.id) ?? "",
    })),
    total: Number(count.rows[0].n),
    offset,
    limit,
  };
}
