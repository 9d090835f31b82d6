import { pool } from "@/lib/db";
import { riskRule } from "./catalog";
import { dispositionSql } from "./disposition";
import type { FindingDetail } from "./types";
import { DEFAULT_TENANT } from "@/lib/context/request-context";

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// One finding with its proving events (at most the 200 the rule kept) and its full history. Null when absent.
export async function getFinding({ id }: { id: string }): Promise<FindingDetail | null> {
  if (!UUID.test(id)) return null;
  const f = (
    await pool().query(
      `SELECT f.*, f."eventIds"::text[] AS ids, f."dismissedEventIds"::text[] AS "coveredIds", f.evidence::jsonb->>'resolvedAt' AS "resolvedAt",
              ${dispositionSql("f")} AS disposition, du.email AS "dismissedByEmail", au.email AS "approvedByEmail",
              i."displayName" AS "iName", i.kind::text AS "iKind", s.platform AS "sPlatform"
         FROM finding f LEFT JOIN identity i ON i.id = f."identityId" LEFT JOIN session s ON s.id = f."sessionId"
         LEFT JOIN app_user du ON du.id = f."dismissedById" LEFT JOIN app_user au ON au.id = f."riskApprovedById"
        WHERE f.id = $1 AND f."tenantId" = $2`,
      [id, DEFAULT_TENANT],
    )
  ).rows[0];
  if (!f) return null;
  const [events, history] = await Promise.all([
    pool().query(
      `SELECT id::text, time, platform, activity, COALESCE("eventName", data->>'event_name') AS "eventName", status, "actorName", "srcIp", "targetName", privileged, "sessionId"
         FROM event WHERE id = ANY($1::bigint[]) ORDER BY time, id`,
      [f.ids],
    ),
    pool().query(
      `SELECT a.action, a.reason, a.at, u.email AS "actorEmail"
         FROM finding_activity a LEFT JOIN app_user u ON u.id = a."actorId"
        WHERE a."findingId" = $1 ORDER BY a.at, a.id`,
      [id],
    ),
  ]);
  const evidence = (f.evidence ?? {}) as Record<string, unknown>;
  return {
    id: f.id,
    ruleId: f.ruleId,
    ruleTitle: riskRule(f.ruleId)?.title ?? f.ruleId,
    severity: f.severity,
    title: f.title,
    status: f.status,
    resolvedAt: f.resolvedAt,
    disposition: f.disposition,
    dismissalType: f.dismissalType,
    riskExpiresAt: iso(f.riskExpiresAt),
    identity: f.identityId ? { id: f.identityId, name: f.iName ?? "(identity no longer present)", kind: f.iKind ?? "unknown" } : null,
    sessionId: f.sessionId,
    platform: f.sPlatform ?? events.rows[0]?.platform ?? null,
    eventCount: f.ids.length,
    firstSeenAt: new Date(f.firstSeenAt).toISOString(),
    lastSeenAt: new Date(f.lastSeenAt).toISOString(),
    evidence,
    dismissedReason: f.dismissedReason,
    dismissedAt: iso(f.dismissedAt),
    dismissedBy: f.dismissedByEmail ?? null,
    dismissedEventIds: f.coveredIds ?? [],
    riskApprovedBy: f.approvedByEmail ?? null,
    riskApprovedAt: iso(f.riskApprovedAt),
    events: events.rows.map((e) => ({ ...e, time: new Date(e.time).toISOString() })),
    history: history.rows.map((h) => ({ ...h, at: new Date(h.at).toISOString() })),
  };
}
