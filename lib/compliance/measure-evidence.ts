import { pool } from "@/lib/db";
import { getCoverage } from "@/lib/coverage/get-coverage";
import type { CoverageReport, EvidenceField } from "@/lib/coverage/types";
import { EVIDENCE_FACTS, type FactId } from "./evidence-map";
import { DEFAULT_TENANT } from "@/lib/context/request-context";
import { APPROVAL_FAILURES } from "@/lib/governance/types";

// Measures every evidence fact and the findings per rule with a few aggregate queries (counts only: the event
// table can be huge), so the status of all controls of all frameworks comes from one pass.

type FactMeasure = {
  id: FactId;
  label: string;
  present: boolean;
  /** One line with the figures, e.g. "412 of 500 events (82%)". */
  value: string;
};

type RuleCounts = { open: number; total: number };

export type Measurements = {
  generatedAt: string;
  facts: Record<FactId, FactMeasure>;
  rules: Map<string, RuleCounts>;
  /** What the figures cover, for report headers. */
  scope: { events: number; firstEventTime: string | null; lastEventTime: string | null; platforms: number };
  coverage: CoverageReport;
};

const pct = (n: number, d: number) => (d === 0 ? "n/a" : `${Math.round((n / d) * 100)}%`);

type Counts = {
  gov_total: string;
  gov_approved: string;
  gov_with_grant: string;
  gov_inside: string;
  cp_count: string;
  cp_last: Date | null;
  cp_size: string | null;
  raw_count: string;
  id_total: string;
  id_nhi: string;
  id_nhi_owned: string;
  id_ai: string;
  sessions: string;
  audit: string;
};

// Each count is an aggregate sub-select: one round trip, no rows pulled into JS.
const COUNTS_SQL = `
  SELECT
    (SELECT count(*) FROM governance_check WHERE "tenantId" = $1) AS gov_total,
    -- Approved, and no approval rule failed (not expired, approved after the action, out of scope, self-approved, …).
    (SELECT count(*) FROM governance_check WHERE "tenantId" = $1 AND approved IS TRUE AND NOT (coalesce(statuses, '{}') && $2::text[])) AS gov_approved,
    (SELECT count(*) FROM governance_check WHERE "tenantId" = $1 AND "grantId" IS NOT NULL) AS gov_with_grant,
    (SELECT count(*) FROM governance_check WHERE "tenantId" = $1 AND "insideWindow" IS TRUE) AS gov_inside,
    (SELECT count(*) FROM ledger_checkpoint) AS cp_count,
    (SELECT max("createdAt") FROM ledger_checkpoint) AS cp_last,
    (SELECT max("treeSize") FROM ledger_checkpoint) AS cp_size,
    (SELECT count(*) FROM raw_record WHERE "tenantId" = $1) AS raw_count,
    (SELECT count(*) FROM identity WHERE "tenantId" = $1) AS id_total,
    (SELECT count(*) FROM identity WHERE "tenantId" = $1 AND kind NOT IN ('human', 'unknown')) AS id_nhi,
    (SELECT count(*) FROM identity WHERE "tenantId" = $1 AND kind NOT IN ('human', 'unknown') AND "ownerIdentityId" IS NOT NULL) AS id_nhi_owned,
    (SELECT count(*) FROM identity WHERE "tenantId" = $1 AND kind = 'ai_agent') AS id_ai,
    (SELECT count(*) FROM session WHERE "tenantId" = $1) AS sessions,
    (SELECT count(*) FROM audit_log WHERE "tenantId" = $1) AS audit`;

export async function measureEvidence({ now = new Date() }: { now?: Date } = {}): Promise<Measurements> {
  const [coverage, counts, rules] = await Promise.all([
    getCoverage({ now }),
    pool().query<Counts>(COUNTS_SQL, [DEFAULT_TENANT, APPROVAL_FAILURES]),
    pool().query<{ ruleId: string; open: string; total: string }>(
      `SELECT "ruleId", count(*) FILTER (WHERE status = 'open') AS open, count(*) AS total
         FROM finding WHERE "tenantId" = $1 GROUP BY "ruleId"`,
      [DEFAULT_TENANT],
    ),
  ]);
  const c = counts.rows[0];
  const n = (v: string | null) => Number(v ?? 0);

  const withEvents = coverage.platforms.filter((p) => p.events > 0);
  const events = coverage.totalEvents;
  const fieldFilled = (f: EvidenceField) => coverage.platforms.reduce((s, p) => s + (p.fields.find((x) => x.field === f)?.filled ?? 0), 0);
  const sumJoin = (k: "withSession" | "withIdentity") => coverage.platforms.reduce((s, p) => s + p.join[k], 0);
  const retentionOk = withEvents.filter((p) => p.retention.status === "ok").length;

  const field = (f: EvidenceField): [boolean, string] => {
    const filled = fieldFilled(f);
    return [filled > 0, `${filled} of ${events} events (${pct(filled, events)})`];
  };
  const values: Record<FactId, [boolean, string]> = {
    "governance:approval": [
      n(c.gov_approved) > 0,
      `${n(c.gov_approved)} of ${n(c.gov_total)} privileged actions covered by an approved ticket`,
    ],
    "governance:jit": [
      n(c.gov_inside) > 0,
      `${n(c.gov_inside)} of ${n(c.gov_total)} privileged actions inside a JIT window (${n(c.gov_with_grant)} matched a grant)`,
    ],
    "coverage:log-generation": [events > 0, `${events} events from ${withEvents.length} platform(s)`],
    "coverage:field:session_id": field("session_id"),
    "coverage:field:credential_id": field("credential_id"),
    "coverage:field:ip": field("ip"),
    "coverage:field:user_agent": field("user_agent"),
    "coverage:field:oauth_client": field("oauth_client"),
    "coverage:field:approval_ref": field("approval_ref"),
    "coverage:join-session": [
      sumJoin("withSession") > 0,
      `${sumJoin("withSession")} of ${events} events in a session (${pct(sumJoin("withSession"), events)})`,
    ],
    "coverage:join-identity": [
      sumJoin("withIdentity") > 0,
      `${sumJoin("withIdentity")} of ${events} events with an identity (${pct(sumJoin("withIdentity"), events)})`,
    ],
    "coverage:retention": [
      retentionOk > 0,
      `${retentionOk} of ${withEvents.length} platform(s) meet the required ${coverage.requiredRetentionDays} days`,
    ],
    "ledger:checkpoints": [
      n(c.cp_count) > 0,
      n(c.cp_count) > 0
        ? `${n(c.cp_count)} signed checkpoint(s), latest ${c.cp_last!.toISOString()} over ${n(c.cp_size)} records`
        : "no signed checkpoint yet",
    ],
    "ledger:raw-records": [n(c.raw_count) > 0, `${n(c.raw_count)} raw records hashed into the ledger`],
    "identity:inventory": [n(c.id_total) > 0, `${n(c.id_total)} identities, ${n(c.id_nhi)} non-human`],
    "identity:nhi-owned": [n(c.id_nhi_owned) > 0, `${n(c.id_nhi_owned)} of ${n(c.id_nhi)} non-human identities have an owner`],
    "identity:ai-agents": [n(c.id_ai) > 0, `${n(c.id_ai)} AI agent identities`],
    "identity:sessions": [n(c.sessions) > 0, `${n(c.sessions)} sessions reconstructed`],
    "identity:audit-trail": [n(c.audit) > 0, `${n(c.audit)} audit log entries`],
  };
  const facts = Object.fromEntries(
    EVIDENCE_FACTS.map((f) => [f.id, { id: f.id, label: f.label, present: values[f.id][0], value: values[f.id][1] }]),
  ) as Record<FactId, FactMeasure>;

  const times = withEvents
    .flatMap((p) => [p.firstEventTime, p.lastEventTime])
    .filter((t): t is string => !!t)
    .sort();
  return {
    generatedAt: now.toISOString(),
    facts,
    rules: new Map(rules.rows.map((r) => [r.ruleId, { open: Number(r.open), total: Number(r.total) }])),
    scope: { events, firstEventTime: times[0] ?? null, lastEventTime: times.at(-1) ?? null, platforms: withEvents.length },
    coverage,
  };
}
