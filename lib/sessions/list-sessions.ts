import { pool } from "@/lib/db";
import { identityRef as ref, likePattern, type SessionJoinedRow } from "./sql";
import type { Page, SessionListItem, SessionsQuery } from "./types";

// The sessions list: filters (time range, platform, identity kind, identity, risk level, free text), sort, offset
// pagination with the total count. One SQL statement for the page and one for the count, both over the session
// table and its identities; "what was done / what changed" comes from the digest the correlation stores in
// session.summary (lib/correlation/session-digest.ts: the first 50 distinct actions and objects of each session),
// so free text searches identity name and email, session key, actions and changed objects without reading events.

type Input = Partial<SessionsQuery> & { tenantId?: string };

const SORT_SQL: Record<NonNullable<SessionsQuery["sort"]>, string> = {
  start: `s."startedAt"`,
  end: `s."endedAt"`,
  events: `s."eventCount"`,
  identity: `lower(i."displayName")`,
  platform: `s.platform`,
};

function sessionFilterSql(f: Input, params: unknown[]): string {
  const where: string[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  where.push(`s."tenantId" = ${p(f.tenantId ?? "default")}`);
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
    where.push(
      `(i."displayName" ILIKE ${q} OR i."primaryEmail" ILIKE ${q} OR n."displayName" ILIKE ${q} OR s."sessionKey" ILIKE ${q}
        OR (s.summary->'actions')::text ILIKE ${q} OR (s.summary->'objects')::text ILIKE ${q})`,
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
  const c = pool();
  const [rows, count] = await Promise.all([
    c.query<Row>(
      `SELECT s.id, s.platform, s."sessionKey", s."keyType", s.rule, s.confidence, s."startedAt", s."endedAt", s."eventCount",
              s."srcIps", s."riskLevel", s."riskScore", s.summary->'actions' AS actions, s.summary->'objects' AS objects,
              ((SELECT count(*) FROM session_link l WHERE l."fromSessionId" = s.id)
                + (SELECT count(*) FROM session_link l WHERE l."toSessionId" = s.id))::int AS links,
              i.id AS "iId", i.kind::text AS "iKind", i."displayName" AS "iName", i."primaryEmail" AS "iEmail",
              n.id AS "nId", n.kind::text AS "nKind", n."displayName" AS "nName", n."primaryEmail" AS "nEmail"
         ${from}
        ORDER BY ${SORT_SQL[sort]} ${dir} NULLS LAST, s.id ${dir}
        OFFSET ${Number(offset)} LIMIT ${Number(limit)}`,
      params,
    ),
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
