import type { PoolClient } from "pg";
import { DEFAULT_TENANT } from "@/lib/context/request-context";
import { APPROVAL_FAILURES } from "@/lib/governance/types";
import type { RiskSettings } from "./settings";
import { SEVERITY_ORDER, type RiskSeverity } from "./catalog";
import { hasInvisible, INVISIBLE_PG_CLASS, markInvisible, splitInvisible } from "@/lib/events/invisible";

// The rule evaluators: one set-based SQL query each over event / session / identity / credential /
// governance_check / access_grant, so millions of events never come into JS. Each returns candidate findings keyed by
// a fingerprint (rule id + subject) that is stable across runs, so re-running updates rather than duplicates.

export type RiskCandidate = {
  ruleId: string;
  fingerprint: string;
  title: string;
  sessionId: string | null;
  identityId: string | null;
  /** The proving event ids (bigint as text), oldest first, capped at MAX_EVENTS. */
  eventIds: string[];
  evidence: Record<string, unknown>;
  firstSeenAt: Date;
  lastSeenAt: Date;
  /** This finding's own severity, when the rule grades each finding (vendor-risk-signal); else the catalog's. */
  severity?: RiskSeverity;
};

type RuleContext = {
  client: PoolClient;
  settings: RiskSettings;
  /** The clock dormancy is measured against: the newest event unless given (logs are imported late). */
  asOf: Date;
};

const MAX_EVENTS = 200;

/** Identity kinds that are non-human identities (NHIs). */
const NHI = `ARRAY['service_account','oauth_app','api_token','bot','ai_agent','workload']::"IdentityKind"[]`;
/** Browser user agents: an NHI signing in with one is a person at a keyboard. */
const BROWSER_UA = `'(mozilla|chrome|safari|firefox|edg/|opera)'`;
/** Credential kinds that do not expire on their own. */
const LONG_LIVED = `ARRAY['aws_access_key','sp_secret','sp_certificate','pat','ssh_key','api_token']::"CredentialKind"[]`;

type Row = {
  subject: string;
  title: string;
  session_id: string | null;
  identity_id: string | null;
  event_ids: string[] | null;
  evidence: Record<string, unknown>;
  first_seen: Date;
  last_seen: Date;
  severity?: RiskSeverity | null;
};

async function run(ctx: RuleContext, ruleId: string, sql: string, params: unknown[]): Promise<RiskCandidate[]> {
  const { rows } = await ctx.client.query<Row>(sql, [DEFAULT_TENANT, ...params]);
  return rows.map((r) => ({
    ruleId,
    fingerprint: `${ruleId}:${r.subject}`,
    title: r.title,
    sessionId: r.session_id,
    identityId: r.identity_id,
    eventIds: (r.event_ids ?? []).slice(0, MAX_EVENTS).map(String),
    evidence: r.evidence,
    firstSeenAt: new Date(r.first_seen),
    lastSeenAt: new Date(r.last_seen),
    ...(r.severity ? { severity: r.severity } : {}),
  }));
}

const ev = (alias = "e") => `(array_agg(${alias}.id ORDER BY ${alias}.time, ${alias}.id))[1:${MAX_EVENTS}]`;
const idName = `coalesce(i."displayName", i."primaryEmail", 'unknown identity')`;
/**
 * Who ran a governance-checked action, in words: the resolved identity's display name first (a friendlier name than
 * the raw actor field, which may be a platform id), then the actor named by the record; "An unidentified actor" only
 * when neither is known. `g` is the governance_check row (or a row carrying its identityId and actorName).
 */
const checkActor = (g: string) =>
  `coalesce((SELECT x."displayName" FROM identity x WHERE x.id = ${g}."identityId"), ${g}."actorName", 'An unidentified actor')`;

type Evaluator = (ctx: RuleContext) => Promise<RiskCandidate[]>;

export const EVALUATORS: Record<string, Evaluator> = {
  // governance_check already joined each privileged action to its ticket and judged it by the approval rules: any
  // approval status among its failures means the action had no valid approval.
  "privileged-without-approval": (ctx) =>
    run(
      ctx,
      "privileged-without-approval",
      `SELECT 'event:' || g."eventId" AS subject,
              ${checkActor("g")} || ' ran ' || g.action || coalesce(' on ' || g."targetName", '') ||
                CASE a.s WHEN 'unapproved' THEN CASE WHEN g."approvalRef" IS NULL THEN ' without an approval ticket'
                                                     ELSE ' with ticket ' || g."approvalRef" || ' not approved' END
                         ELSE ' without a valid approval (' || replace(a.s, '_', ' ') || coalesce(', ' || g."approvalRef", '') || ')' END AS title,
              g."sessionId" AS session_id, g."identityId" AS identity_id, ARRAY[g."eventId"] AS event_ids,
              jsonb_build_object('action', g.action, 'category', g.category, 'platform', g.platform, 'actor', g."actorName",
                'target', g."targetName", 'ticket', g."approvalRef", 'approved', g.approved, 'checkStatus', g.status,
                'statuses', g.statuses, 'reasons', g.reasons,
                'rules', (SELECT jsonb_agg(c) FROM jsonb_array_elements(g.checks) c WHERE c->>'result' = 'fail')) AS evidence,
              g.time AS first_seen, g.time AS last_seen
         FROM governance_check g
         CROSS JOIN LATERAL (SELECT x.s FROM unnest(g.statuses) WITH ORDINALITY AS x(s, n) WHERE x.s = ANY($2::text[]) ORDER BY x.n LIMIT 1) a
        WHERE g."tenantId" = $1`,
      [APPROVAL_FAILURES],
    ),

  "privileged-outside-jit": (ctx) =>
    run(
      ctx,
      "privileged-outside-jit",
      `SELECT 'event:' || g."eventId" AS subject,
              ${checkActor("g")} || ' ran ' || g.action || ' ' || coalesce(g."minutesOutside"::text, '?') ||
                ' min outside the JIT window' AS title,
              g."sessionId" AS session_id, g."identityId" AS identity_id, ARRAY[g."eventId"] AS event_ids,
              jsonb_build_object('action', g.action, 'platform', g.platform, 'actor', g."actorName", 'target', g."targetName",
                'minutesOutside', g."minutesOutside", 'grantId', g."grantId", 'usedPrivilege', g."usedPrivilege",
                'checkStatus', g.status) AS evidence,
              g.time AS first_seen, g.time AS last_seen
         FROM governance_check g
        WHERE g."tenantId" = $1 AND g."insideWindow" IS FALSE`,
      [],
    ),

  // One incident per open-ended grant (every action it covered), or per actor and platform for the actions with no
  // grant where the platform requires one: not one finding per action.
  "standing-privilege": (ctx) =>
    run(
      ctx,
      "standing-privilege",
      `WITH s AS (
         SELECT g.*, ${checkActor("g")} AS actor, ag."externalId" AS grant_ref, ag.privilege AS grant_privilege, ag.principal,
                CASE WHEN ag.id IS NOT NULL AND ag."expiresAt" IS NULL THEN 'grant:' || ag.id
                     ELSE 'actor:' || g.platform || ':' || coalesce(g."identityId"::text, lower(g."actorName"), 'unknown') END AS subj
           FROM governance_check g LEFT JOIN access_grant ag ON ag.id = g."grantId"
          WHERE g."tenantId" = $1 AND 'standing_privilege' = ANY(g.statuses))
       SELECT subj AS subject,
              CASE WHEN min(grant_ref) IS NOT NULL
                   THEN coalesce(min(principal), min(actor), 'An unidentified actor') || ' used open-ended grant ' || min(grant_ref) ||
                        ' (' || min(grant_privilege) || ') for ' || count(*) || ' privileged actions: standing privilege'
                   ELSE min(actor) || ' ran ' || count(*) || ' privileged actions on ' || min(platform) ||
                        ' with no JIT grant: standing privilege' END AS title,
              (array_agg("sessionId" ORDER BY time DESC) FILTER (WHERE "sessionId" IS NOT NULL))[1] AS session_id,
              (array_agg("identityId") FILTER (WHERE "identityId" IS NOT NULL))[1] AS identity_id,
              (array_agg("eventId" ORDER BY time, "eventId"))[1:${MAX_EVENTS}] AS event_ids,
              jsonb_build_object('platform', min(platform), 'actions', count(*), 'grant', min(grant_ref), 'privilege', min(grant_privilege),
                'activities', (array_agg(DISTINCT action))[1:10],
                'reason', (array_agg((SELECT c->>'reason' FROM jsonb_array_elements(checks) c WHERE c->>'status' = 'standing_privilege' LIMIT 1)
                                     ORDER BY time DESC))[1]) AS evidence,
              min(time) AS first_seen, max(time) AS last_seen
         FROM s GROUP BY subj`,
      [],
    ),

  // One finding per grant: the actions it covered that needed less than it gave.
  "over-broad-grant": (ctx) =>
    run(
      ctx,
      "over-broad-grant",
      `SELECT 'grant:' || ag.id AS subject,
              'Grant ' || ag."externalId" || ' (' || ag.privilege || ' for ' || ag.principal || ') is broader than the ' || count(*) ||
                ' privileged actions it covered needed' AS title,
              (array_agg(g."sessionId" ORDER BY g.time DESC) FILTER (WHERE g."sessionId" IS NOT NULL))[1] AS session_id,
              (array_agg(g."identityId") FILTER (WHERE g."identityId" IS NOT NULL))[1] AS identity_id,
              (array_agg(g."eventId" ORDER BY g.time, g."eventId"))[1:${MAX_EVENTS}] AS event_ids,
              jsonb_build_object('grant', ag."externalId", 'granted', ag.privilege, 'principal', ag.principal, 'platform', ag.platform,
                'used', (array_agg(DISTINCT g."usedPrivilege"))[1:20], 'actions', count(*)) AS evidence,
              min(g.time) AS first_seen, max(g.time) AS last_seen
         FROM governance_check g JOIN access_grant ag ON ag.id = g."grantId"
        WHERE g."tenantId" = $1 AND 'over_broad_grant' = ANY(g.statuses)
        GROUP BY ag.id`,
      [],
    ),

  "human-use-of-nhi": (ctx) =>
    run(
      ctx,
      "human-use-of-nhi",
      `SELECT 'identity:' || i.id AS subject,
              ${idName} || ' (' || i.kind || ') signed in interactively from a browser' AS title,
              (array_agg(e."sessionId" ORDER BY e.time DESC) FILTER (WHERE e."sessionId" IS NOT NULL))[1] AS session_id,
              i.id AS identity_id, ${ev()} AS event_ids,
              jsonb_build_object('identityKind', i.kind, 'signIns', count(*),
                'userAgents', (array_agg(DISTINCT e."userAgent"))[1:5], 'sourceIps', (array_agg(DISTINCT e."srcIp") FILTER (WHERE e."srcIp" IS NOT NULL))[1:10]) AS evidence,
              min(e.time) AS first_seen, max(e.time) AS last_seen
         FROM event e JOIN identity i ON i.id = e."identityId"
        WHERE e."tenantId" = $1 AND e."classUid" = 3002 AND coalesce(e.status, 'success') <> 'failure'
          AND i.kind = ANY(${NHI}) AND i.kind <> 'ai_agent' AND e."userAgent" ~* ${BROWSER_UA}
        GROUP BY i.id`,
      [],
    ),

  // Two shapes of token replay: one session seen from several IPs, or a session whose every IP is new for an NHI
  // that already has a baseline of earlier sessions.
  "nhi-network-change": (ctx) =>
    run(
      ctx,
      "nhi-network-change",
      `WITH s AS (
         SELECT s.id, s."identityId", s."startedAt", s."endedAt", i.kind, ${idName} AS name,
                array_agg(DISTINCT e."srcIp") AS ips, ${ev()} AS event_ids, min(e.time) AS first_seen, max(e.time) AS last_seen
           FROM session s JOIN identity i ON i.id = s."identityId" JOIN event e ON e."sessionId" = s.id AND e."srcIp" IS NOT NULL
          WHERE s."tenantId" = $1 AND i.kind = ANY(${NHI})
          GROUP BY s.id, i.id),
       -- Per NHI and IP, when a session first showed it: an IP of a session is new when no earlier session had
       -- it. rank() - 1 counts the strictly earlier sessions. Both set-based: a pairwise comparison of an NHI's
       -- sessions grows with their square.
       first_ip AS (
         SELECT s."identityId", x.ip, min(s."startedAt") AS first_start FROM s, unnest(s.ips) x(ip) GROUP BY 1, 2),
       judged AS (
         SELECT s.*, cardinality(s.ips) > 1 AS changed,
                rank() OVER (PARTITION BY s."identityId" ORDER BY s."startedAt") - 1 AS prior,
                NOT EXISTS (SELECT 1 FROM unnest(s.ips) x(ip) JOIN first_ip f ON f."identityId" = s."identityId" AND f.ip = x.ip
                             WHERE f.first_start < s."startedAt") AS all_new
           FROM s)
       SELECT 'session:' || id AS subject,
              name || CASE WHEN changed THEN ' session changed network mid-session (' || cardinality(ips) || ' IPs)'
                           ELSE ' appeared from a new network' END AS title,
              id AS session_id, "identityId" AS identity_id, event_ids,
              jsonb_build_object('identityKind', kind, 'sourceIps', ips[1:10], 'changedMidSession', changed,
                'newNetwork', prior >= $2 AND all_new, 'priorSessions', prior) AS evidence,
              first_seen, last_seen
         FROM judged
        WHERE changed OR (prior >= $2 AND all_new)`,
      [ctx.settings.networkBaselineSessions],
    ),

  // NHIs: a password (and no MFA) is the only factor. Humans: the platform says MFA was not used, and policy requires it.
  "weak-authentication": (ctx) =>
    run(
      ctx,
      "weak-authentication",
      `WITH a AS (
         SELECT e.*, j.d, i.kind, ${idName} AS name,
                coalesce((SELECT bool_and(f ~* 'password') FROM jsonb_array_elements_text(j.d->'auth'->'factors') f), false)
                  OR j.d->'credential'->>'kind' = 'password' AS password_only,
                (j.d->'auth'->>'mfa')::boolean AS mfa
           FROM event e JOIN identity i ON i.id = e."identityId"
           -- OFFSET 0 keeps the conversion a single one per row (pulled up, each use would convert again).
           CROSS JOIN LATERAL (SELECT e.data::jsonb AS d OFFSET 0) j
          WHERE e."tenantId" = $1 AND e."classUid" = 3002 AND coalesce(e.status, 'success') <> 'failure'
            -- Only sign-ins that can qualify are converted: an NHI's needs the word password in its text, a
            -- person's an "mfa" key that is false or a string (substring tests on the stored text, no parse; the
            -- text as JSON.stringify writes it at ingest, or as jsonb prints it).
            AND ((i.kind = ANY(${NHI}) AND e.data::text ILIKE '%password%')
              OR (i.kind = 'human' AND $2 AND (strpos(e.data::text, '"mfa":false') > 0 OR strpos(e.data::text, '"mfa": false') > 0
                                              OR strpos(e.data::text, '"mfa":"') > 0 OR strpos(e.data::text, '"mfa": "') > 0))))
       SELECT 'identity:' || a."identityId" AS subject,
              min(a.name) || CASE WHEN min(a.kind::text) = 'human' THEN ' signed in without MFA' ELSE ' (' || min(a.kind::text) || ') signed in with a password only' END AS title,
              (array_agg(a."sessionId" ORDER BY a.time DESC) FILTER (WHERE a."sessionId" IS NOT NULL))[1] AS session_id,
              a."identityId" AS identity_id, ${ev("a")} AS event_ids,
              jsonb_build_object('identityKind', min(a.kind::text), 'signIns', count(*), 'platforms', array_agg(DISTINCT a.platform),
                'factors', (SELECT array_agg(DISTINCT f) FROM unnest(array_agg(a.d->'auth'->'factors')) x, jsonb_array_elements_text(x) f)) AS evidence,
              min(a.time) AS first_seen, max(a.time) AS last_seen
         FROM a
        WHERE (a.kind = ANY(${NHI}) AND a.password_only AND a.mfa IS NOT TRUE)
           OR (a.kind = 'human' AND $2 AND a.mfa IS FALSE)
        GROUP BY a."identityId"`,
      [ctx.settings.requireMfaForHumans],
    ),

  // "Still in use" = used after the day it crossed the maximum age, so the finding does not depend on today's date.
  "stale-long-lived-credential": (ctx) =>
    run(
      ctx,
      "stale-long-lived-credential",
      `SELECT 'credential:' || c.id AS subject,
              c.kind || ' ' || c."externalId" || ' used ' ||
                floor(extract(epoch FROM (c."lastUsedAt" - coalesce(c."issuedAt", c."firstSeenAt"))) / 86400)::int || ' days after issue' AS title,
              (SELECT s.id FROM session s WHERE s."credentialId" = c.id ORDER BY s."startedAt" DESC LIMIT 1) AS session_id,
              c."identityId" AS identity_id,
              (SELECT array_agg(x.id ORDER BY x.time, x.id) FROM (
                 SELECT e.id, e.time FROM event e
                  WHERE e."tenantId" = $1 AND e.platform = c.platform AND e."credentialKey" = c."externalId"
                    AND e.time > coalesce(c."issuedAt", c."firstSeenAt") + make_interval(days => $2)
                  ORDER BY e.time, e.id LIMIT ${MAX_EVENTS}) x) AS event_ids,
              jsonb_build_object('credentialKind', c.kind, 'credential', c."externalId", 'platform', c.platform,
                'issuedAt', coalesce(c."issuedAt", c."firstSeenAt"), 'issuedAtSource', CASE WHEN c."issuedAt" IS NULL THEN 'first seen' ELSE 'issued' END,
                'lastUsedAt', c."lastUsedAt", 'maxAgeDays', $2::int) AS evidence,
              coalesce(c."issuedAt", c."firstSeenAt") + make_interval(days => $2) AS first_seen, c."lastUsedAt" AS last_seen
         FROM credential c
        WHERE c."tenantId" = $1 AND c.kind = ANY(${LONG_LIVED}) AND c."lastUsedAt" IS NOT NULL
          AND coalesce(c."issuedAt", c."firstSeenAt") IS NOT NULL
          AND c."lastUsedAt" > coalesce(c."issuedAt", c."firstSeenAt") + make_interval(days => $2)`,
      [ctx.settings.maxCredentialAgeDays],
    ),

  "orphaned-or-dormant-nhi": (ctx) =>
    run(
      ctx,
      "orphaned-or-dormant-nhi",
      `SELECT 'identity:' || i.id AS subject,
              ${idName} || CASE WHEN o.status IN ('departed','disabled') THEN ' is still active after its owner ' || o."displayName" || ' ' || o.status
                                ELSE ' is still active, unused for ' || floor(extract(epoch FROM ($2::timestamptz - i."lastSeenAt")) / 86400)::int || ' days' END AS title,
              NULL::uuid AS session_id, i.id AS identity_id,
              (SELECT array_agg(x.id ORDER BY x.time, x.id) FROM (
                 SELECT e.id, e.time FROM event e WHERE e."identityId" = i.id ORDER BY e.time DESC, e.id DESC LIMIT 20) x) AS event_ids,
              jsonb_build_object('identityKind', i.kind, 'status', coalesce(i.status, 'active'), 'owner', o."displayName",
                'ownerStatus', o.status, 'lastSeenAt', i."lastSeenAt", 'asOf', $2::timestamptz, 'dormantDays', $3::int) AS evidence,
              coalesce(i."firstSeenAt", i."lastSeenAt", $2::timestamptz) AS first_seen, coalesce(i."lastSeenAt", $2::timestamptz) AS last_seen
         FROM identity i LEFT JOIN identity o ON o.id = i."ownerIdentityId"
        WHERE i."tenantId" = $1 AND i.kind = ANY(${NHI}) AND coalesce(i.status, 'active') NOT IN ('disabled', 'departed')
          AND (o.status IN ('departed', 'disabled') OR i."lastSeenAt" < $2::timestamptz - make_interval(days => $3))`,
      [ctx.asOf, ctx.settings.dormantDays],
    ),

  "nhi-cross-environment": (ctx) =>
    run(
      ctx,
      "nhi-cross-environment",
      `SELECT 'identity:' || i.id AS subject,
              ${idName} || ' used on ' || count(DISTINCT e.platform) || ' platforms and ' || count(DISTINCT e."clientAppId") || ' applications' AS title,
              NULL::uuid AS session_id, i.id AS identity_id,
              (SELECT array_agg(x.id ORDER BY x.time, x.id) FROM (
                 SELECT DISTINCT ON (e2.platform, e2."clientAppId") e2.id, e2.time FROM event e2 WHERE e2."identityId" = i.id
                  ORDER BY e2.platform, e2."clientAppId", e2.time) x) AS event_ids,
              jsonb_build_object('identityKind', i.kind, 'platforms', array_agg(DISTINCT e.platform),
                'applications', (array_agg(DISTINCT e."clientAppId") FILTER (WHERE e."clientAppId" IS NOT NULL))[1:20]) AS evidence,
              min(e.time) AS first_seen, max(e.time) AS last_seen
         FROM event e JOIN identity i ON i.id = e."identityId"
        WHERE e."tenantId" = $1 AND i.kind = ANY(${NHI})
        GROUP BY i.id
       HAVING count(DISTINCT e.platform) >= $2 OR count(DISTINCT e."clientAppId") >= $2`,
      [ctx.settings.crossEnvironmentMin],
    ),

  // Granted: the scopes the platforms list on the NHI's events (GitHub token_scopes, Slack scopes, Workspace scope)
  // plus its JIT/PAM grants. Used: the distinct privileges governance saw it use, or else the distinct activity
  // families (the part of the activity before its last dot) it performed.
  "excessive-scopes": (ctx) =>
    run(
      ctx,
      "excessive-scopes",
      `WITH nhi AS (SELECT id FROM identity WHERE kind = ANY(${NHI})),
       granted AS (
         -- Only NHIs can be reported, and only an event whose text names a scope key can list scopes: the others
         -- are never converted (substring test on the stored text).
         SELECT e."identityId" AS id, lower(trim(s)) AS scope
           FROM event e JOIN nhi ON nhi.id = e."identityId"
           CROSS JOIN LATERAL (SELECT e.data::jsonb->'extra' AS x OFFSET 0) j,
           LATERAL regexp_split_to_table(coalesce(j.x->>'token_scopes', j.x->>'scopes', j.x->>'scope', ''), '[,\\s]+') s
          WHERE e."tenantId" = $1 AND strpos(e.data::text, '"scope') + strpos(e.data::text, '"token_scopes"') > 0 AND trim(s) <> ''
         UNION
         SELECT g."identityId", lower(g.privilege) FROM access_grant g JOIN nhi ON nhi.id = g."identityId" WHERE g."tenantId" = $1),
       g AS (SELECT id, array_agg(scope ORDER BY scope) AS scopes FROM granted GROUP BY id HAVING count(*) >= $3),
       -- Used activity families, only for the NHIs that hold enough scopes to be reported (index on identityId).
       used AS (
         SELECT DISTINCT a.id, regexp_replace(a.activity, '\\.[^.]*$', '') AS what
           FROM (SELECT DISTINCT e."identityId" AS id, e.activity FROM event e
                  WHERE e."tenantId" = $1 AND e."identityId" IN (SELECT id FROM g)) a),
       u AS (SELECT id, array_agg(what ORDER BY what) AS used FROM used GROUP BY id)
       SELECT 'identity:' || i.id AS subject,
              ${idName} || ' holds ' || cardinality(g.scopes) || ' scopes but uses ' || cardinality(coalesce(u.used, '{}')) AS title,
              NULL::uuid AS session_id, i.id AS identity_id,
              (SELECT array_agg(x.id ORDER BY x.time, x.id) FROM (
                 SELECT e.id, e.time FROM event e WHERE e."identityId" = i.id ORDER BY e.time DESC, e.id DESC LIMIT 20) x) AS event_ids,
              jsonb_build_object('identityKind', i.kind, 'grantedScopes', g.scopes[1:50], 'usedActivities', u.used[1:50],
                'ratio', round(cardinality(g.scopes)::numeric / greatest(cardinality(coalesce(u.used, '{}')), 1), 1), 'threshold', $2::float8) AS evidence,
              coalesce(i."firstSeenAt", now()) AS first_seen, coalesce(i."lastSeenAt", now()) AS last_seen
         FROM g JOIN identity i ON i.id = g.id LEFT JOIN u ON u.id = g.id
        WHERE i.kind = ANY(${NHI}) AND cardinality(g.scopes) >= $3
          AND cardinality(g.scopes)::float8 / greatest(cardinality(coalesce(u.used, '{}')), 1) >= $2`,
      [ctx.settings.scopeRatio, ctx.settings.minGrantedScopes],
    ),

  "oauth-bulk-data-access": (ctx) =>
    run(
      ctx,
      "oauth-bulk-data-access",
      `WITH r AS (
         SELECT e.*, coalesce(e."identityId"::text, 'app:' || e.platform || ':' || e."clientAppId") AS subj,
                e.activity ~* '(export|download|bulk)' AS is_export
           FROM event e LEFT JOIN identity i ON i.id = e."identityId"
          WHERE e."tenantId" = $1
            AND (i.kind = 'oauth_app' OR (strpos(e.data::text, 'oauth_app') > 0 AND e.data::jsonb->'actor'->>'kind_hint' = 'oauth_app'))
            AND e.activity ~* '(export|download|bulk|read|get|list|view|access)'),
       per AS (
         SELECT subj, max(n) AS peak FROM (SELECT subj, count(*) AS n FROM r WHERE NOT is_export GROUP BY subj, date_trunc('hour', time)) h GROUP BY subj)
       SELECT r.subj AS subject,
              coalesce(min(r."actorName"), min(r."clientAppId"), 'OAuth app') ||
                CASE WHEN count(*) FILTER (WHERE r.is_export) > 0 THEN ' exported data ' || count(*) FILTER (WHERE r.is_export) || ' times'
                     ELSE ' read ' || coalesce(min(per.peak), 0) || ' items in one hour' END AS title,
              (array_agg(r."sessionId" ORDER BY r.time DESC) FILTER (WHERE r."sessionId" IS NOT NULL))[1] AS session_id,
              (array_agg(r."identityId") FILTER (WHERE r."identityId" IS NOT NULL))[1] AS identity_id, ${ev("r")} AS event_ids,
              jsonb_build_object('exports', count(*) FILTER (WHERE r.is_export), 'reads', count(*) FILTER (WHERE NOT r.is_export),
                'peakReadsPerHour', coalesce(min(per.peak), 0), 'threshold', $2::int, 'activities', (array_agg(DISTINCT r.activity))[1:10],
                'application', min(r."clientAppId")) AS evidence,
              min(r.time) AS first_seen, max(r.time) AS last_seen
         FROM r LEFT JOIN per ON per.subj = r.subj
        GROUP BY r.subj
       HAVING count(*) FILTER (WHERE r.is_export) > 0 OR coalesce(min(per.peak), 0) >= $2`,
      [ctx.settings.bulkReadThreshold],
    ),

  // Delegated: the session's initiator is someone else (impersonation, assumed role, on-behalf-of). Service-to-service:
  // the session's own identity is a service account or workload. AI agents have their own, stricter rule.
  "delegated-high-impact-change": (ctx) =>
    run(
      ctx,
      "delegated-high-impact-change",
      `SELECT 'session:' || s.id AS subject,
              ${idName} || CASE WHEN s."initiatorIdentityId" IS NOT NULL AND s."initiatorIdentityId" <> s."identityId"
                                  THEN ' (on behalf of ' || coalesce(ini."displayName", 'another identity') || ')' ELSE ' (service-to-service)' END ||
                ' made ' || count(*) || ' privileged changes' AS title,
              s.id AS session_id, s."identityId" AS identity_id, ${ev()} AS event_ids,
              jsonb_build_object('identityKind', i.kind, 'initiator', ini."displayName", 'initiatorKind', ini.kind,
                'delegated', s."initiatorIdentityId" IS NOT NULL AND s."initiatorIdentityId" <> s."identityId",
                'privilegedChanges', count(*), 'activities', (array_agg(DISTINCT e.activity))[1:10], 'platform', s.platform) AS evidence,
              min(e.time) AS first_seen, max(e.time) AS last_seen
         FROM session s JOIN identity i ON i.id = s."identityId" LEFT JOIN identity ini ON ini.id = s."initiatorIdentityId"
         JOIN event e ON e."sessionId" = s.id AND e.privileged
        WHERE s."tenantId" = $1 AND i.kind <> 'ai_agent' AND coalesce(ini.kind::text, '') <> 'ai_agent'
          AND ((s."initiatorIdentityId" IS NOT NULL AND s."initiatorIdentityId" <> s."identityId") OR i.kind IN ('service_account', 'workload'))
        GROUP BY s.id, i.id, ini.id`,
      [],
    ),

  // The vendors' own verdicts (NormalizedEvent.risk, written by each source with its severity mapping): one finding per
  // session (or event, without one) and signal, titled with the vendor's words. The text search first skips, without
  // parsing, every event whose JSON has no risk signal at all (nearly all of them).
  "vendor-risk-signal": (ctx) =>
    run(
      ctx,
      "vendor-risk-signal",
      `WITH r AS (
         SELECT e.id, e.time, e.platform, e."sessionId", e."identityId", e."actorName", x.r, x.r->>'signal' AS signal,
                coalesce('session:' || e."sessionId", 'event:' || e.id) AS subj,
                CASE x.r->>'severity' ${SEVERITY_ORDER.map((v, i) => `WHEN '${v}' THEN ${SEVERITY_ORDER.length - i}`).join(" ")} ELSE 0 END AS rank
           FROM event e CROSS JOIN LATERAL (SELECT e.data::jsonb->'risk' AS r) x
          WHERE e."tenantId" = $1 AND strpos(e.data::text, '"signal":') > 0
            AND jsonb_typeof(x.r) = 'object' AND x.r->>'signal' IS NOT NULL),
       why AS (
         SELECT subj, signal, array_agg(DISTINCT w ORDER BY w) AS reasons
           FROM r CROSS JOIN LATERAL jsonb_array_elements_text(r.r->'reasons') w GROUP BY subj, signal),
       g AS (
         SELECT r.subj, r.signal, min(r.platform) AS platform, count(*) AS n,
                (array_agg(r.r ORDER BY r.rank DESC, r.time DESC, r.id DESC))[1] AS top,
                (array_agg(r."sessionId") FILTER (WHERE r."sessionId" IS NOT NULL))[1] AS session_id,
                (array_agg(r."identityId" ORDER BY r.time, r.id) FILTER (WHERE r."identityId" IS NOT NULL))[1] AS identity_id,
                (array_agg(r."actorName" ORDER BY r.time, r.id) FILTER (WHERE r."actorName" IS NOT NULL))[1] AS actor_name,
                ${ev("r")} AS event_ids, min(r.time) AS first_seen, max(r.time) AS last_seen
           FROM r GROUP BY r.subj, r.signal)
       SELECT g.subj || ':' || g.signal AS subject,
              (g.top->>'label') ||
                coalesce(' (' || nullif(concat_ws(', ', g.top->>'vendor_level', g.top->>'vendor_state'), '') || ')', '') ||
                ' for ' || coalesce(i."displayName", i."primaryEmail", g.actor_name, 'an unknown actor') ||
                coalesce(': ' || array_to_string(why.reasons[1:5], ', ') || CASE WHEN cardinality(why.reasons) > 5 THEN ', …' ELSE '' END, '') ||
                CASE WHEN g.n > 1 THEN ' (' || g.n || ' events)' ELSE '' END AS title,
              g.session_id, g.identity_id, g.event_ids,
              jsonb_build_object('platform', g.platform, 'signal', g.signal, 'label', g.top->>'label',
                'vendorLevel', g.top->'vendor_level', 'vendorState', g.top->'vendor_state', 'reasons', coalesce(to_jsonb(why.reasons), '[]'::jsonb),
                'severity', g.top->>'severity', 'events', g.n) AS evidence,
              g.top->>'severity' AS severity, g.first_seen, g.last_seen
         FROM g LEFT JOIN why ON why.subj = g.subj AND why.signal = g.signal
         LEFT JOIN identity i ON i.id = g.identity_id`,
      [],
    ),

  // An agent's privileged event is covered only by an approved ticket (governance_check.approved = true).
  "ai-agent-without-approval": (ctx) =>
    run(
      ctx,
      "ai-agent-without-approval",
      `WITH a AS (
         SELECT e.*, i."displayName" AS iname, ini."displayName" AS ininame, g."approvalRef",
                CASE WHEN e."sessionId" IS NULL AND e."identityId" IS NULL THEN e.platform || ':' || coalesce(e."actorExternalId", e."actorName") END AS ak
           FROM event e LEFT JOIN identity i ON i.id = e."identityId"
           LEFT JOIN session s ON s.id = e."sessionId" LEFT JOIN identity ini ON ini.id = s."initiatorIdentityId"
           LEFT JOIN governance_check g ON g."eventId" = e.id
          WHERE e."tenantId" = $1 AND e.privileged
            AND (i.kind = 'ai_agent' OR (strpos(e.data::text, 'ai_agent') > 0 AND e.data::jsonb->'actor'->>'kind_hint' = 'ai_agent'))
            AND g.approved IS NOT TRUE)
       SELECT coalesce('session:' || a."sessionId", 'identity:' || a."identityId", 'actor:' || a.ak) AS subject,
              coalesce(min(a.iname), min(a."actorName"), 'AI agent') || ' (AI agent) made ' || count(*) || ' privileged changes without human approval' AS title,
              a."sessionId" AS session_id, a."identityId" AS identity_id, ${ev("a")} AS event_ids,
              jsonb_build_object('privilegedChanges', count(*), 'activities', (array_agg(DISTINCT a.activity))[1:10],
                'platform', min(a.platform), 'tickets', array_agg(DISTINCT a."approvalRef") FILTER (WHERE a."approvalRef" IS NOT NULL),
                'initiator', min(a.ininame)) AS evidence,
              min(a.time) AS first_seen, max(a.time) AS last_seen
         FROM a
        GROUP BY a."sessionId", a."identityId", a.ak`,
      [],
    ),

  // Identities equal once invisible characters are removed, compared by name and by email: one finding per pair
  // (ids ordered, so the pair found from either side is one subject). The identity the finding names is the one
  // holding invisible characters (the first of the pair when both do); its events are the evidence.
  "lookalike-identities": async (ctx) => {
    const found = await run(
      ctx,
      "lookalike-identities",
      `WITH i AS (
         SELECT id, kind, "displayName" AS name, coalesce("primaryEmail", '') AS email, "firstSeenAt", "lastSeenAt",
                regexp_replace("displayName", $2, '', 'g') AS bare_name,
                regexp_replace(coalesce("primaryEmail", ''), $2, '', 'g') AS bare_email
           FROM identity WHERE "tenantId" = $1),
       odd AS (SELECT * FROM i WHERE bare_name <> name OR bare_email <> email),
       pairs AS (
         SELECT DISTINCT least(o.id, j.id) AS a, greatest(o.id, j.id) AS b
           FROM odd o JOIN i j ON j.id <> o.id
            AND ((o.bare_name <> '' AND j.bare_name = o.bare_name AND j.name <> o.name)
              OR (o.bare_email <> '' AND j.bare_email = o.bare_email AND j.email <> o.email)))
       SELECT 'pair:' || p.a || ':' || p.b AS subject, '' AS title, NULL::uuid AS session_id, shown.id AS identity_id,
              (SELECT ${ev()} FROM event e WHERE e."identityId" = shown.id) AS event_ids,
              jsonb_build_object('identities', jsonb_build_array(
                  jsonb_build_object('id', x.id, 'kind', x.kind, 'name', x.name, 'email', nullif(x.email, '')),
                  jsonb_build_object('id', y.id, 'kind', y.kind, 'name', y.name, 'email', nullif(y.email, ''))),
                'sameName', x.bare_name = y.bare_name, 'sameEmail', x.bare_email <> '' AND x.bare_email = y.bare_email) AS evidence,
              coalesce(least(x."firstSeenAt", y."firstSeenAt"), now()) AS first_seen,
              coalesce(greatest(x."lastSeenAt", y."lastSeenAt"), now()) AS last_seen
         FROM pairs p JOIN i x ON x.id = p.a JOIN i y ON y.id = p.b
         JOIN LATERAL (SELECT CASE WHEN x.id IN (SELECT id FROM odd) THEN x.id ELSE y.id END AS id) shown ON true`,
      [INVISIBLE_PG_CLASS],
    );
    // The title and evidence name each invisible character, so the finding cannot itself hide the difference.
    return found.map((c) => {
      const e = c.evidence as { identities: { name: string; email: string | null }[]; sameName: boolean };
      const byName = e.sameName && e.identities[0].name !== e.identities[1].name;
      // The one holding invisible characters first: "ad⟨ZWSP⟩min" looks like "admin".
      const [x, y] = e.identities
        .map((d) => (byName ? d.name : (d.email ?? d.name)))
        .sort((p, q) => Number(hasInvisible(q)) - Number(hasInvisible(p)));
      const invisible = new Set<string>();
      for (const d of e.identities) {
        for (const part of splitInvisible(`${d.name} ${d.email ?? ""}`))
          if ("codePoint" in part) invisible.add(`${part.codePoint} ${part.invisible}`);
      }
      return {
        ...c,
        title: `"${markInvisible(x)}" looks like "${markInvisible(y)}": they differ only by invisible characters`,
        evidence: { ...c.evidence, invisible: [...invisible] },
      };
    });
  },
};
