import { pool } from "@/lib/db";
import { RISK_RULES, SEVERITY_ORDER, SEVERITY_WEIGHT, type RiskSeverity } from "./catalog";
import { EVALUATORS, type RiskCandidate } from "./rules";
import { getRiskSettings, type RiskSettings } from "./settings";

export type RiskRunCounts = {
  raised: number;
  updated: number;
  /** Findings whose condition no longer holds (kept, marked resolved in their evidence). */
  resolved: number;
  byRule: Record<string, number>;
  sessionsScored: number;
};

/**
 * Evaluates every rule and upserts the findings by (tenantId, fingerprint) in one transaction.
 * - new fingerprint: insert + finding_activity "raised";
 * - existing: evidence, eventIds, title, lastSeenAt refreshed; status untouched (a dismissed finding stays dismissed);
 * - a finding this run no longer produces is kept (it is history and may be cited by a case) with
 *   evidence.resolvedAt set and an "updated" activity; it no longer counts toward session risk. If it fires again
 *   the marker is cleared.
 * Then session.riskScore / riskLevel are recomputed from the open, unresolved findings of each session (the session
 * the finding names, plus the sessions of its proving events).
 */
export async function runRiskRules({
  tenantId = "default",
  asOf,
  settings,
}: { tenantId?: string; asOf?: Date; settings?: RiskSettings } = {}): Promise<RiskRunCounts> {
  const cfg = settings ?? (await getRiskSettings());
  const client = await pool().connect();
  try {
    await client.query("BEGIN");
    // Serializes concurrent runs (correlation + API) without blocking readers.
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('sessionproof.risk:' || $1))`, [tenantId]);
    const clock =
      asOf ??
      (await client.query<{ t: Date | null }>(`SELECT max(time) AS t FROM event WHERE "tenantId" = $1`, [tenantId])).rows[0].t ??
      new Date();

    const candidates: RiskCandidate[] = [];
    const byRule: Record<string, number> = {};
    for (const rule of RISK_RULES) {
      const found = await EVALUATORS[rule.id]({ client, tenantId, settings: cfg, asOf: clock });
      byRule[rule.id] = found.length;
      candidates.push(...found);
    }
    const severity = new Map(RISK_RULES.map((r) => [r.id, r.severity]));

    const existing = await client.query<{ id: string; fingerprint: string; resolved: boolean }>(
      `SELECT id, fingerprint, (evidence::jsonb ? 'resolvedAt') AS resolved FROM finding WHERE "tenantId" = $1`,
      [tenantId],
    );
    const known = new Map(existing.rows.map((r) => [r.fingerprint, r]));
    let raised = 0;
    let updated = 0;
    const seen = new Set<string>();

    for (const c of candidates) {
      if (seen.has(c.fingerprint)) continue; // a rule's SQL yields one row per subject; guard anyway
      seen.add(c.fingerprint);
      const prev = known.get(c.fingerprint);
      if (!prev) {
        const ins = await client.query<{ id: string }>(
          `INSERT INTO finding (id, "tenantId", "ruleId", severity, title, "sessionId", "identityId", evidence, fingerprint,
                                "eventIds", "firstSeenAt", "lastSeenAt", "updatedAt")
           VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7::json, $8, $9::bigint[], $10, $11, now()) RETURNING id`,
          [tenantId, c.ruleId, severity.get(c.ruleId), c.title, c.sessionId, c.identityId, JSON.stringify(c.evidence), c.fingerprint, c.eventIds, c.firstSeenAt, c.lastSeenAt],
        );
        await client.query(`INSERT INTO finding_activity ("findingId", action, reason) VALUES ($1, 'raised', $2)`, [ins.rows[0].id, c.title]);
        raised++;
      } else {
        await client.query(
          `UPDATE finding SET title = $2, severity = $3, "sessionId" = $4, "identityId" = $5, evidence = $6::json,
                  "eventIds" = $7::bigint[], "firstSeenAt" = LEAST("firstSeenAt", $8), "lastSeenAt" = GREATEST("lastSeenAt", $9),
                  "updatedAt" = now()
            WHERE id = $1`,
          [prev.id, c.title, severity.get(c.ruleId), c.sessionId, c.identityId, JSON.stringify(c.evidence), c.eventIds, c.firstSeenAt, c.lastSeenAt],
        );
        if (prev.resolved) {
          await client.query(`INSERT INTO finding_activity ("findingId", action, reason) VALUES ($1, 'updated', 'The condition holds again.')`, [prev.id]);
        }
        updated++;
      }
    }

    const gone = existing.rows.filter((r) => !seen.has(r.fingerprint) && !r.resolved).map((r) => r.id);
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

    const scored = await scoreSessions(client, tenantId);
    await client.query("COMMIT");
    return { raised, updated, resolved: gone.length, byRule, sessionsScored: scored };
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

async function scoreSessions(client: import("pg").PoolClient, tenantId: string): Promise<number> {
  const weights = SEVERITY_ORDER.map((s) => `WHEN '${s}' THEN ${SEVERITY_WEIGHT[s]}`).join(" ");
  const rank = SEVERITY_ORDER.map((s, i) => `WHEN '${s}' THEN ${SEVERITY_ORDER.length - i}`).join(" ");
  const { rows } = await client.query<{ id: string; score: number; level: RiskSeverity }>(
    `WITH f AS (
       SELECT id, severity, "sessionId", "eventIds" FROM finding
        WHERE "tenantId" = $1 AND status = 'open' AND NOT (evidence::jsonb ? 'resolvedAt')),
     links AS (
       SELECT f.id, f.severity, f."sessionId" AS sid FROM f WHERE f."sessionId" IS NOT NULL
       UNION
       SELECT f.id, f.severity, e."sessionId" FROM f JOIN event e ON e.id = ANY(f."eventIds") WHERE e."sessionId" IS NOT NULL)
     SELECT sid AS id, sum(CASE severity ${weights} ELSE 0 END)::int AS score,
            (array_agg(severity ORDER BY CASE severity ${rank} ELSE 0 END DESC))[1] AS level
       FROM links GROUP BY sid`,
    [tenantId],
  );
  await client.query(
    `UPDATE session SET "riskScore" = 0, "riskLevel" = NULL
      WHERE "tenantId" = $1 AND ("riskScore" <> 0 OR "riskLevel" IS NOT NULL) AND NOT (id = ANY($2::uuid[]))`,
    [tenantId, rows.map((r) => r.id)],
  );
  await client.query(
    `UPDATE session s SET "riskScore" = u.score, "riskLevel" = u.level FROM unnest($1::uuid[], $2::int[], $3::text[]) AS u(id, score, level) WHERE s.id = u.id`,
    [rows.map((r) => r.id), rows.map((r) => r.score), rows.map((r) => r.level)],
  );
  return rows.length;
}
