import { pool } from "@/lib/db";
import { getCoverage } from "@/lib/coverage/get-coverage";
import { getLogRetention } from "@/lib/coverage/log-retention";
import type { LogRetentionReport } from "@/lib/coverage/log-retention.types";
import type { CoverageReport, EvidenceField } from "@/lib/coverage/types";
import { EVIDENCE_FACTS, type FactId } from "./evidence-map";
import { DEFAULT_TENANT } from "@/lib/context/request-context";
import { APPROVAL_FAILURES } from "@/lib/governance/types";
import { getComplianceThresholds, type ComplianceThresholds } from "./thresholds";
import { COUNTS_AS_OPEN_SQL as OPEN, dispositionSql } from "@/lib/risk/disposition";
import { ALL_DATA, type AuditPeriod } from "./audit-period.types";

// Measures every evidence fact and the findings per rule with a few aggregate queries (counts only: the event
// table can be huge), so the status of all controls of all frameworks comes from one pass.
// Every population is taken over the audit period (lib/compliance/audit-period.types.ts): governance checks and events
// by their time, sessions, identities and findings when they were active in it (first seen before its end, last seen
// after its start), raw records by when they were received and audit entries by when they were written. Signed
// checkpoints and retention are about the store as a whole (what is held now), so they are measured over everything.

/** A measured population: how many of the rows a control speaks about meet its condition, and the threshold. */
export type Population = {
  numerator: number;
  denominator: number;
  /** What is counted, plural: "privileged actions", "events", "platforms". */
  unit: string;
  /** The share of the population that must meet the condition, in percent (a setting). */
  thresholdPct: number;
  /** The smallest population that can be sufficient (a setting for rows; one platform for platform counts). */
  min: number;
};

type FactMeasure = {
  id: FactId;
  label: string;
  population: Population;
  /** One line with the figures, e.g. "412 of 500 events (82%)". */
  value: string;
};

type RuleCounts = { open: number; exceptions: number; total: number };

export type Measurements = {
  generatedAt: string;
  /** The audit period every population was taken over. */
  period: AuditPeriod;
  thresholds: ComplianceThresholds;
  facts: Record<FactId, FactMeasure>;
  rules: Map<string, RuleCounts>;
  /** The same, over the findings about non-human identities only. */
  rulesNonHuman: Map<string, RuleCounts>;
  /** What the figures cover, for report headers. */
  scope: { events: number; firstEventTime: string | null; lastEventTime: string | null; platforms: number };
  coverage: CoverageReport;
  /** Retention per platform and log type, over everything held. */
  logRetention: LogRetentionReport;
};

const pct = (n: number, d: number) => (d === 0 ? "n/a" : `${Math.round((n / d) * 100)}%`);

type Counts = {
  gov_total: string;
  gov_approved: string;
  gov_with_grant: string;
  gov_inside: string;
  gov_ai_total: string;
  gov_ai_approved: string;
  ai_events: string;
  ai_events_in_session: string;
  cp_count: string;
  cp_last: Date | null;
  cp_size: string | null;
  ledger_size: string;
  raw_count: string;
  raw_held: string;
  id_total: string;
  id_known: string;
  id_nhi: string;
  id_nhi_owned: string;
  id_ai: string;
  id_ai_owned: string;
  sessions: string;
  sessions_identified: string;
  audit: string;
  audit_anchored: string;
};

// Each count is an aggregate sub-select: one round trip, no rows pulled into JS.
// The privileged-action population leaves out the actions whose governance finding was dismissed as a false positive
// (the occurrences that dismissal names); a risk acceptance keeps them in, as failing.
/** A time inside the period ($3 from, inclusive; $4 end, exclusive; null = open). */
const inPeriod = (col: string) => `($3::timestamptz IS NULL OR ${col} >= $3) AND ($4::timestamptz IS NULL OR ${col} < $4)`;
/** Something active from `start` to `end` overlaps the period. */
const overlaps = (start: string, end: string) => `($4::timestamptz IS NULL OR ${start} < $4) AND ($3::timestamptz IS NULL OR ${end} >= $3)`;

const COUNTS_SQL = `
  WITH gov AS (
    SELECT g.* FROM governance_check g
     WHERE g."tenantId" = $1 AND ${inPeriod("g.time")}
       AND NOT EXISTS (SELECT 1 FROM finding f
                        WHERE f."tenantId" = $1 AND f."dismissalType" = 'false_positive'
                          AND f."ruleId" IN ('privileged-without-approval', 'privileged-outside-jit')
                          AND g."eventId" = ANY(f."dismissedEventIds"))),
  -- Identities active in the period (seen in it; one never seen has no activity to speak for).
  ids AS (SELECT kind, "ownerIdentityId" FROM identity
           WHERE "tenantId" = $1 AND ${overlaps('"firstSeenAt"', '"lastSeenAt"')})
  SELECT
    (SELECT count(*) FROM gov) AS gov_total,
    -- Approved, and no approval rule failed (not expired, approved after the action, out of scope, self-approved, …).
    (SELECT count(*) FROM gov WHERE approved IS TRUE AND NOT (coalesce(statuses, '{}') && $2::text[])) AS gov_approved,
    (SELECT count(*) FROM gov WHERE "grantId" IS NOT NULL) AS gov_with_grant,
    (SELECT count(*) FROM gov WHERE "insideWindow" IS TRUE) AS gov_inside,
    (SELECT count(*) FROM gov JOIN identity i ON i.id = gov."identityId" WHERE i.kind = 'ai_agent') AS gov_ai_total,
    (SELECT count(*) FROM gov JOIN identity i ON i.id = gov."identityId" WHERE i.kind = 'ai_agent' AND gov.approved IS TRUE
      AND NOT (coalesce(gov.statuses, '{}') && $2::text[])) AS gov_ai_approved,
    (SELECT count(*) FROM event e JOIN identity i ON i.id = e."identityId"
      WHERE e."tenantId" = $1 AND i.kind = 'ai_agent' AND ${inPeriod("e.time")}) AS ai_events,
    (SELECT count(*) FROM event e JOIN identity i ON i.id = e."identityId"
      WHERE e."tenantId" = $1 AND i.kind = 'ai_agent' AND e."sessionId" IS NOT NULL AND ${inPeriod("e.time")}) AS ai_events_in_session,
    (SELECT count(*) FROM ledger_checkpoint) AS cp_count,
    (SELECT max("createdAt") FROM ledger_checkpoint) AS cp_last,
    (SELECT max("treeSize") FROM ledger_checkpoint) AS cp_size,
    (SELECT count(*) FROM raw_record) AS ledger_size,
    (SELECT count(*) FROM raw_record WHERE "tenantId" = $1 AND ${inPeriod('"receivedAt"')}) AS raw_count,
    (SELECT count(*) FROM raw_record WHERE "tenantId" = $1 AND "purgedAt" IS NULL AND ${inPeriod('"receivedAt"')}) AS raw_held,
    (SELECT count(*) FROM ids) AS id_total,
    (SELECT count(*) FROM ids WHERE kind <> 'unknown') AS id_known,
    (SELECT count(*) FROM ids WHERE kind NOT IN ('human', 'unknown')) AS id_nhi,
    (SELECT count(*) FROM ids WHERE kind NOT IN ('human', 'unknown') AND "ownerIdentityId" IS NOT NULL) AS id_nhi_owned,
    (SELECT count(*) FROM ids WHERE kind = 'ai_agent') AS id_ai,
    (SELECT count(*) FROM ids WHERE kind = 'ai_agent' AND "ownerIdentityId" IS NOT NULL) AS id_ai_owned,
    (SELECT count(*) FROM session WHERE "tenantId" = $1 AND ${overlaps('"startedAt"', '"endedAt"')}) AS sessions,
    (SELECT count(*) FROM session WHERE "tenantId" = $1 AND "identityId" IS NOT NULL AND ${overlaps('"startedAt"', '"endedAt"')}) AS sessions_identified,
    (SELECT count(*) FROM audit_log WHERE "tenantId" = $1 AND ${inPeriod("at")}) AS audit,
    (SELECT count(*) FROM audit_log WHERE "tenantId" = $1 AND "rawRecordId" IS NOT NULL AND ${inPeriod("at")}) AS audit_anchored`;

export async function measureEvidence({
  now = new Date(),
  period = ALL_DATA,
}: { now?: Date; period?: AuditPeriod } = {}): Promise<Measurements> {
  const [coverage, logRetention, counts, rules] = await Promise.all([
    getCoverage({ now, period }),
    getLogRetention({ now }),
    pool().query<Counts>(COUNTS_SQL, [DEFAULT_TENANT, APPROVAL_FAILURES, period.from, period.toExclusive]),
    pool().query<{
      ruleId: string;
      open: string;
      exceptions: string;
      total: string;
      open_nhi: string;
      exceptions_nhi: string;
      total_nhi: string;
    }>(
      // Open: not dismissed, or a risk acceptance not (yet, or no longer) in force; resolved findings are not open.
      // Exceptions: approved risk acceptances before their expiry. False positives leave the population.
      // The same counted over the findings about non-human identities only, for mappings that take only those.
      `SELECT "ruleId", count(*) FILTER (WHERE d IN (${OPEN})) AS open, count(*) FILTER (WHERE d = 'exception') AS exceptions,
              count(*) AS total, count(*) FILTER (WHERE nhi AND d IN (${OPEN})) AS open_nhi,
              count(*) FILTER (WHERE nhi AND d = 'exception') AS exceptions_nhi, count(*) FILTER (WHERE nhi) AS total_nhi
         FROM (SELECT f."ruleId", ${dispositionSql("f", "$2")} AS d, coalesce(i.kind NOT IN ('human', 'unknown'), false) AS nhi
                 FROM finding f LEFT JOIN identity i ON i.id = f."identityId"
                WHERE f."tenantId" = $1 AND ${overlaps('f."firstSeenAt"', 'f."lastSeenAt"')}) x GROUP BY "ruleId"`,
      [DEFAULT_TENANT, now, period.from, period.toExclusive],
    ),
  ]);
  const c = counts.rows[0];
  const n = (v: string | null) => Number(v ?? 0);

  const t = await getComplianceThresholds();
  const withEvents = coverage.platforms.filter((p) => p.events > 0);
  const events = coverage.totalEvents;
  const fieldFilled = (f: EvidenceField) => coverage.platforms.reduce((s, p) => s + (p.fields.find((x) => x.field === f)?.filled ?? 0), 0);
  const sumJoin = (k: "withSession" | "withIdentity") => coverage.platforms.reduce((s, p) => s + p.join[k], 0);
  // Fresh as of the period's end when it ended before now (a past quarter is judged by its own last days).
  const asOf = period.toExclusive ? Math.min(now.getTime(), Date.parse(period.toExclusive)) : now.getTime();
  const freshSince = asOf - t.freshDays * 86_400_000;
  const fresh = withEvents.filter((p) => p.lastEventTime && Date.parse(p.lastEventTime) >= freshSince).length;

  // [numerator, denominator, unit, threshold %, platform count?, optional detail]
  type Def = [number, number, string, number, boolean?, string?];
  const field = (f: EvidenceField): Def => [fieldFilled(f), events, "events", t.fieldFillPct];
  const defs: Record<FactId, Def> = {
    "governance:approval": [n(c.gov_approved), n(c.gov_total), "privileged actions approved", t.privilegedApprovedPct],
    "governance:jit": [
      n(c.gov_inside),
      n(c.gov_total),
      "privileged actions inside a JIT window",
      t.privilegedInJitPct,
      false,
      `${n(c.gov_with_grant)} matched a grant`,
    ],
    "governance:approval-ai": [n(c.gov_ai_approved), n(c.gov_ai_total), "AI-agent privileged actions approved", t.privilegedApprovedPct],
    "identity:ai-sessions": [n(c.ai_events_in_session), n(c.ai_events), "AI-agent events in a session", t.joinedPct],
    "coverage:log-generation": [
      fresh,
      withEvents.length,
      `platforms with events in the last ${t.freshDays} days${asOf < now.getTime() ? " of the period" : ""}`,
      t.freshPlatformsPct,
      true,
    ],
    "coverage:field:session_id": field("session_id"),
    "coverage:field:credential_id": field("credential_id"),
    "coverage:field:ip": field("ip"),
    "coverage:field:user_agent": field("user_agent"),
    "coverage:field:oauth_client": field("oauth_client"),
    "coverage:field:approval_ref": field("approval_ref"),
    "coverage:join-session": [sumJoin("withSession"), events, "events in a session", t.joinedPct],
    "coverage:join-identity": [sumJoin("withIdentity"), events, "events with an identity", t.joinedPct],
    // Per platform and log type (lib/coverage/log-retention.ts), over everything held: a platform counts only when
    // every log type it has data for is kept the required days.
    "coverage:retention": [
      logRetention.sufficientPlatforms,
      logRetention.platforms.length,
      `platforms keeping every log type the required ${logRetention.requiredDays} days`,
      t.retentionPlatformsPct,
      true,
    ],
    "ledger:checkpoints": [
      Math.min(n(c.cp_size), n(c.ledger_size)),
      n(c.ledger_size),
      "ledger records under a signed checkpoint",
      t.ledgerPct,
      false,
      n(c.cp_count) > 0 ? `${n(c.cp_count)} signed checkpoint(s), latest ${c.cp_last!.toISOString()}` : "no signed checkpoint yet",
    ],
    "ledger:raw-records": [n(c.raw_held), n(c.raw_count), "raw records held as received", t.ledgerPct],
    "identity:inventory": [n(c.id_known), n(c.id_total), "identities of a known kind", t.identifiedPct, false, `${n(c.id_nhi)} non-human`],
    "identity:nhi-owned": [n(c.id_nhi_owned), n(c.id_nhi), "non-human identities with an owner", t.nhiOwnedPct],
    "identity:ai-agents": [n(c.id_ai_owned), n(c.id_ai), "AI agents with an owner", t.nhiOwnedPct],
    "identity:sessions": [n(c.sessions_identified), n(c.sessions), "sessions resolved to an identity", t.identifiedPct],
    "identity:audit-trail": [n(c.audit_anchored), n(c.audit), "audit entries anchored in the ledger", t.ledgerPct],
  };
  const facts = Object.fromEntries(
    EVIDENCE_FACTS.map((f) => {
      const [numerator, denominator, unit, thresholdPct, platforms, detail] = defs[f.id];
      const population = { numerator, denominator, unit, thresholdPct, min: platforms ? 1 : t.minPopulation };
      const value = `${numerator} of ${denominator} ${unit} (${pct(numerator, denominator)})${detail ? `; ${detail}` : ""}`;
      return [f.id, { id: f.id, label: f.label, population, value }];
    }),
  ) as Record<FactId, FactMeasure>;

  const times = withEvents
    .flatMap((p) => [p.firstEventTime, p.lastEventTime])
    .filter((t): t is string => !!t)
    .sort();
  return {
    generatedAt: now.toISOString(),
    period,
    thresholds: t,
    facts,
    rules: new Map(rules.rows.map((r) => [r.ruleId, { open: Number(r.open), exceptions: Number(r.exceptions), total: Number(r.total) }])),
    rulesNonHuman: new Map(
      rules.rows.map((r) => [r.ruleId, { open: Number(r.open_nhi), exceptions: Number(r.exceptions_nhi), total: Number(r.total_nhi) }]),
    ),
    scope: { events, firstEventTime: times[0] ?? null, lastEventTime: times.at(-1) ?? null, platforms: withEvents.length },
    coverage,
    logRetention,
  };
}
