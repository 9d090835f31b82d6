import { csvCell } from "@/lib/audit/csv-cell";
import { pool } from "@/lib/db";
import { DEFAULT_TENANT } from "@/lib/context/request-context";
import { CSV_COLUMNS, csvLine } from "@/lib/governance/export-governance-checks";
import { checksPageSql, toItem, type CheckRow } from "@/lib/governance/list-governance-checks";
import type { GovernanceCheckItem } from "@/lib/governance/types";

// The governance evidence of a case's package: for every privileged action among the case's events, the governance
// check (status and reason, as the Governance page shows it) and the approval ticket, JIT grant and policy decision
// it was matched with. Those records' raw records (the ticket, grant and decision exactly as ingested) join the
// package's raw records, with their inclusion proofs, like the events' own; governance/checks.json and .csv say
// which record is which, and which privileged actions had no matching record. A privileged event that no check
// covers (the analysis has not run since it arrived) is listed as unchecked rather than left out.

/** The matched record kinds, in the order the files name them. */
const KINDS = ["approval", "grant", "policyDecision"] as const;
type Kind = (typeof KINDS)[number];
const KIND_LABEL: Record<Kind, string> = { approval: "approval ticket", grant: "JIT grant", policyDecision: "policy decision" };

/** A record a check was matched with: its table row, and its raw record (null: the row has no ledger record). */
export type MatchedRecord = { kind: Kind; id: string; rawRecordId: string | null };

export type GovernanceEvidence = {
  checks: GovernanceCheckItem[];
  /** Per check id: the records it was matched with. */
  matched: Map<string, MatchedRecord[]>;
  /** Privileged events in scope that no governance check covers. */
  unchecked: { eventId: string; time: string; platform: string; action: string; actorName: string | null }[];
  /** The distinct raw record ids of the matched records, to add to the package. */
  rawRecordIds: string[];
};

type ScopeRow = {
  checkId: string | null;
  eventId: string;
  time: Date;
  platform: string;
  activity: string;
  actorName: string | null;
  approvalId: string | null;
  approvalRaw: string | null;
  grantId: string | null;
  grantRaw: string | null;
  policyDecisionId: string | null;
  policyRaw: string | null;
};

/** The case's events are those of its sessions plus the ones it cites directly (collect-case-evidence.ts). */
export type EventScope = { sessionIds: string[]; eventIds: string[] };

/**
 * `privilegedEventIds`: the case's events flagged privileged (collected with its event ids, so that no second pass
 * over a large case's events is needed); `inCase`: whether an event id is among the case's events. Checks are found
 * for those, and through their session or event id for the few actions a catalog marks although the source does not
 * flag them (kept only when the event is in the case: a check's session is the one of the last analysis run).
 */
export async function collectGovernanceEvidence(
  scope: EventScope & { privilegedEventIds: string[]; inCase: (eventId: string) => boolean },
): Promise<GovernanceEvidence> {
  const checked = (
    await pool().query<{ eventId: string }>(
      `SELECT g."eventId"::text AS "eventId" FROM governance_check g
        WHERE g."tenantId" = $3 AND (g."sessionId" = ANY($1::uuid[]) OR g."eventId" = ANY($2::bigint[]))`,
      [scope.sessionIds, scope.eventIds, DEFAULT_TENANT],
    )
  ).rows.map((r) => r.eventId);
  const candidates = [...new Set([...scope.privilegedEventIds, ...checked.filter(scope.inCase)])];
  // Each candidate with its check (if any) and the raw record ids of what the check matched.
  const rows = (
    await pool().query<ScopeRow>(
      `SELECT g.id AS "checkId", e.id::text AS "eventId", e.time, e.platform, e.activity, e."actorName",
              g."approvalId", a."rawRecordId"::text AS "approvalRaw", g."grantId", ag."rawRecordId"::text AS "grantRaw",
              g."policyDecisionId", pd."rawRecordId"::text AS "policyRaw"
         FROM event e
         LEFT JOIN governance_check g ON g."eventId" = e.id
         LEFT JOIN approval a ON a.id = g."approvalId"
         LEFT JOIN access_grant ag ON ag.id = g."grantId"
         LEFT JOIN policy_decision pd ON pd.id = g."policyDecisionId"
        WHERE e."tenantId" = $2 AND e.id = ANY($1::bigint[])
        ORDER BY e.time, e.id`,
      [candidates, DEFAULT_TENANT],
    )
  ).rows;
  const matched = new Map<string, MatchedRecord[]>();
  const unchecked: GovernanceEvidence["unchecked"] = [];
  const raws = new Set<string>();
  for (const r of rows) {
    if (!r.checkId) {
      unchecked.push({ eventId: r.eventId, time: r.time.toISOString(), platform: r.platform, action: r.activity, actorName: r.actorName });
      continue;
    }
    const found: MatchedRecord[] = [];
    const add = (kind: Kind, id: string | null, raw: string | null) => {
      if (!id) return;
      found.push({ kind, id, rawRecordId: raw });
      if (raw) raws.add(raw);
    };
    add("approval", r.approvalId, r.approvalRaw);
    add("grant", r.grantId, r.grantRaw);
    add("policyDecision", r.policyDecisionId, r.policyRaw);
    matched.set(r.checkId, found);
  }
  const ids = [...matched.keys()];
  const checks = ids.length
    ? (await pool().query<CheckRow>(checksPageSql({ ids, sort: "time", dir: "asc" }, 0, ids.length))).rows.map(toItem)
    : [];
  return { checks, matched, unchecked, rawRecordIds: [...raws] };
}

/** What a check's package entry says about its matched records. */
function matchedEntry(g: GovernanceEvidence, c: GovernanceCheckItem) {
  const found = g.matched.get(c.id) ?? [];
  const of = (kind: Kind) => found.find((m) => m.kind === kind) ?? null;
  const missing = KINDS.filter((k) => !of(k));
  return {
    records: Object.fromEntries(KINDS.map((k) => [k, of(k) && { id: of(k)!.id, rawRecordId: of(k)!.rawRecordId }])) as Record<
      Kind,
      { id: string; rawRecordId: string | null } | null
    >,
    missing: missing.map((k) => KIND_LABEL[k]),
    notInLedger: found.filter((m) => !m.rawRecordId).map((m) => KIND_LABEL[m.kind]),
  };
}

/** governance/checks.json: every check with its status, reason and matched records; the actions lacking a record. */
export function governanceChecksJson(g: GovernanceEvidence): Buffer {
  const actions = g.checks.map((c) => ({ ...c, matched: matchedEntry(g, c) }));
  const doc = {
    about:
      "Every privileged action among the case's events: the governance check's status and reason, and the approval ticket, JIT grant " +
      "and policy decision it was matched with. Each matched record's raw record (matched.records.*.rawRecordId) is in raw/index.ndjson " +
      "and raw/records.bin with its inclusion proof, checked by verify.mjs like every other record.",
    counts: {
      privilegedActions: g.checks.length + g.unchecked.length,
      checked: g.checks.length,
      ok: g.checks.filter((c) => c.status === "ok").length,
      withoutApproval: actions.filter((a) => !a.matched.records.approval).length,
      withoutGrant: actions.filter((a) => !a.matched.records.grant).length,
      unchecked: g.unchecked.length,
    },
    actions,
    // The actions with no approval ticket or no grant matched, by name: what the package states was not found.
    withoutMatchingRecord: actions
      .filter((a) => !a.matched.records.approval || !a.matched.records.grant)
      .map((a) => ({
        eventId: a.eventId,
        time: a.time,
        platform: a.platform,
        action: a.action,
        status: a.status,
        reason: a.reason,
        missing: a.matched.missing,
      })),
    // Privileged events that no governance check covers yet (analysis not run since they arrived): neither matched nor failed.
    unchecked: g.unchecked,
  };
  return Buffer.from(JSON.stringify(doc, null, 2) + "\n", "utf8");
}

/** governance/checks.csv: the Governance page's CSV columns plus the matched records' raw record ids and what is missing. */
export function governanceChecksCsv(g: GovernanceEvidence): Buffer {
  const extra = ["approvalRawRecordId", "grantRawRecordId", "policyDecisionRawRecordId", "missing"];
  const lines = [CSV_COLUMNS.join(",") + "," + extra.join(",") + "\r\n"];
  for (const c of g.checks) {
    const m = matchedEntry(g, c);
    const ids = [m.records.approval?.rawRecordId, m.records.grant?.rawRecordId, m.records.policyDecision?.rawRecordId];
    lines.push(csvLine(c).replace(/\r\n$/, "") + "," + [...ids, m.missing.join("; ")].map(csvCell).join(",") + "\r\n");
  }
  return Buffer.from(lines.join(""), "utf8");
}
