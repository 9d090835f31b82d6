import { pool } from "@/lib/db";
import { and, raw, sql, type Sql } from "@/lib/db/sql";
import { DEFAULT_TENANT } from "@/lib/context/request-context";
import { primaryReason } from "./evaluate-check";
import type { ChecksPage, ChecksQuery, CheckStatus, FailingStatus, GovernanceCheckItem, PrivilegedCategory, RuleOutcome } from "./types";

// The governance checks list: filters (status or "problem", platform, category, identity, session, time range),
// sort, offset pagination with the total. One statement for the page and one for the count, over governance_check
// and the approval / grant / identity rows it points at. A failing status filters every check failing that rule.

/** ids: these checks only (the evidence package's, lib/export/governance-evidence.ts); not a query parameter. */
/** scope: only the actions among these events (a case's events: its sessions' and the events it cites). */
export type ChecksScope = { ids?: string[]; scope?: { sessionIds: string[]; eventIds: string[] } };
type Input = Partial<ChecksQuery> & ChecksScope;

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
    sql`g."tenantId" = ${DEFAULT_TENANT}`,
    f.status === "problem"
      ? sql`g.status <> 'ok'`
      : f.status === "ok"
        ? sql`g.status = 'ok'`
        : f.status && sql`${f.status} = ANY(g.statuses)`,
    f.platform && sql`g.platform = ${f.platform}`,
    f.category && sql`g.category = ${f.category}`,
    f.identityId && sql`g."identityId" = ${f.identityId}::uuid`,
    f.sessionId && sql`g."sessionId" = ${f.sessionId}::uuid`,
    f.ids && sql`g.id = ANY(${f.ids}::uuid[])`,
    f.from && sql`g.time >= ${f.from}`,
    f.to && sql`g.time <= ${f.to}`,
    f.scope && sql`(g."sessionId" = ANY(${f.scope.sessionIds}::uuid[]) OR g."eventId" = ANY(${f.scope.eventIds}::bigint[]))`,
  );
}

export type CheckRow = {
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
  approvalRef: string | null;
  system: string | null;
  ticketState: string | null;
  requester: string | null;
  approver: string | null;
  windowStart: Date | null;
  windowEnd: Date | null;
  approvedAt: Date | null;
  approved: boolean | null;
  grantId: string | null;
  grantExternalId: string | null;
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
  statuses: string[] | null;
  checks: RuleOutcome[];
  reasons: string[];
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const earliest = (a: Date | null, b: Date | null) => (a && b ? (a < b ? a : b) : (a ?? b));

/** The SELECT of one page of checks (shared with the CSV export, which reads every matching check page by page). */
export function checksPageSql(input: Input, offset: number, limit: number): Sql {
  const sort = input.sort ?? "time";
  const dir = input.dir === "asc" ? "ASC" : "DESC";
  return sql`SELECT g.id, g."eventId"::text AS "eventId", g.time, g.platform, g.action, g.category, g."actorName", g."targetName",
              g."identityId", i."displayName" AS "iName", i."primaryEmail" AS "iEmail", g."sessionId",
              g."approvalId", a."ticketKey", g."approvalRef", a.system, a.status AS "ticketState", a.requester, a.approver,
              a."windowStart", a."windowEnd", a."approvedAt", g.approved,
              g."grantId", ag."externalId" AS "grantExternalId", ag.privilege, ag.platform AS "grantPlatform", ag."grantedAt",
              ag."expiresAt", ag."revokedAt", g."insideWindow", g."minutesOutside", g."grantBroader", g."usedPrivilege",
              g."policyDecisionId", g."policyResult", pd.engine, g.status, g.statuses, g.checks, g.reasons
         FROM governance_check g
         LEFT JOIN identity i ON i.id = g."identityId"
         LEFT JOIN approval a ON a.id = g."approvalId"
         LEFT JOIN access_grant ag ON ag.id = g."grantId"
         LEFT JOIN policy_decision pd ON pd.id = g."policyDecisionId"
        WHERE ${checksFilterSql(input)}
        ORDER BY ${raw(SORT_SQL[sort])} ${raw(dir)} NULLS LAST, g.time DESC, g."eventId" ${raw(dir)}
        OFFSET ${Number(offset)} LIMIT ${Number(limit)}`;
}

export async function listGovernanceChecks(input: Input = {}): Promise<ChecksPage> {
  const offset = input.offset ?? 0;
  const limit = input.limit ?? 100;
  const c = pool();
  const [rows, count] = await Promise.all([
    c.query<CheckRow>(checksPageSql(input, offset, limit)),
    c.query<{ n: string }>(sql`SELECT count(*) AS n FROM governance_check g WHERE ${checksFilterSql(input)}`),
  ]);
  return { items: rows.rows.map(toItem), total: Number(count.rows[0].n), offset, limit };
}

/** One row of checksPageSql as the API shape. */
export function toItem(r: CheckRow): GovernanceCheckItem {
  const status = r.status as CheckStatus;
  const checks = Array.isArray(r.checks) ? r.checks : [];
  return {
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
            state: r.ticketState,
            requester: r.requester,
            approver: r.approver,
            approvedAt: iso(r.approvedAt),
            windowStart: iso(r.windowStart),
            windowEnd: iso(r.windowEnd),
          }
        : null,
    approvalRef: r.approvalRef,
    approved: r.approved,
    grant:
      r.grantId && r.privilege && r.grantedAt
        ? {
            id: r.grantId,
            externalId: r.grantExternalId ?? r.grantId,
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
    status,
    statuses: (r.statuses ?? []) as FailingStatus[],
    reason: checks.length ? primaryReason(status, checks) : r.reasons.join("; "),
    checks,
    reasons: r.reasons,
  };
}
