import { pool } from "@/lib/db";
import { and, raw, sql, type Sql } from "@/lib/db/sql";
import type { ChecksPage, ChecksQuery, CheckStatus, GovernanceCheckItem, PrivilegedCategory } from "./types";
import { DEFAULT_TENANT } from "@/lib/context/request-context";

// The governance checks list: filters (status or "problem", platform, category, identity, session, time range),
// sort, offset pagination with the total. One statement for the page and one for the count, over governance_check
// and the approval / grant / identity rows it points at.

type Input = Partial<ChecksQuery> & { tenantId?: string };

const SORT_SQL: Record<NonNullable<ChecksQuery["sort"]>, string> = {
  time: `g.time`,
  platform: `g.platform`,
  category: `g.category`,
  status: `g.status`,
  actor: `lower(COALESCE(i."displayName", g."actorName"))`,
  minutes: `g."minutesOutside"`,
};

/** The WHERE condition for the filters (shared with the summary). */
export function checksFilterSql(f: Input): Sql {
  return and(
    sql`g."tenantId" = ${f.tenantId ?? DEFAULT_TENANT}`,
    f.status === "problem" ? sql`g.status <> 'ok'` : f.status && sql`g.status = ${f.status}`,
    f.platform && sql`g.platform = ${f.platform}`,
    f.category && sql`g.category = ${f.category}`,
    f.identityId && sql`g."identityId" = ${f.identityId}::uuid`,
    f.sessionId && sql`g."sessionId" = ${f.sessionId}::uuid`,
    f.from && sql`g.time >= ${f.from}`,
    f.to && sql`g.time <= ${f.to}`,
  );
}

type Row = {
  id: string;
  eventId: string;
  time: Date;
  platform: string;
  action: string;
  category: string;
  actorName: string | null;
  targetName: string | null;
  identityId: string | null;
  iName: string | null;
  iEmail: string | null;
  sessionId: string | null;
  approvalId: string | null;
  ticketKey: string | null;
  system: string | null;
  approver: string | null;
  windowStart: Date | null;
  windowEnd: Date | null;
  approvedAt: Date | null;
  approved: boolean | null;
  grantId: string | null;
  privilege: string | null;
  grantPlatform: string | null;
  grantedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  insideWindow: boolean | null;
  minutesOutside: number | null;
  grantBroader: boolean | null;
  usedPrivilege: string | null;
  policyDecisionId: string | null;
  policyResult: string | null;
  engine: string | null;
  status: string;
  reasons: string[];
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const earliest = (a: Date | null, b: Date | null) => (a && b ? (a < b ? a : b) : (a ?? b));

export async function listGovernanceChecks(input: Input = {}): Promise<ChecksPage> {
  const sort = input.sort ?? "time";
  const dir = input.dir === "asc" ? "ASC" : "DESC";
  const offset = input.offset ?? 0;
  const limit = input.limit ?? 100;
  const where = checksFilterSql(input);
  const c = pool();
  const [rows, count] = await Promise.all([
    c.query<Row>(
      sql`SELECT g.id, g."eventId"::text AS "eventId", g.time, g.platform, g.action, g.category, g."actorName", g."targetName",
              g."identityId", i."displayName" AS "iName", i."primaryEmail" AS "iEmail", g."sessionId",
              g."approvalId", a."ticketKey", a.system, a.approver, a."windowStart", a."windowEnd", a."approvedAt", g.approved,
              g."grantId", ag.privilege, ag.platform AS "grantPlatform", ag."grantedAt", ag."expiresAt", ag."revokedAt",
              g."insideWindow", g."minutesOutside", g."grantBroader", g."usedPrivilege",
              g."policyDecisionId", g."policyResult", pd.engine, g.status, g.reasons
         FROM governance_check g
         LEFT JOIN identity i ON i.id = g."identityId"
         LEFT JOIN approval a ON a.id = g."approvalId"
         LEFT JOIN access_grant ag ON ag.id = g."grantId"
         LEFT JOIN policy_decision pd ON pd.id = g."policyDecisionId"
        WHERE ${where}
        ORDER BY ${raw(SORT_SQL[sort])} ${raw(dir)} NULLS LAST, g.time DESC, g."eventId" ${raw(dir)}
        OFFSET ${Number(offset)} LIMIT ${Number(limit)}`,
    ),
    c.query<{ n: string }>(sql`SELECT count(*) AS n FROM governance_check g WHERE ${where}`),
  ]);
  const items: GovernanceCheckItem[] = rows.rows.map((r) => ({
    id: r.id,
    eventId: r.eventId,
    time: r.time.toISOString(),
    platform: r.platform,
    action: r.action,
    category: r.category as PrivilegedCategory,
    actorName: r.actorName,
    targetName: r.targetName,
    identity: r.identityId ? { id: r.identityId, name: r.iName ?? r.identityId, email: r.iEmail } : null,
    sessionId: r.sessionId,
    approval:
      r.approvalId && r.ticketKey
        ? {
            id: r.approvalId,
            ticketKey: r.ticketKey,
            system: r.system ?? "",
            approver: r.approver,
            windowStart: iso(r.windowStart ?? r.approvedAt),
            windowEnd: iso(r.windowEnd),
          }
        : null,
    approved: r.approved,
    grant:
      r.grantId && r.privilege && r.grantedAt
        ? {
            id: r.grantId,
            privilege: r.privilege,
            platform: r.grantPlatform ?? "",
            grantedAt: r.grantedAt.toISOString(),
            endsAt: iso(earliest(r.expiresAt, r.revokedAt)),
          }
        : null,
    insideWindow: r.insideWindow,
    minutesOutside: r.minutesOutside,
    grantBroader: r.grantBroader,
    usedPrivilege: r.usedPrivilege,
    policy: r.policyResult ? { id: r.policyDecisionId, result: r.policyResult, engine: r.engine } : null,
    status: r.status as CheckStatus,
    reasons: r.reasons,
  }));
  return { items, total: Number(count.rows[0].n), offset, limit };
}
