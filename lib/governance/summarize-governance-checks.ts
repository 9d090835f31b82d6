import { pool } from "@/lib/db";
import { param, sql } from "@/lib/db/sql";
import { checksFilterSql } from "./list-governance-checks";
import { DEFAULT_TENANT } from "@/lib/context/request-context";
import {
  CHECK_STATUSES,
  PRIVILEGED_CATEGORIES,
  type ChecksQuery,
  type ChecksSummary,
  type CheckStatus,
  type PrivilegedCategory,
} from "./types";

// The cards and the chart of the /governance page: checks counted in SQL under the same filters as the list
// (minus paging): per failing status every check failing that rule (a check can count under several), per
// category × shown status each check once; plus how many approvals, grants and decisions are stored (so that an
// empty page can say which feed is missing).

type Input = Partial<ChecksQuery>;

const zero = () => Object.fromEntries(CHECK_STATUSES.map((s) => [s, 0])) as Record<CheckStatus, number>;

export async function summarizeGovernanceChecks(input: Input = {}): Promise<ChecksSummary> {
  const tenantId = DEFAULT_TENANT;
  const where = checksFilterSql(input);
  const t = param(tenantId);
  const c = pool();
  const [grouped, failing, platforms, feeds] = await Promise.all([
    c.query<{ category: string; status: string; n: number; broader: number }>(
      sql`SELECT g.category, g.status, count(*)::int AS n, count(*) FILTER (WHERE g."grantBroader")::int AS broader
         FROM governance_check g WHERE ${where} GROUP BY 1, 2`,
    ),
    c.query<{ status: string; n: number }>(
      sql`SELECT s AS status, count(*)::int AS n FROM governance_check g, unnest(g.statuses) AS s WHERE ${where} GROUP BY 1`,
    ),
    c.query<{ platform: string }>(sql`SELECT DISTINCT platform FROM governance_check WHERE "tenantId" = ${tenantId} ORDER BY 1`),
    c.query<{ approvals: number; grants: number; decisions: number; privileged: number }>(
      sql`SELECT (SELECT count(*)::int FROM approval WHERE "tenantId" = ${t}) AS approvals,
              (SELECT count(*)::int FROM access_grant WHERE "tenantId" = ${t}) AS grants,
              (SELECT count(*)::int FROM policy_decision WHERE "tenantId" = ${t}) AS decisions,
              (SELECT count(*)::int FROM governance_check WHERE "tenantId" = ${t}) AS privileged`,
    ),
  ]);
  const byStatus = zero();
  const byCat = new Map<PrivilegedCategory, Record<CheckStatus, number>>();
  let total = 0;
  let broader = 0;
  for (const r of failing.rows) if (r.status in byStatus) byStatus[r.status as CheckStatus] = r.n;
  for (const r of grouped.rows) {
    const s = r.status as CheckStatus;
    const cat = r.category as PrivilegedCategory;
    if (!(s in byStatus)) continue;
    if (s === "ok") byStatus.ok += r.n;
    total += r.n;
    broader += r.broader;
    const row = byCat.get(cat) ?? byCat.set(cat, zero()).get(cat)!;
    row[s] += r.n;
  }
  const f = feeds.rows[0];
  return {
    total,
    byStatus,
    broader,
    byCategory: PRIVILEGED_CATEGORIES.filter((cat) => byCat.has(cat)).map((category) => ({ category, ...byCat.get(category)! })),
    platforms: platforms.rows.map((r) => r.platform),
    feeds: { approvals: f.approvals, grants: f.grants, decisions: f.decisions, checked: f.privileged },
  };
}
