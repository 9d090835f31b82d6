import { pool } from "@/lib/db";
import type { IdentityKind } from "./types";
import { DEFAULT_TENANT } from "@/lib/context/request-context";

// The choices the Sessions page's filters offer, from the data: platforms and identity kinds that have sessions,
// risk levels in use; plus the counts that pick the right empty state (nothing ingested / ingested, not correlated).

/** What the filters can choose from: platforms and identity kinds that have sessions, and whether anything exists. */
export async function getSessionFacets(): Promise<{
  sessions: number;
  events: number;
  platforms: string[];
  kinds: IdentityKind[];
  riskLevels: string[];
}> {
  const c = pool();
  const [platforms, kinds, risks, events] = await Promise.all([
    c.query<{ platform: string; n: string }>(
      `SELECT platform, count(*) AS n FROM session WHERE "tenantId" = $1 GROUP BY platform ORDER BY platform`,
      [DEFAULT_TENANT],
    ),
    c.query<{ kind: IdentityKind }>(
      `SELECT DISTINCT i.kind::text AS kind FROM session s JOIN identity i ON i.id = s."identityId" WHERE s."tenantId" = $1 ORDER BY 1`,
      [DEFAULT_TENANT],
    ),
    c.query<{ r: string }>(`SELECT DISTINCT "riskLevel" AS r FROM session WHERE "tenantId" = $1 AND "riskLevel" IS NOT NULL ORDER BY 1`, [
      DEFAULT_TENANT,
    ]),
    // Counted up to a million: enough to tell "nothing ingested" from "ingested, not correlated" without a full count.
    c.query<{ n: number }>(`SELECT (SELECT count(*) FROM (SELECT 1 FROM event WHERE "tenantId" = $1 LIMIT 1000000) x)::int AS n`, [
      DEFAULT_TENANT,
    ]),
  ]);
  return {
    sessions: platforms.rows.reduce((a, r) => a + Number(r.n), 0),
    events: events.rows[0].n,
    platforms: platforms.rows.map((r) => r.platform),
    kinds: kinds.rows.map((r) => r.kind),
    riskLevels: risks.rows.map((r) => r.r),
  };
}
