import { pool } from "@/lib/db";
import { stampedCache } from "./stamped-cache";
import { PLATFORM_CAPABILITIES, platformCapability, retentionRecommendation } from "./platform-capabilities";
import { computeRetention } from "./retention";
import { vendorRetentionSummary } from "@/lib/sources/registry";
import { getRequiredRetention } from "./get-required-retention";
import {
  EVIDENCE_FIELDS,
  EVIDENCE_FIELD_LABELS,
  type CoverageGap,
  type CoverageReport,
  type EvidenceField,
  type FieldCapability,
  type JoinAbility,
  type PlatformCapability,
  type PlatformCoverage,
} from "./types";
import { DEFAULT_TENANT } from "@/lib/context/request-context";
import { APPROVAL_FAILURES } from "@/lib/governance/types";

// Coverage measured from the ingested data: one grouped aggregate pass over the event table (count / FILTER per
// platform): a single scan of the events, and no event row ever reaches JS.
// How each evidence field is measured (columns where the event table has one):
//   session_id      event.sessionKey          credential_id  event.credentialKey
//   actor_kind      the correlated identity's kind is known, or the platform wrote an actor type
//   oauth_client    event.clientAppId         ip / user_agent  event.srcIp / event.userAgent
//   target_object   event.targetId or targetName
//   approval_ref    a governance check tied the event to a ticket, or the event carries one (approval feeds:
//                   data.approval; grant feeds: data.jit.ticket)
//   policy_decision a policy_decision row points at the event, or the event carries a policy outcome (data.policy)
// Parsing event.data is most of the scan's cost (about 4 of 5 s per million events, measured by
// `npm run bench -- analytics`). A substring pre-test on the stored text did not help: every event names the three
// keys (null when absent) and scanning the text costs as much as parsing it.
// The result is kept in analytics_cache under the analytics_change stamp (stamped-cache.ts): until the data
// changes, a page load reads one row.
const COVERAGE_SQL = `
WITH pd AS (
  SELECT DISTINCT "eventId" FROM policy_decision WHERE "eventId" IS NOT NULL AND "tenantId" = $1
)
SELECT e.platform,
  count(*) AS events,
  min(e.time) AS first_time,
  max(e.time) AS last_time,
  count(e."sessionKey") AS session_id,
  count(e."credentialKey") AS credential_id,
  count(*) FILTER (WHERE (i.kind IS NOT NULL AND i.kind <> 'unknown') OR e."actorType" IS NOT NULL) AS actor_kind,
  count(e."clientAppId") AS oauth_client,
  count(e."srcIp") AS ip,
  count(e."userAgent") AS user_agent,
  count(*) FILTER (WHERE e."targetId" IS NOT NULL OR e."targetName" IS NOT NULL) AS target_object,
  count(*) FILTER (WHERE gc."approvalId" IS NOT NULL OR gc."approvalRef" IS NOT NULL OR x.approval) AS approval_ref,
  count(*) FILTER (WHERE pd."eventId" IS NOT NULL OR x.policy) AS policy_decision,
  count(e."sessionId") AS with_session,
  -- In a session through the session id the platform itself logged (not grouped by time by the correlation).
  count(*) FILTER (WHERE e."sessionId" IS NOT NULL AND e."sessionKey" IS NOT NULL) AS with_logged_session,
  count(e."identityId") AS with_identity,
  count(*) FILTER (WHERE e.privileged) AS privileged,
  -- A valid approval, as the Governance page judges it: a ticket linked and none of the approval rules failed ($4).
  count(*) FILTER (WHERE e.privileged AND gc."approvalId" IS NOT NULL AND NOT (gc.statuses && $4::text[])) AS privileged_with_approval
FROM event e
LEFT JOIN identity i ON i.id = e."identityId"
LEFT JOIN governance_check gc ON gc."eventId" = e.id
LEFT JOIN pd ON pd."eventId" = e.id
-- One parse of the stored json for the three keys (three -> lookups would parse it three times).
CROSS JOIN LATERAL json_to_record(e.data) AS r(approval json, jit json, policy json)
CROSS JOIN LATERAL (SELECT json_typeof(r.approval) = 'object' OR (r.jit->>'ticket') IS NOT NULL AS approval,
                           json_typeof(r.policy) = 'object' AS policy) x
WHERE e."tenantId" = $1 AND ($2::timestamptz IS NULL OR e.time >= $2) AND ($3::timestamptz IS NULL OR e.time < $3)
GROUP BY e.platform`;

type CachedRow = Omit<Row, "first_time" | "last_time"> & { first_time: string; last_time: string };

/** The per-platform aggregate rows, from analytics_cache when nothing changed since they were computed. */
function coverageRows(): Promise<Row[]> {
  return stampedCache<Row[], CachedRow[]>(
    // v3: rows carry with_logged_session (a cached row from before would read as 0), and privileged_with_approval
    // counts valid approvals only.
    "coverage-v3",
    async (client) => (await client.query<Row>(COVERAGE_SQL, [DEFAULT_TENANT, null, null, APPROVAL_FAILURES])).rows,
    (cached) => cached.map((r) => ({ ...r, first_time: new Date(r.first_time), last_time: new Date(r.last_time) })),
  );
}

type Row = Record<EvidenceField, string> & {
  platform: string;
  events: string;
  first_time: Date;
  last_time: Date;
  with_session: string;
  with_logged_session: string;
  with_identity: string;
  privileged: string;
  privileged_with_approval: string;
};

/** Below this measured fill rate a field counts as a gap (a few percent of system events lack IPs everywhere). */
const FILL_TARGET = 0.95;
const ratio = (n: number, d: number): number | null => (d > 0 ? n / d : null);
const pct = (r: number): string => `${Math.round(r * 100)}%`;
const day = (iso: string): string => iso.slice(0, 10);

/** Capabilities for a platform the registry does not describe (e.g. an old or custom source): nothing documented. */
function unknownCapability(platform: string): PlatformCapability {
  const none: FieldCapability = {
    documented: "no",
    vendorField: null,
    note: "No capability data for this platform.",
    recommendation: null,
  };
  return {
    platform,
    label: platform,
    kind: "platform",
    fields: Object.fromEntries(EVIDENCE_FIELDS.map((f) => [f, none])) as Record<EvidenceField, FieldCapability>,
    exportHow: "export its logs continuously",
  };
}

/**
 * Field shortfalls, split: a gap where the vendor documents the field (fully or in part), so that an export or setting
 * can fill it; a limitation where the vendor logs none. Approval references on an audit-log platform are the
 * exception: the approval and grant feeds bring them, so while no feed holds data "feed approvals" is a gap, and once
 * one does the shortfall is the join-ability approval gap's (which names the matching), not a second gap here. A feed's
 * own approval reference (a grant naming its ticket) stays a gap: the feed can fill it.
 */
function splitFieldShortfalls(p: PlatformCoverage, cap: PlatformCapability, approvalsFed: boolean) {
  const gaps: CoverageGap[] = [];
  const limitations: CoverageGap[] = [];
  for (const g of fieldShortfalls(p, cap)) {
    const documented = cap.fields[g.subject as EvidenceField].documented;
    if (g.subject === "approval_ref" && p.kind === "platform") {
      if (!approvalsFed) gaps.push(g);
    } else if (documented === "no") limitations.push(g);
    else gaps.push(g);
  }
  return { gaps, limitations };
}

function fieldShortfalls(p: PlatformCoverage, cap: PlatformCapability): CoverageGap[] {
  if (p.events === 0) return [];
  const gaps: CoverageGap[] = [];
  for (const fc of p.fields) {
    const c = cap.fields[fc.field];
    if (fc.rate === null || fc.rate >= FILL_TARGET || !c.recommendation) continue;
    const label = EVIDENCE_FIELD_LABELS[fc.field].toLowerCase();
    const measured = `${pct(fc.rate)} of ${p.events} ${cap.label} events carry ${/^[aeiou]/.test(label) ? "an" : "a"} ${label}`;
    // A documented field that is missing is an export/configuration problem (fixable, so it ranks higher); a
    // field the vendor does not provide is a lasting gap that only other sources can fill.
    const severity: CoverageGap["severity"] =
      c.documented === "yes"
        ? fc.rate < 0.5
          ? "high"
          : "medium"
        : c.documented === "partial"
          ? fc.rate < 0.5
            ? "medium"
            : "low"
          : "low";
    const documented =
      c.documented === "yes"
        ? `${cap.label} documents it (${c.vendorField}).`
        : c.documented === "partial"
          ? `${cap.label} provides it only in part${c.vendorField ? ` (${c.vendorField})` : ""}.`
          : `${cap.label} does not provide it.`;
    gaps.push({
      platform: p.platform,
      label: p.label,
      kind: "field",
      subject: fc.field,
      severity,
      problem: `${measured}. ${documented}`,
      recommendation: c.recommendation,
    });
  }
  return gaps;
}

function joinGaps(p: PlatformCoverage, approvalsFed: boolean): CoverageGap[] {
  if (p.events === 0 || p.kind === "governance") return [];
  const gaps: CoverageGap[] = [];
  const j = p.join;
  if (j.sessionRate !== null && j.sessionRate < 0.5) {
    gaps.push({
      platform: p.platform,
      label: p.label,
      kind: "join",
      subject: "session",
      severity: "medium",
      problem: `Only ${pct(j.sessionRate)} of ${p.label} events (${j.withSession} of ${j.events}) are tied to a session.`,
      recommendation:
        "Run correlation after each ingest (Ingest page or `npm run cli -- correlate`), and ingest the identity provider's sign-ins so platform activity can join an IdP session.",
    });
  }
  if (j.sessionRate !== null && j.sessionRate >= 0.5 && j.loggedSessionRate !== null && j.loggedSessionRate < 0.5) {
    gaps.push({
      platform: p.platform,
      label: p.label,
      kind: "join",
      subject: "session",
      severity: "low",
      problem:
        `${pct(j.sessionRate)} of ${p.label} events are in a session, but only ${pct(j.loggedSessionRate)} (${j.withLoggedSession} of ${j.events}) ` +
        "through a session id the platform logged: the rest are grouped by actor and time, which shows activity was close in time, not that it was one sign-in.",
      recommendation:
        "Ingest the log type that carries the platform's session or request ids where the vendor has one (see the session id row of the matrix), and the identity provider's sign-ins.",
    });
  }
  if (j.identityRate !== null && j.identityRate < 0.9) {
    gaps.push({
      platform: p.platform,
      label: p.label,
      kind: "join",
      subject: "identity",
      severity: j.identityRate < 0.5 ? "high" : "medium",
      problem: `${pct(j.identityRate)} of ${p.label} events (${j.withIdentity} of ${j.events}) are tied to an identity.`,
      recommendation:
        "Run correlation, and ingest the identity provider (Okta or Entra) so platform accounts merge into known people and NHIs.",
    });
  }
  if (j.approvalRate !== null && j.approvalRate < 1) {
    gaps.push({
      platform: p.platform,
      label: p.label,
      kind: "join",
      subject: "approval",
      severity: j.approvalRate < 0.5 ? "high" : "medium",
      problem: `${j.privileged - j.privilegedWithApproval} of ${j.privileged} privileged ${p.label} events have no valid approval (no ticket linked, or the ticket fails an approval rule on the Governance page).`,
      recommendation: approvalsFed
        ? "Approvals are ingested, but these actions match none: open the Governance page, filtered on this platform, for each action's reason (no ticket naming the platform and object, approved after the action, expired, self-approved, ...)."
        : "Ingest approvals (ServiceNow change requests or Jira issues) and JIT grants, and quote the ticket key in change requests so privileged actions can be matched to their approval.",
    });
  }
  return gaps;
}

function retentionGap(p: PlatformCoverage, cap: PlatformCapability, now: Date): CoverageGap | null {
  const r = p.retention;
  if (p.events === 0) return null;
  if (r.status === "unknown") {
    return {
      platform: p.platform,
      label: p.label,
      kind: "retention",
      subject: "retention",
      severity: "low",
      problem: `${p.label}'s own retention is not documented (${r.vendorNote}).`,
      recommendation: retentionRecommendation(cap, r),
    };
  }
  if (r.status !== "export_needed" || !r.exportBy) return null;
  const overdue = Date.parse(r.exportBy) < now.getTime();
  return {
    platform: p.platform,
    label: p.label,
    kind: "retention",
    subject: "retention",
    severity: overdue ? "high" : "medium",
    problem:
      `${p.label} keeps ${r.vendorDays} days of its ${r.logTypeLabel} (${r.vendorTier}; ${r.citation}) but ${r.requiredDays} are required. ` +
      (overdue
        ? `The newest data ingested (${day(r.newestEventTime!)}) left ${p.label} on ${day(r.exportBy)}: anything after it that was not ingested is lost.`
        : `Export before ${day(r.exportBy)} to keep the newest data ingested (${day(r.newestEventTime!)}).`),
    recommendation: retentionRecommendation(cap, r),
  };
}

/**
 * Whether an approval or grant feed holds data: a governance feed that carries approval references (ServiceNow,
 * Jira, the grant feed), not a policy-decision feed such as OPA. The approval gap then points at the matching, not
 * at feeding approvals.
 */
export function approvalFeedsHoldData(platforms: readonly Pick<PlatformCoverage, "platform" | "kind" | "events">[]): boolean {
  return platforms.some(
    (p) => p.kind === "governance" && p.events > 0 && platformCapability(p.platform)?.fields.approval_ref.documented !== "no",
  );
}

const SEVERITY_ORDER = { high: 0, medium: 1, low: 2 } as const;

/**
 * The coverage report over all data held, or over the events of a period (`from` inclusive, `toExclusive` exclusive,
 * ISO; the compliance views' audit period). A period's figures are computed afresh (the cache holds all data); the
 * retention horizon is always that of all data held, since retention is about what is kept, not about one period.
 */
export async function getCoverage({
  now = new Date(),
  period,
}: { now?: Date; period?: { from: string | null; toExclusive: string | null } } = {}): Promise<CoverageReport> {
  const scoped = period !== undefined && (period.from !== null || period.toExclusive !== null);
  const [requiredDays, allRows, periodRows] = await Promise.all([
    getRequiredRetention(),
    coverageRows(),
    scoped
      ? pool()
          .query<Row>(COVERAGE_SQL, [DEFAULT_TENANT, period.from, period.toExclusive, APPROVAL_FAILURES])
          .then((r) => r.rows)
      : null,
  ]);
  const rows = periodRows ?? allRows;
  const byPlatform = new Map(rows.map((r) => [r.platform, r]));
  const held = new Map(allRows.map((r) => [r.platform, r]));
  // Every registered platform appears (with zero events when nothing was ingested), then any other platform found.
  const caps = [
    ...PLATFORM_CAPABILITIES,
    ...allRows.filter((r) => !platformCapability(r.platform)).map((r) => unknownCapability(r.platform)),
  ];

  const platforms: PlatformCoverage[] = caps.map((cap) => {
    const row = byPlatform.get(cap.platform);
    const events = row ? Number(row.events) : 0;
    const first = row ? row.first_time.toISOString() : null;
    const last = row ? row.last_time.toISOString() : null;
    const n = (v: string | undefined) => (v === undefined ? 0 : Number(v));
    const join: JoinAbility = {
      events,
      withSession: n(row?.with_session),
      withLoggedSession: n(row?.with_logged_session),
      withIdentity: n(row?.with_identity),
      privileged: n(row?.privileged),
      privilegedWithApproval: n(row?.privileged_with_approval),
      sessionRate: ratio(n(row?.with_session), events),
      loggedSessionRate: ratio(n(row?.with_logged_session), events),
      identityRate: ratio(n(row?.with_identity), events),
      approvalRate: ratio(n(row?.privileged_with_approval), n(row?.privileged)),
    };
    return {
      platform: cap.platform,
      label: cap.label,
      kind: cap.kind,
      events,
      firstEventTime: first,
      lastEventTime: last,
      fields: EVIDENCE_FIELDS.map((field) => {
        const c = cap.fields[field];
        const filled = n(row?.[field]);
        return { field, filled, rate: ratio(filled, events), documented: c.documented, vendorField: c.vendorField, note: c.note };
      }),
      join,
      retention: computeRetention({
        kind: cap.kind,
        vendor: vendorRetentionSummary(cap.platform),
        requiredDays,
        oldest: held.get(cap.platform)?.first_time.toISOString() ?? null,
        newest: held.get(cap.platform)?.last_time.toISOString() ?? null,
      }),
    };
  });

  const capOf = new Map(caps.map((c) => [c.platform, c]));
  const approvalsFed = approvalFeedsHoldData(platforms);
  const fieldSplit = new Map(platforms.map((p) => [p.platform, splitFieldShortfalls(p, capOf.get(p.platform)!, approvalsFed)]));
  const gaps = platforms
    .flatMap((p) => {
      const r = retentionGap(p, capOf.get(p.platform)!, now);
      return [...(r ? [r] : []), ...joinGaps(p, approvalsFed), ...fieldSplit.get(p.platform)!.gaps];
    })
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  const limitations = platforms.flatMap((p) => fieldSplit.get(p.platform)!.limitations);

  return {
    generatedAt: now.toISOString(),
    requiredRetentionDays: requiredDays,
    totalEvents: platforms.reduce((s, p) => s + p.events, 0),
    platforms,
    gaps,
    limitations,
  };
}
