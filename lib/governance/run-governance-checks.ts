import type { RequestContext } from "@/lib/context/request-context";
import { pool } from "@/lib/db";
import { withTransaction } from "@/lib/db/transaction";
import { SOURCES } from "@/lib/sources/registry";
import type { CallerNamedActor } from "@/lib/sources/types";
import {
  applyTicketUses,
  evaluateCheck,
  type CandidateApproval,
  type CandidateGrant,
  type CheckEvent,
  type FoundDecision,
} from "./evaluate-check";
import { classifyPrivilegedAction, unflaggedActivities } from "./privileged-actions";
import { getGovernanceSettings, type GovernanceSettings } from "./settings";
import { CHECK_STATUSES, type CheckStatus, type GovernanceRunCounts } from "./types";

// Rebuilds governance_check: one row per privileged action, joined to the approval that covers it, the JIT grant
// that made it possible and the policy decision recorded at request time. Privileged events are a small share of
// the event table: SQL selects them (the `privileged` flag, plus the few (platform, activity, event name) the
// catalog may mark), approvals and grants (tickets and elevations, orders of magnitude fewer than events) are loaded
// once, policy decisions (which can be as many as requests) are picked per action in one set-based statement,
// and the matching itself is the pure evaluateCheck (then applyTicketUses counts each ticket's uses). Where a
// platform lets the caller choose the actor's name (AWS role session names), what proves the person is read here:
// the platform's proven-name field, an identity-provider-named session issuer, or a correlation link from a proven
// session (an IdP sign-in from the same address, or the session that minted the credential). The tenant's checks are brought to the new result in one
// transaction (only the rows that differ are written), so readers see the old checks or the new ones, never a
// mix. Call after runCorrelation: the checks read the identities and sessions it builds.

type EventRow = {
  id: string;
  platform: string;
  time: Date;
  activity: string;
  privileged: boolean;
  identityId: string | null;
  initiatorIdentityId: string | null;
  sessionId: string | null;
  sessionStart: Date | null;
  actorName: string | null;
  actorExternalId: string | null;
  targetName: string | null;
  rawRecordId: string;
  eventName: string | null;
  login: string | null;
  email: string | null;
  isGrant: boolean;
  actorType: string | null;
  objects: string[];
  objectAltIds: string[];
  sessionIssuer: string | null;
  provenName: string | null;
};

type GrantRow = CandidateGrant & { rawRecordId: string | null };

/** How far back a decision of the actor (not of its session, not its own) still counts as "at request time". */
const SUBJECT_DECISION_WINDOW = "1 hour";

/** Names an actor is known by in grants and tickets: the value, and for a path-like name (an assumed-role ARN) its last segment. */
function nameKeys(v: string | null | undefined): string[] {
  if (!v) return [];
  const s = v.trim().toLowerCase();
  if (!s) return [];
  const last = s.includes("/") ? s.slice(s.lastIndexOf("/") + 1) : null;
  return last && last !== s ? [s, last] : [s];
}

/** The platforms whose actor names the caller may choose, with what proves the person there. */
function callerNamedPlatforms(): Map<string, CallerNamedActor> {
  return new Map(SOURCES.flatMap((s) => (s.callerNamedActor ? [[s.platform, s.callerNamedActor] as const] : [])));
}

export async function runGovernanceChecks({
  ctx,
  settings,
}: {
  ctx: RequestContext;
  /** The settings to check with; the stored ones when not given. */
  settings?: GovernanceSettings;
}): Promise<GovernanceRunCounts> {
  const { tenantId } = ctx;
  const cfg = settings ?? (await getGovernanceSettings());
  const c = pool();
  const extra = unflaggedActivities();
  const callerNamed = callerNamedPlatforms();
  const provenField = (platform: string) => callerNamed.get(platform)?.provenNameField ?? "";
  const events = (
    await c.query<EventRow>(
      `SELECT e.id::text AS id, e.platform, e.time, e.activity, e.privileged, e."identityId", s."initiatorIdentityId", e."sessionId",
              s."startedAt" AS "sessionStart", e."actorName", e."actorExternalId", e."targetName", e."rawRecordId"::text AS "rawRecordId",
              COALESCE(e."eventName", e.data->>'event_name') AS "eventName", e.data->'actor'->>'login' AS login, e.data->'actor'->>'email' AS email,
              COALESCE(json_typeof(e.data->'jit') = 'object', false) AS "isGrant", e."actorType",
              ARRAY(SELECT v FROM json_array_elements(CASE WHEN json_typeof(e.data->'resources') = 'array' THEN e.data->'resources' END) r,
                    LATERAL (VALUES (r->>'name'), (r->>'id')) AS x(v) WHERE v IS NOT NULL) AS objects,
              ARRAY(SELECT r->>'alternate_id' FROM json_array_elements(CASE WHEN json_typeof(e.data->'resources') = 'array' THEN e.data->'resources' END) r
                     WHERE r->>'alternate_id' IS NOT NULL) AS "objectAltIds",
              e.data->'session'->>'issuer' AS "sessionIssuer",
              e.data->'extra'->>(($5::jsonb)->>e.platform) AS "provenName"
         FROM (
           -- The flagged ones through the partial index event_privileged_idx; the catalog's few unflagged (platform,
           -- activity) pairs by a hash join on the columns, reading event_name only for the events that match one.
           SELECT e.id FROM event e WHERE e."tenantId" = $1 AND e.privileged
           UNION
           SELECT e.id FROM event e JOIN unnest($2::text[], $3::text[], $4::text[]) AS u(platform, activity, pattern)
                  ON e.platform = u.platform AND e.activity = u.activity
            WHERE e."tenantId" = $1 AND NOT e.privileged AND COALESCE(e."eventName", e.data->>'event_name') ~* u.pattern) c
         JOIN event e ON e.id = c.id
         LEFT JOIN session s ON s.id = e."sessionId"`,
      [
        tenantId,
        extra.map((x) => x.platform),
        extra.map((x) => x.activity),
        extra.map((x) => x.pattern),
        JSON.stringify(Object.fromEntries([...callerNamed.keys()].map((p) => [p, provenField(p)]))),
      ],
    )
  ).rows;

  const candidates = events
    .map((e) => ({
      e,
      cls: classifyPrivilegedAction({
        platform: e.platform,
        eventName: e.eventName ?? e.activity,
        activity: e.activity,
        privileged: e.privileged,
        targetName: e.targetName,
      }),
    }))
    .filter((x): x is { e: EventRow; cls: NonNullable<typeof x.cls> } => x.cls !== null);

  // A caller-chosen actor name (an AWS role session's) proves no one: the events whose actor type is one, unless the
  // platform's proven-name field or an identity-provider-named issuer says who, need a link from a proven session:
  // an IdP sign-in that matched on the address too, or the session whose credential minted this one's. The linked
  // session is proven when none of its own events has a caller-named actor (one hop; a chain of role sessions is not
  // followed).
  const callerNamedOf = (e: EventRow) => {
    const cn = callerNamed.get(e.platform);
    return cn && e.actorType !== null && cn.actorTypes.includes(e.actorType) ? cn : null;
  };
  const needLink = [
    ...new Set(
      candidates
        .filter(({ e }) => {
          const cn = callerNamedOf(e);
          return cn && !e.provenName && !(e.sessionIssuer && cn.idpNamedIssuer.test(e.sessionIssuer)) && e.sessionId;
        })
        .map(({ e }) => e.sessionId!),
    ),
  ];
  const linkedProof = new Map<string, { identityId: string; kind: string; rule: string }>();
  if (needLink.length) {
    const pairs = [...callerNamed].flatMap(([p, cn]) => cn.actorTypes.map((t) => [p, t] as const));
    const rows = await c.query<{ sid: string; identityId: string; kind: string; rule: string }>(
      `SELECT DISTINCT ON (l."toSessionId") l."toSessionId" AS sid, fs."identityId", l.kind, l.rule
         FROM session_link l JOIN session fs ON fs.id = l."fromSessionId"
        WHERE l."toSessionId" = ANY($1::uuid[]) AND fs."identityId" IS NOT NULL
          AND (l.kind = 'credential_lineage' OR (l.kind = 'idp_to_app' AND (l."matchedFields"::jsonb) ? 'ip'))
          AND NOT EXISTS (SELECT 1 FROM event x JOIN unnest($2::text[], $3::text[]) AS u(platform, type)
                           ON x.platform = u.platform AND x."actorType" = u.type WHERE x."sessionId" = fs.id)
        ORDER BY l."toSessionId", l.confidence DESC`,
      [needLink, pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    );
    for (const r of rows.rows) linkedProof.set(r.sid, { identityId: r.identityId, kind: r.kind, rule: r.rule });
  }

  // The names of the identities involved: primary email and every alias, and the display names.
  const identityIds = [
    ...new Set([
      ...candidates.flatMap(({ e }) => [e.identityId, e.initiatorIdentityId].filter((x): x is string => x !== null)),
      ...[...linkedProof.values()].map((p) => p.identityId),
    ]),
  ];
  const identityNames = new Map<string, string[]>();
  const identityDisplay = new Map<string, string[]>();
  if (identityIds.length) {
    const rows = await c.query<{ id: string; names: string[]; display: string[] }>(
      `SELECT i.id, array_remove(array_agg(DISTINCT lower(a."externalId")) || lower(i."primaryEmail"), NULL) AS names,
              array_remove(ARRAY[i."displayName"], NULL) AS display
         FROM identity i LEFT JOIN identity_alias a ON a."identityId" = i.id
        WHERE i.id = ANY($1::uuid[]) GROUP BY i.id`,
      [identityIds],
    );
    for (const r of rows.rows) {
      identityNames.set(r.id, r.names);
      identityDisplay.set(r.id, r.display);
    }
  }

  const [approvalRows, grantRows] = await Promise.all([
    c.query<CandidateApproval>(
      `SELECT id, system, "ticketKey", approved, status, requester, approver, "approvedAt", "windowStart", "windowEnd", scope,
              "linkedIdentities", "linkedItems"
         FROM approval WHERE "tenantId" = $1`,
      [tenantId],
    ),
    c.query<GrantRow>(
      `SELECT id, "externalId", principal, "identityId", privilege, platform, "grantedAt", "expiresAt", "revokedAt", "ticketKey",
              "rawRecordId"::text AS "rawRecordId"
         FROM access_grant WHERE "tenantId" = $1`,
      [tenantId],
    ),
  ]);

  // Indexes from a name to the tickets and grants naming it, so each action looks at its own few candidates.
  const approvalsByName = new Map<string, CandidateApproval[]>();
  const approvalsByTicket = new Map<string, CandidateApproval[]>();
  const push = <T>(m: Map<string, T[]>, k: string, v: T) => (m.get(k) ?? m.set(k, []).get(k)!).push(v);
  for (const a of approvalRows.rows) {
    for (const n of new Set([...a.linkedIdentities, ...(a.requester ? [a.requester] : [])].map((x) => x.toLowerCase())))
      push(approvalsByName, n, a);
    push(approvalsByTicket, a.ticketKey.toLowerCase(), a);
  }
  const grantsByName = new Map<string, GrantRow[]>();
  const grantByRaw = new Map<string, GrantRow>();
  for (const g of grantRows.rows) {
    push(grantsByName, g.principal.toLowerCase(), g);
    if (g.identityId) push(grantsByName, `id:${g.identityId}`, g);
    if (g.rawRecordId) grantByRaw.set(g.rawRecordId, g);
  }

  const checkEvents: CheckEvent[] = candidates.map(({ e }) => {
    const base = {
      id: e.id,
      platform: e.platform,
      time: e.time,
      eventName: e.eventName ?? e.activity,
      objects: [...new Set([...(e.targetName ? [e.targetName] : []), ...e.objects])],
      objectAltIds: [...new Set(e.objectAltIds)],
      targetName: e.targetName,
      isGrant: e.isGrant,
      ownGrantId: e.isGrant ? (grantByRaw.get(e.rawRecordId)?.id ?? null) : null,
    };
    const named = (ids: string[], own: string[]) => ({
      identityIds: ids,
      keys: [...new Set([...own, ...ids.flatMap((id) => identityNames.get(id) ?? [])])],
      displayNames: ids.flatMap((id) => identityDisplay.get(id) ?? []),
    });
    const ownNames = [...nameKeys(e.actorName), ...nameKeys(e.actorExternalId), ...nameKeys(e.login), ...nameKeys(e.email)];
    const ids = [e.identityId, e.initiatorIdentityId].filter((x): x is string => x !== null);
    const cn = callerNamedOf(e);
    if (!cn) return { ...base, ...named(ids, ownNames), identity: { proven: true, reason: `the ${e.platform} record names the actor` } };
    const chosen = e.login ?? e.actorName ?? "?";
    if (e.provenName)
      return {
        ...base,
        ...named([], nameKeys(e.provenName)),
        identity: { proven: true, reason: `${cn.provenNameField} "${e.provenName}" names the person (not the caller-chosen "${chosen}")` },
      };
    if (e.sessionIssuer && cn.idpNamedIssuer.test(e.sessionIssuer))
      return {
        ...base,
        ...named(ids, ownNames),
        identity: {
          proven: true,
          reason: `the session was issued by an identity provider's role (${e.sessionIssuer}), which names it after the signed-in user`,
        },
      };
    const link = e.sessionId ? linkedProof.get(e.sessionId) : undefined;
    if (link)
      return {
        ...base,
        ...named([link.identityId], []),
        identity: {
          proven: true,
          reason: `${link.kind === "idp_to_app" ? "an identity-provider sign-in from the same address" : "the session that minted its credential"} (link ${link.rule}) proves who acted`,
        },
      };
    return {
      ...base,
      identityIds: [],
      keys: [],
      displayNames: [],
      identity: {
        proven: false,
        reason: `the actor is named only by ${cn.what}: "${chosen}"; no ${cn.provenNameField}, identity-provider sign-in link or credential lineage proves who it is`,
      },
    };
  });

  // The policy decision at request time, per action: the one recorded with the event itself (Okta / Entra CA in
  // the platform record), else the latest earlier one of the same session (the sign-on decision), else the
  // actor's latest decision within the last hour (an OPA decision for the request).
  const decisions = new Map<string, FoundDecision>();
  if (candidates.length) {
    const rows = await c.query<{
      eventId: string;
      id: string;
      engine: string;
      result: string;
      policy: string | null;
      how: FoundDecision["how"];
    }>(
      `WITH ev AS (
         SELECT u.id, u.raw, u.time, u.sid, u.sstart, ARRAY(SELECT json_array_elements_text(u.keys)) AS keys
           FROM ROWS FROM (unnest($2::bigint[]), unnest($3::bigint[]), unnest($4::timestamptz[]), unnest($5::uuid[]), unnest($6::timestamptz[]),
                json_array_elements($7::json)) AS u(id, raw, time, sid, sstart, keys))
       SELECT ev.id::text AS "eventId", d.id, d.engine, d.result, d.policy, d.how
         FROM ev
         JOIN LATERAL (
           SELECT * FROM (
             (SELECT pd.id, pd.engine, pd.result, pd.policy, 'own' AS how, 0 AS pri, pd.time FROM policy_decision pd
               WHERE pd."tenantId" = $1 AND pd.time = ev.time AND pd."rawRecordId" = ev.raw LIMIT 1)
             UNION ALL
             (SELECT pd.id, pd.engine, pd.result, pd.policy, 'session', 1, pd.time FROM policy_decision pd
                JOIN event e2 ON e2."rawRecordId" = pd."rawRecordId" AND e2."sessionId" = ev.sid
               WHERE ev.sid IS NOT NULL AND pd."tenantId" = $1
                 AND pd.time BETWEEN GREATEST(ev.sstart - interval '5 minutes', ev.time - interval '24 hours') AND ev.time
               ORDER BY pd.time DESC LIMIT 1)
             UNION ALL
             (SELECT pd.id, pd.engine, pd.result, pd.policy, 'subject', 2, pd.time FROM policy_decision pd
               WHERE pd."tenantId" = $1 AND pd.time BETWEEN ev.time - interval '${SUBJECT_DECISION_WINDOW}' AND ev.time
                 AND lower(pd.subject) = ANY(ev.keys)
               ORDER BY pd.time DESC LIMIT 1)
           ) x ORDER BY pri LIMIT 1
         ) d ON true`,
      [
        tenantId,
        candidates.map(({ e }) => e.id),
        candidates.map(({ e }) => e.rawRecordId),
        candidates.map(({ e }) => e.time),
        candidates.map(({ e }) => e.sessionId),
        candidates.map(({ e }) => e.sessionStart ?? e.time),
        JSON.stringify(checkEvents.map((e) => e.keys)),
      ],
    );
    for (const r of rows.rows) decisions.set(r.eventId, { id: r.id, engine: r.engine, result: r.result, policy: r.policy, how: r.how });
  }

  const results = candidates.map(({ e, cls }, i) => {
    const ev = checkEvents[i];
    // The identity the check names: the proven one. A caller-chosen name may have merged the event into someone
    // else's identity; an unproven actor names none.
    const identityId = !ev.identity.proven
      ? null
      : ev.identityIds.length
        ? ev.identityIds[0]
        : e.identityId && (identityNames.get(e.identityId) ?? []).some((n) => ev.keys.includes(n))
          ? e.identityId
          : null;
    const approvals = new Set<CandidateApproval>();
    const grants = new Set<CandidateGrant>();
    for (const k of ev.keys) {
      for (const a of approvalsByName.get(k) ?? []) approvals.add(a);
      for (const g of grantsByName.get(k) ?? []) grants.add(g);
    }
    for (const id of ev.identityIds) for (const g of grantsByName.get(`id:${id}`) ?? []) grants.add(g);
    if (ev.ownGrantId) grants.add(grantRows.rows.find((g) => g.id === ev.ownGrantId)!);
    // Tickets named by a candidate grant are candidates too (the grant was made for them).
    for (const g of grants) if (g.ticketKey) for (const a of approvalsByTicket.get(g.ticketKey.toLowerCase()) ?? []) approvals.add(a);
    const r = evaluateCheck({
      event: ev,
      classification: cls,
      approvals: [...approvals],
      grants: [...grants],
      decision: decisions.get(e.id) ?? null,
      settings: cfg,
    });
    return { e, cls, r, identityId, time: e.time, eventId: e.id };
  });
  applyTicketUses(results, cfg);

  // Concurrent runs (background correlation + API) would both insert the same new checks: one at a time (lock).
  await withTransaction(
    async (client) => {
      // The new checks go to a temporary table and only the differences reach governance_check: after a small batch
      // most checks are unchanged, and rewriting tens of thousands of rows (and their indexes) each run was most of
      // the run's time. An unchanged row keeps its id and checkedAt (the time its result last changed).
      await client.query(`CREATE TEMP TABLE gc_new (LIKE governance_check INCLUDING DEFAULTS) ON COMMIT DROP`);
      if (results.length) {
        await client.query(
          `INSERT INTO gc_new (id, "tenantId", "eventId", platform, time, action, category, "identityId", "sessionId", "actorName",
           "targetName", "approvalId", "approvalRef", approved, "grantId", "insideWindow", "minutesOutside", "grantBroader", "usedPrivilege",
           "policyDecisionId", "policyResult", status, reasons, statuses, checks)
         SELECT gen_random_uuid(), $1, u.event, u.platform, u.time, u.action, u.category, u.identity, u.session, u.actor, u.target, u.approval,
           u.ref, u.approved, u.gnt, u.inside, u.minutes, u.broader, u.used, u.decision, u.policy, u.status, u.reasons,
           ARRAY(SELECT json_array_elements_text(u.statuses)), u.checks::jsonb
         FROM ROWS FROM (unnest($2::bigint[]), unnest($3::text[]), unnest($4::timestamptz[]), unnest($5::text[]),
           unnest($6::text[]), unnest($7::uuid[]), unnest($8::uuid[]), unnest($9::text[]), unnest($10::text[]), unnest($11::uuid[]),
           unnest($12::text[]), unnest($13::boolean[]), unnest($14::uuid[]), unnest($15::boolean[]), unnest($16::int[]), unnest($17::boolean[]),
           unnest($18::text[]), unnest($19::uuid[]), unnest($20::text[]), unnest($21::text[]), json_array_elements($22::json),
           json_array_elements($23::json), json_array_elements($24::json))
           AS u(event, platform, time, action, category, identity, session, actor, target, approval, ref, approved, gnt, inside, minutes,
                broader, used, decision, policy, status, reasons, statuses, checks)`,
          [
            tenantId,
            results.map(({ e }) => e.id),
            results.map(({ e }) => e.platform),
            results.map(({ e }) => e.time),
            results.map(({ e }) => e.eventName ?? e.activity),
            results.map(({ cls }) => cls.category),
            results.map(({ identityId }) => identityId),
            results.map(({ e }) => e.sessionId),
            results.map(({ e }) => e.actorName),
            results.map(({ e }) => e.targetName),
            results.map(({ r }) => r.approvalId),
            results.map(({ r }) => r.approvalRef),
            results.map(({ r }) => r.approved),
            results.map(({ r }) => r.grantId),
            results.map(({ r }) => r.insideWindow),
            results.map(({ r }) => r.minutesOutside),
            results.map(({ r }) => r.grantBroader),
            results.map(({ r }) => r.usedPrivilege),
            results.map(({ r }) => r.policyDecisionId),
            results.map(({ r }) => r.policyResult),
            results.map(({ r }) => r.status),
            JSON.stringify(results.map(({ r }) => r.reasons)),
            JSON.stringify(results.map(({ r }) => r.statuses)),
            JSON.stringify(results.map(({ r }) => r.checks)),
          ],
        );
      }
      const cols = [
        "platform",
        "time",
        "action",
        "category",
        "identityId",
        "sessionId",
        "actorName",
        "targetName",
        "approvalId",
        "approvalRef",
        "approved",
        "grantId",
        "insideWindow",
        "minutesOutside",
        "grantBroader",
        "usedPrivilege",
        "policyDecisionId",
        "policyResult",
        "status",
        "reasons",
        "statuses",
        "checks",
      ].map((c) => `"${c}"`);
      const changed = `(${cols.map((c) => `g.${c}`).join(", ")}) IS DISTINCT FROM (${cols.map((c) => `n.${c}`).join(", ")})`;
      const diff = (
        await client.query<{ gone: string; changed: string; added: string }>(
          `SELECT (SELECT count(*) FROM governance_check g WHERE g."tenantId" = $1 AND NOT EXISTS (SELECT 1 FROM gc_new n WHERE n."eventId" = g."eventId")) AS gone,
                (SELECT count(*) FROM governance_check g JOIN gc_new n ON n."eventId" = g."eventId" WHERE g."tenantId" = $1 AND ${changed}) AS changed,
                (SELECT count(*) FROM gc_new n WHERE NOT EXISTS (SELECT 1 FROM governance_check g WHERE g."eventId" = n."eventId")) AS added`,
          [tenantId],
        )
      ).rows[0];
      // Each statement only when it has rows to write: an empty one would still count as a change for the caches
      // keyed on analytics_change (its trigger fires per statement).
      if (Number(diff.gone)) {
        await client.query(
          `DELETE FROM governance_check g WHERE g."tenantId" = $1 AND NOT EXISTS (SELECT 1 FROM gc_new n WHERE n."eventId" = g."eventId")`,
          [tenantId],
        );
      }
      if (Number(diff.changed)) {
        await client.query(
          `UPDATE governance_check g SET ${cols.map((c) => `${c} = n.${c}`).join(", ")}, "checkedAt" = now()
           FROM gc_new n WHERE n."eventId" = g."eventId" AND g."tenantId" = $1 AND ${changed}`,
          [tenantId],
        );
      }
      if (Number(diff.added)) {
        await client.query(
          `INSERT INTO governance_check SELECT n.* FROM gc_new n WHERE NOT EXISTS (SELECT 1 FROM governance_check g WHERE g."eventId" = n."eventId")`,
        );
      }
    },
    { lock: `sessionproof.governance:${tenantId}` },
  );

  // ok: the checks that passed; a failing status: every check failing that rule.
  const byStatus = Object.fromEntries(CHECK_STATUSES.map((s) => [s, 0])) as Record<CheckStatus, number>;
  for (const { r } of results) for (const s of r.statuses.length ? r.statuses : (["ok"] as const)) byStatus[s]++;
  return {
    checks: results.length,
    byStatus,
    approved: results.filter(({ r }) => r.approved === true).length,
    insideWindow: results.filter(({ r }) => r.insideWindow === true).length,
    outsideWindow: results.filter(({ r }) => r.insideWindow === false).length,
    grantBroader: results.filter(({ r }) => r.grantBroader === true).length,
    withPolicy: results.filter(({ r }) => r.policyDecisionId !== null).length,
  };
}
