import { pool } from "@/lib/db";
import { and, raw, sql } from "@/lib/db/sql";
import { riskRule } from "./catalog";
import { COUNTS_AS_OPEN_SQL, dispositionSql } from "./disposition";
import type { FindingsPage, FindingsQuery, SeverityCount } from "./types";
import { DEFAULT_TENANT } from "@/lib/context/request-context";

// The findings table: filtered and sorted in SQL, one page at a time, plus the per-severity counts of the same
// filter (for the summary chart) computed in the same round of queries.

const SEV_RANK = `CASE f.severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END`;
const ORDER: Record<string, string> = {
  severity: SEV_RANK,
  lastSeen: `f."lastSeenAt"`,
  firstSeen: `f."firstSeenAt"`,
  rule: `f."ruleId"`,
  status: `f.status`,
};

// Filters as findingsQuery outputs them (the route and the page parse the URL with it); what is left out takes
// the schema's default.
export async function listFindings(input: Partial<FindingsQuery>): Promise<FindingsPage> {
  const q = { ...input, sort: input.sort ?? "severity", dir: input.dir ?? "desc", limit: input.limit ?? 50, offset: input.offset ?? 0 };
  // The platform: the session's, else the one the evidence names, else the first proving event's.
  const platform = raw(
    `coalesce(s.platform, f.evidence::jsonb->>'platform', (SELECT e.platform FROM event e WHERE e.id = f."eventIds"[1]))`,
  );
  const disposition = raw(dispositionSql("f"));
  const w = and(
    sql`f."tenantId" = ${DEFAULT_TENANT}`,
    q.rule && sql`f."ruleId" = ${q.rule}`,
    q.severity && sql`f.severity = ${q.severity}`,
    // "dismissed": every dismissal, whatever its kind; the other values are dispositions (lib/risk/disposition.ts).
    q.status === "dismissed" ? sql`f.status = 'dismissed'` : q.status && sql`${disposition} = ${q.status}`,
    q.identity && sql`f."identityId" = ${q.identity}::uuid`,
    // A finding cites a session directly or through one of its proving events (identity-level findings do).
    q.session &&
      sql`(f."sessionId" = ${q.session}::uuid OR EXISTS (SELECT 1 FROM event e WHERE e.id = ANY(f."eventIds") AND e."sessionId" = ${q.session}::uuid))`,
    q.platform && sql`${platform} = ${q.platform}`,
  );
  const from = raw(`finding f LEFT JOIN session s ON s.id = f."sessionId" LEFT JOIN identity i ON i.id = f."identityId"`);
  const dir = raw(q.dir === "asc" ? "ASC" : "DESC");

  const [count, page, sev] = await Promise.all([
    pool().query<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${from} WHERE ${w}`),
    pool().query(
      sql`SELECT f.id, f."ruleId", f.severity, f.title, f.status, f.evidence::jsonb->>'resolvedAt' AS "resolvedAt",
              ${disposition} AS disposition, f."dismissalType", f."riskExpiresAt",
              i.id AS "iId", i."displayName" AS "iName", i.kind::text AS "iKind", f."sessionId",
              ${platform} AS platform,
              cardinality(f."eventIds") AS "eventCount", f."firstSeenAt", f."lastSeenAt"
         FROM ${from} WHERE ${w}
        ORDER BY ${raw(ORDER[q.sort])} ${dir}, f."lastSeenAt" DESC, f.id
        LIMIT ${q.limit} OFFSET ${q.offset}`,
    ),
    pool().query<SeverityCount>(
      sql`SELECT f.severity, count(*) FILTER (WHERE ${disposition} IN (${raw(COUNTS_AS_OPEN_SQL)}))::int AS open,
              count(*) FILTER (WHERE f.status = 'dismissed')::int AS dismissed
         FROM ${from} WHERE ${w} GROUP BY f.severity ORDER BY max(${raw(SEV_RANK)}) DESC`,
    ),
  ]);
  return {
    total: count.rows[0].n,
    offset: q.offset,
    limit: q.limit,
    bySeverity: sev.rows,
    items: page.rows.map((r) => ({
      id: r.id,
      ruleId: r.ruleId,
      ruleTitle: riskRule(r.ruleId)?.title ?? r.ruleId,
      severity: r.severity,
      title: r.title,
      status: r.status,
      resolvedAt: r.resolvedAt,
      disposition: r.disposition,
      dismissalType: r.dismissalType,
      riskExpiresAt: r.riskExpiresAt ? new Date(r.riskExpiresAt).toISOString() : null,
      identity: r.iId ? { id: r.iId, name: r.iName, kind: r.iKind } : null,
      sessionId: r.sessionId,
      platform: r.platform,
      eventCount: r.eventCount,
      firstSeenAt: new Date(r.firstSeenAt).toISOString(),
      lastSeenAt: new Date(r.lastSeenAt).toISOString(),
    })),
  };
}
