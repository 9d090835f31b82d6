import { DEFAULT_TENANT, type RequestContext } from "@/lib/context/request-context";
import { withTransaction } from "@/lib/db/transaction";
import { RISK_RULES, SEVERITY_ORDER, SEVERITY_WEIGHT, type RiskSeverity } from "./catalog";
import { EVALUATORS, type RiskCandidate } from "./rules";
import { getRiskSettings, type RiskSettings } from "./settings";
import { COUNTS_AS_OPEN_SQL, dispositionSql } from "./disposition";
import type { RiskRunCounts } from "./run-risk-rules.types";

export type { RiskRunCounts } from "./run-risk-rules.types";

/**
 * Evaluates every rule and upserts the findings by (tenantId, fingerprint) in one transaction.
 * - new fingerprint: insert + finding_activity "raised";
 * - existing: evidence, eventIds, title, lastSeenAt refreshed when they changed (updatedAt: the last change); status
 *   untouched (a dismissed finding stays dismissed), unless it now names occurrences its dismissal did not cover: then
 *   it is open again with a "reopened" activity;
 * - a finding this run no longer produces is kept (it is history and may be cited by a case) with
 *   evidence.resolvedAt set and an "updated" activity; it no longer counts toward session risk. If it fires again
 *   the marker is cleared.
 * Then session.riskScore / riskLevel are recomputed from the findings that count as open (lib/risk/disposition.ts:
 * open, a risk acceptance awaiting approval or expired; never resolved) of each session (the session
 * the finding names, plus the sessions of its proving events).
 */
export async function runRiskRules({
  asOf,
  settings,
}: {
  /** Who asked: every change takes its context, though findings record no actor (their activity is the rules'). */
  ctx: RequestContext;
  asOf?: Date;
  settings?: RiskSettings;
}): Promise<RiskRunCounts> {
  const cfg = settings ?? (await getRiskSettings());
  // The lock serializes concurrent runs (correlation + API) without blocking readers.
  return withTransaction(
    async (client) => {
      const clock =
        asOf ??
        (await client.query<{ t: Date | null }>(`SELECT max(time) AS t FROM event WHERE "tenantId" = $1`, [DEFAULT_TENANT])).rows[0].t ??
        new Date();

      const candidates: RiskCandidate[] = [];
      const byRule: Record<string, number> = {};
      for (const rule of RISK_RULES) {
        const found = await EVALUATORS[rule.id]({ client, settings: cfg, asOf: clock });
        byRule[rule.id] = found.length;
        candidates.push(...found);
      }
      const severity = new Map(RISK_RULES.map((r) => [r.id, r.severity]));
      // One row per fingerprint (a rule's SQL yields one row per subject; guard anyway): the first wins.
      const seen = new Set<string>();
      const rows = candidates.filter((c) => !seen.has(c.fingerprint) && seen.add(c.fingerprint));

      // Set-based: the candidates go to a temporary table in one statement and each step below is one statement,
      // instead of a round trip per finding (a run can hold one finding per unapproved privileged action: tens of
      // thousands at a million events). Only findings whose content changes are written.
      await client.query(
        `CREATE TEMP TABLE risk_new ON COMMIT DROP AS
       SELECT * FROM json_to_recordset($1::json) AS x("ruleId" text, severity text, title text, "sessionId" uuid, "identityId" uuid,
              evidence jsonb, fingerprint text, "eventIds" bigint[], "firstSeenAt" timestamptz, "lastSeenAt" timestamptz)`,
        [
          JSON.stringify(
            rows.map((c) => ({
              ruleId: c.ruleId,
              severity: c.severity ?? severity.get(c.ruleId),
              title: c.title,
              sessionId: c.sessionId,
              identityId: c.identityId,
              evidence: c.evidence,
              fingerprint: c.fingerprint,
              eventIds: c.eventIds,
              firstSeenAt: c.firstSeenAt,
              lastSeenAt: c.lastSeenAt,
            })),
          ),
        ],
      );
      await client.query(`CREATE INDEX ON risk_new (fingerprint)`);
      const updated = Number(
        (
          await client.query<{ n: string }>(
            `SELECT count(*) AS n FROM finding f JOIN risk_new n ON n.fingerprint = f.fingerprint WHERE f."tenantId" = $1`,
            [DEFAULT_TENANT],
          )
        ).rows[0].n,
      );
      // A resolved finding whose condition holds again: said in its activity, and its marker cleared below (the new
      // evidence has none).
      await client.query(
        `INSERT INTO finding_activity ("findingId", action, reason)
       SELECT f.id, 'updated', 'The condition holds again.' FROM finding f JOIN risk_new n ON n.fingerprint = f.fingerprint
        WHERE f."tenantId" = $1 AND f.evidence::jsonb ? 'resolvedAt'`,
        [DEFAULT_TENANT],
      );
      // A dismissal covers the occurrences it named: a dismissed finding that now names others is open again.
      await client.query(
        `WITH reopened AS (
           UPDATE finding f SET status = 'open', "dismissalType" = NULL, "dismissedReason" = NULL, "dismissedById" = NULL,
                  "dismissedAt" = NULL, "dismissedEventIds" = '{}', "riskExpiresAt" = NULL, "riskApprovedById" = NULL,
                  "riskApprovedAt" = NULL, "updatedAt" = now()
             FROM risk_new n
            WHERE f."tenantId" = $1 AND f.fingerprint = n.fingerprint AND f.status = 'dismissed'
              AND NOT (n."eventIds" <@ coalesce(f."dismissedEventIds", '{}'))
           RETURNING f.id)
         INSERT INTO finding_activity ("findingId", action, reason)
         SELECT id, 'reopened', 'New occurrences that the dismissal did not cover.' FROM reopened`,
        [DEFAULT_TENANT],
      );
      // Existing: refreshed; status otherwise untouched (a dismissed finding stays dismissed for the occurrences it covers).
      await client.query(
        `UPDATE finding f SET title = n.title, severity = n.severity, "sessionId" = n."sessionId", "identityId" = n."identityId",
              evidence = n.evidence, "eventIds" = n."eventIds", "firstSeenAt" = LEAST(f."firstSeenAt", n."firstSeenAt"),
              "lastSeenAt" = GREATEST(f."lastSeenAt", n."lastSeenAt"), "updatedAt" = now()
         FROM risk_new n
        WHERE f."tenantId" = $1 AND f.fingerprint = n.fingerprint
          AND ((f.title, f.severity, f."sessionId", f."identityId", f.evidence::jsonb, f."eventIds")
                 IS DISTINCT FROM (n.title, n.severity, n."sessionId", n."identityId", n.evidence, n."eventIds")
               OR n."firstSeenAt" < f."firstSeenAt" OR n."lastSeenAt" > f."lastSeenAt")`,
        [DEFAULT_TENANT],
      );
      const raised =
        (
          await client.query(
            `WITH ins AS (
             INSERT INTO finding (id, "tenantId", "ruleId", severity, title, "sessionId", "identityId", evidence, fingerprint,
                                  "eventIds", "firstSeenAt", "lastSeenAt", "updatedAt")
             SELECT gen_random_uuid(), $1, n."ruleId", n.severity, n.title, n."sessionId", n."identityId", n.evidence, n.fingerprint,
                    n."eventIds", n."firstSeenAt", n."lastSeenAt", now()
               FROM risk_new n WHERE NOT EXISTS (SELECT 1 FROM finding f WHERE f."tenantId" = $1 AND f.fingerprint = n.fingerprint)
             RETURNING id, title)
           INSERT INTO finding_activity ("findingId", action, reason) SELECT id, 'raised', title FROM ins`,
            [DEFAULT_TENANT],
          )
        ).rowCount ?? 0;

      // A finding this run no longer produces is kept (history, maybe cited by a case), marked resolved.
      const gone = (
        await client.query<{ id: string }>(
          `SELECT f.id FROM finding f
          WHERE f."tenantId" = $1 AND NOT (f.evidence::jsonb ? 'resolvedAt')
            AND NOT EXISTS (SELECT 1 FROM risk_new n WHERE n.fingerprint = f.fingerprint)`,
          [DEFAULT_TENANT],
        )
      ).rows.map((r) => r.id);
      if (gone.length > 0) {
        await client.query(
          `UPDATE finding SET evidence = (evidence::jsonb || jsonb_build_object('resolvedAt', now()))::json, "updatedAt" = now() WHERE id = ANY($1::uuid[])`,
          [gone],
        );
        await client.query(
          `INSERT INTO finding_activity ("findingId", action, reason)
         SELECT id, 'updated', 'The condition no longer holds in the current data.' FROM unnest($1::uuid[]) AS id`,
          [gone],
        );
      }

      const scored = await scoreSessions(client);
      return { raised, updated, resolved: gone.length, byRule, sessionsScored: scored };
    },
    { lock: `sessionproof.risk:${DEFAULT_TENANT}` },
  );
}

async function scoreSessions(client: import("pg").PoolClient): Promise<number> {
  const weights = SEVERITY_ORDER.map((s) => `WHEN '${s}' THEN ${SEVERITY_WEIGHT[s]}`).join(" ");
  const rank = SEVERITY_ORDER.map((s, i) => `WHEN '${s}' THEN ${SEVERITY_ORDER.length - i}`).join(" ");
  const { rows } = await client.query<{ id: string; score: number; level: RiskSeverity }>(
    `WITH f AS (
       SELECT id, severity, "sessionId", "eventIds" FROM finding f
        WHERE "tenantId" = $1 AND ${dispositionSql("f")} IN (${COUNTS_AS_OPEN_SQL})),
     links AS (
       SELECT f.id, f.severity, f."sessionId" AS sid FROM f WHERE f."sessionId" IS NOT NULL
       UNION
       SELECT f.id, f.severity, e."sessionId" FROM f JOIN event e ON e.id = ANY(f."eventIds") WHERE e."sessionId" IS NOT NULL)
     SELECT sid AS id, sum(CASE severity ${weights} ELSE 0 END)::int AS score,
            (array_agg(severity ORDER BY CASE severity ${rank} ELSE 0 END DESC))[1] AS level
       FROM links GROUP BY sid`,
    [DEFAULT_TENANT],
  );
  await client.query(
    `UPDATE session SET "riskScore" = 0, "riskLevel" = NULL
      WHERE "tenantId" = $1 AND ("riskScore" <> 0 OR "riskLevel" IS NOT NULL) AND NOT (id = ANY($2::uuid[]))`,
    [DEFAULT_TENANT, rows.map((r) => r.id)],
  );
  await client.query(
    `UPDATE session s SET "riskScore" = u.score, "riskLevel" = u.level FROM unnest($1::uuid[], $2::int[], $3::text[]) AS u(id, score, level)
      WHERE s.id = u.id AND (s."riskScore", s."riskLevel") IS DISTINCT FROM (u.score, u.level)`,
    [rows.map((r) => r.id), rows.map((r) => r.score), rows.map((r) => r.level)],
  );
  return rows.length;
}
