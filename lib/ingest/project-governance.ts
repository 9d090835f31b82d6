import type { PoolClient } from "pg";
import { DEFAULT_TENANT } from "@/lib/context/request-context";
import type { EventApproval, JitGrant, NormalizedEventJson, EventPolicy } from "@/lib/events/schema";

// Governance facts carried by normalized events are projected into their own tables, so that checks and pages
// read one model whatever the feed: approval tickets (ServiceNow, Jira) → approval; JIT / PAM grants (the
// Sessionproof grant feed, Entra PIM activations, …) → access_grant; policy decisions (OPA decision logs and
// the decisions inside platform events: Okta sign-on policy, Entra Conditional Access) → policy_decision.
// Runs in the same transaction as the events of its chunk (lib/ingest), so a chunk's events and their
// projections land together. Idempotent: re-projecting the same events changes nothing.

export type ProjectableRow = { rawRecordId: string | number | bigint; data: NormalizedEventJson };

export type ProjectionCounts = { approvals: number; grants: number; decisions: number };

// PostgreSQL text cannot hold U+0000 (the event table's copy is cleaned the same way, lib/ingest/bulk-insert.ts).
const NUL = /\u0000/g;
const t = <T extends string | null>(v: T): T => (v !== null && v.includes("\u0000") ? (v.replace(NUL, "\uFFFD") as T) : v);

const iso = (v: string | null | undefined): string | null => {
  if (!v) return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
};

/**
 * Ticket states that call a change off for good (rejected, declined, cancelled, withdrawn, closed incomplete or
 * skipped, won't do, approval no longer required). Once a ticket is recorded in one, a later record does not make it
 * approved again: an approver's "approved" row read after its change was cancelled must not revive the change.
 */
export const REFUSED_TICKET_STATE =
  /reject|declin|cancel|withdr|closed.?incomplete|closed.?skipped|won.?t.?do|not.?required|no.?longer.?required/i;
const refused = (status: string | null | undefined) => status != null && REFUSED_TICKET_STATE.test(status);

type ApprovalRow = {
  system: string;
  ticketKey: string;
  status: string | null;
  approved: boolean | null;
  requester: string | null;
  approver: string | null;
  approvedAt: string | null;
  windowStart: string | null;
  windowEnd: string | null;
  scope: string | null;
  linkedIdentities: string[];
  linkedItems: string[];
  rawRecordId: string;
  /** Whether the ticket's own record was among them (its state and approval time decide over approvers' records). */
  own: boolean;
};

/**
 * Several records of one ticket in a chunk (the change and its approver records): later ones fill and override, except
 * that the ticket's own record decides its state, approval and approval time over an approver's record, and a refusal
 * stands.
 */
function mergeApprovals(rows: ProjectableRow[]): ApprovalRow[] {
  const byKey = new Map<string, ApprovalRow>();
  const withApproval = rows.filter((r) => r.data.approval).sort((a, b) => a.data.time.localeCompare(b.data.time));
  for (const r of withApproval) {
    const a = r.data.approval as EventApproval;
    const key = `${a.system}\u0000${a.ticket_key}`;
    const prev = byKey.get(key);
    const own = a.record !== "approver";
    // The earlier values stand when they are a refusal, or the ticket's own while this is an approver's record.
    const keep = prev !== undefined && ((refused(prev.status) && !refused(a.status)) || (prev.own && !own));
    const next: ApprovalRow = {
      system: a.system,
      ticketKey: a.ticket_key,
      status: keep ? prev.status : (a.status ?? prev?.status ?? null),
      approved: keep ? prev.approved : (a.approved ?? prev?.approved ?? null),
      requester: a.requester ?? prev?.requester ?? null,
      approver: a.approver ?? prev?.approver ?? null,
      approvedAt: keep && prev.approvedAt ? prev.approvedAt : (iso(a.approved_at) ?? prev?.approvedAt ?? null),
      windowStart: iso(a.window_start) ?? prev?.windowStart ?? null,
      windowEnd: iso(a.window_end) ?? prev?.windowEnd ?? null,
      scope: a.scope ?? prev?.scope ?? null,
      linkedIdentities: [...new Set([...(prev?.linkedIdentities ?? []), ...a.linked_identities])],
      linkedItems: [...new Set([...(prev?.linkedItems ?? []), ...a.linked_items])],
      rawRecordId: prev?.rawRecordId ?? String(r.rawRecordId),
      own: own || (prev?.own ?? false),
    };
    byKey.set(key, next);
  }
  return [...byKey.values()];
}

type GrantRow = {
  system: string;
  externalId: string;
  principal: string;
  privilege: string;
  platform: string;
  grantedAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  approvedBy: string | null;
  ticketKey: string | null;
  rawRecordId: string;
};

/**
 * A grant in force ("completed": the PIM activation completed, or a PAM feed's grant) becomes an access_grant;
 * a later "removed" of the same request id sets its revocation time. Grants without a principal or a
 * privilege cannot be checked against anything and are not projected (the event still holds them).
 */
function grantRows(rows: ProjectableRow[]): { grants: GrantRow[]; revocations: { system: string; externalId: string; at: string }[] } {
  const grants = new Map<string, GrantRow>();
  const revocations: { system: string; externalId: string; at: string }[] = [];
  for (const r of rows) {
    const j = r.data.jit as JitGrant | null;
    if (!j) continue;
    const externalId = j.request_id ?? r.data.native_id ?? `raw:${String(r.rawRecordId)}`;
    if (j.stage === "completed" || (j.stage === "removed" && j.revoked_time)) {
      const principal = j.principal_name ?? j.principal_id;
      const privilege = j.role_name ?? j.role_id;
      if (!principal || !privilege) continue;
      grants.set(`${j.provider}\u0000${externalId}`, {
        system: j.provider,
        externalId,
        principal,
        privilege,
        platform: j.target_platform ?? r.data.platform,
        grantedAt: iso(j.start_time) ?? r.data.time,
        expiresAt: iso(j.end_time),
        revokedAt: iso(j.revoked_time),
        approvedBy: j.approved_by,
        ticketKey: j.ticket,
        rawRecordId: String(r.rawRecordId),
      });
    } else if ((j.stage === "removed" || j.stage === "expired") && j.request_id) {
      if (j.stage === "removed") revocations.push({ system: j.provider, externalId: j.request_id, at: r.data.time });
    }
  }
  return { grants: [...grants.values()], revocations };
}

type DecisionRow = {
  engine: string;
  decisionId: string;
  time: string;
  policy: string | null;
  subject: string | null;
  action: string;
  result: string;
  input: string | null;
  rawRecordId: string;
};

function decisionRows(rows: ProjectableRow[]): DecisionRow[] {
  const out = new Map<string, DecisionRow>();
  for (const r of rows) {
    const p = r.data.policy as EventPolicy | null;
    if (!p) continue;
    const decisionId = p.decision_id ?? (r.data.native_id ? `event:${r.data.native_id}` : `raw:${String(r.rawRecordId)}`);
    const input = r.data.extra.input;
    out.set(`${p.engine}\u0000${decisionId}`, {
      engine: p.engine,
      decisionId,
      time: r.data.time,
      policy: p.policy_name ?? p.path,
      subject: r.data.actor.login ?? r.data.actor.name ?? r.data.actor.external_id,
      action: r.data.event_name,
      result: p.result,
      // JSON writes U+0000 as the escape \u0000, which jsonb refuses.
      input: input === undefined ? null : JSON.stringify(input).replaceAll("\\u0000", "\\ufffd"),
      rawRecordId: String(r.rawRecordId),
    });
  }
  return [...out.values()];
}

export async function projectGovernance(
  client: PoolClient,
  { sourceId, rows }: { sourceId: string; rows: ProjectableRow[] },
): Promise<ProjectionCounts> {
  const approvals = mergeApprovals(rows);
  const { grants, revocations } = grantRows(rows);
  const decisions = decisionRows(rows);

  // The ticket's own records, then the approvers' records of tickets seen only through them: an approver's record
  // does not override a stored ticket's state, approval or approval time (see mergeApprovals).
  for (const own of [true, false]) {
    const a = approvals.filter((x) => x.own === own);
    if (a.length === 0) continue;
    // Decided by the new row (the ticket's own record) or by the stored one (an approver's record); a refusal stands.
    const decide = (col: string) =>
      own
        ? `CASE WHEN approval.status ~* $15 AND NOT COALESCE(EXCLUDED.status ~* $15, false) THEN approval.${col}
                ELSE COALESCE(EXCLUDED.${col}, approval.${col}) END`
        : `COALESCE(approval.${col}, EXCLUDED.${col})`;
    await client.query(
      `INSERT INTO approval (id, "sourceId", system, "ticketKey", status, approved, requester, approver, "approvedAt", "windowStart",
         "windowEnd", scope, "linkedIdentities", "linkedItems", "rawRecordId")
       SELECT gen_random_uuid(), $1::uuid, u.system, u.key, u.status, u.approved, u.requester, u.approver, u.approved_at, u.ws, u.we,
         u.scope, ARRAY(SELECT json_array_elements_text(u.ids)), ARRAY(SELECT json_array_elements_text(u.items)), u.raw
       FROM ROWS FROM (unnest($2::text[]), unnest($3::text[]), unnest($4::text[]), unnest($5::boolean[]), unnest($6::text[]),
         unnest($7::text[]), unnest($8::timestamptz[]), unnest($9::timestamptz[]), unnest($10::timestamptz[]), unnest($11::text[]),
         json_array_elements($12::json), json_array_elements($13::json), unnest($14::bigint[]))
         AS u(system, key, status, approved, requester, approver, approved_at, ws, we, scope, ids, items, raw)
       ON CONFLICT ("tenantId", system, "ticketKey") DO UPDATE SET
         status = ${decide("status")},
         approved = ${decide("approved")},
         "approvedAt" = ${decide(`"approvedAt"`)},
         requester = COALESCE(EXCLUDED.requester, approval.requester),
         approver = COALESCE(EXCLUDED.approver, approval.approver),
         "windowStart" = COALESCE(EXCLUDED."windowStart", approval."windowStart"),
         "windowEnd" = COALESCE(EXCLUDED."windowEnd", approval."windowEnd"),
         scope = COALESCE(EXCLUDED.scope, approval.scope),
         "linkedIdentities" = ARRAY(SELECT DISTINCT x FROM unnest(approval."linkedIdentities" || EXCLUDED."linkedIdentities") AS x ORDER BY x),
         "linkedItems" = ARRAY(SELECT DISTINCT x FROM unnest(approval."linkedItems" || EXCLUDED."linkedItems") AS x ORDER BY x),
         "rawRecordId" = COALESCE(approval."rawRecordId", EXCLUDED."rawRecordId")`,
      [
        sourceId,
        a.map((x) => t(x.system)),
        a.map((x) => t(x.ticketKey)),
        a.map((x) => t(x.status)),
        a.map((x) => x.approved),
        a.map((x) => t(x.requester)),
        a.map((x) => t(x.approver)),
        a.map((x) => x.approvedAt),
        a.map((x) => x.windowStart),
        a.map((x) => x.windowEnd),
        a.map((x) => t(x.scope)),
        JSON.stringify(a.map((x) => x.linkedIdentities.map(t))),
        JSON.stringify(a.map((x) => x.linkedItems.map(t))),
        a.map((x) => x.rawRecordId),
        ...(own ? [REFUSED_TICKET_STATE.source] : []),
      ],
    );
  }

  if (grants.length) {
    const g = grants;
    await client.query(
      `INSERT INTO access_grant (id, "sourceId", system, "externalId", principal, privilege, platform, "grantedAt", "expiresAt",
         "revokedAt", "approvedBy", "ticketKey", "rawRecordId")
       SELECT gen_random_uuid(), $1::uuid, u.* FROM ROWS FROM (unnest($2::text[]), unnest($3::text[]), unnest($4::text[]),
         unnest($5::text[]), unnest($6::text[]), unnest($7::timestamptz[]), unnest($8::timestamptz[]), unnest($9::timestamptz[]),
         unnest($10::text[]), unnest($11::text[]), unnest($12::bigint[])) AS u
       ON CONFLICT ("tenantId", system, "externalId") DO UPDATE SET
         "expiresAt" = COALESCE(EXCLUDED."expiresAt", access_grant."expiresAt"),
         "revokedAt" = COALESCE(EXCLUDED."revokedAt", access_grant."revokedAt"),
         "approvedBy" = COALESCE(EXCLUDED."approvedBy", access_grant."approvedBy"),
         "ticketKey" = COALESCE(EXCLUDED."ticketKey", access_grant."ticketKey")`,
      [
        sourceId,
        g.map((x) => t(x.system)),
        g.map((x) => t(x.externalId)),
        g.map((x) => t(x.principal)),
        g.map((x) => t(x.privilege)),
        g.map((x) => t(x.platform)),
        g.map((x) => x.grantedAt),
        g.map((x) => x.expiresAt),
        g.map((x) => x.revokedAt),
        g.map((x) => t(x.approvedBy)),
        g.map((x) => t(x.ticketKey)),
        g.map((x) => x.rawRecordId),
      ],
    );
  }
  for (const r of revocations) {
    // The earliest removal is the revocation; a grant not seen yet gets it when its record arrives (the update
    // above keeps an existing revokedAt).
    await client.query(
      `UPDATE access_grant SET "revokedAt" = LEAST(COALESCE("revokedAt", $3::timestamptz), $3::timestamptz)
       WHERE "tenantId" = $4 AND system = $1 AND "externalId" = $2`,
      [t(r.system), t(r.externalId), r.at, DEFAULT_TENANT],
    );
  }

  if (decisions.length) {
    const d = decisions;
    await client.query(
      `INSERT INTO policy_decision (id, "sourceId", engine, "decisionId", time, policy, subject, action, result, input, "rawRecordId")
       SELECT gen_random_uuid(), $1::uuid, u.engine, u.did, u.time, u.policy, u.subject, u.action, u.result, u.input::jsonb, u.raw
       FROM ROWS FROM (unnest($2::text[]), unnest($3::text[]), unnest($4::timestamptz[]), unnest($5::text[]), unnest($6::text[]),
         unnest($7::text[]), unnest($8::text[]), unnest($9::text[]), unnest($10::bigint[])) AS u(engine, did, time, policy, subject, action, result, input, raw)
       ON CONFLICT ("tenantId", engine, "decisionId") DO NOTHING`,
      [
        sourceId,
        d.map((x) => t(x.engine)),
        d.map((x) => t(x.decisionId)),
        d.map((x) => x.time),
        d.map((x) => t(x.policy)),
        d.map((x) => t(x.subject)),
        d.map((x) => t(x.action)),
        d.map((x) => t(x.result)),
        d.map((x) => x.input),
        d.map((x) => x.rawRecordId),
      ],
    );
  }
  return { approvals: approvals.length, grants: grants.length, decisions: decisions.length };
}
