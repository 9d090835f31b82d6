import { citedEventsCte } from "@/lib/cases/cited-events";
import { DEFAULT_TENANT } from "@/lib/context/request-context";
import { pool } from "@/lib/db";
import { sql } from "@/lib/db/sql";
import { iterateGovernanceChecks } from "@/lib/governance/export-governance-checks";
import type { GovernanceCheckItem } from "@/lib/governance/types";
import type { LedgerCheckpointJson } from "@/lib/ledger/checkpoint-row";
import { dispositionSql, DISPOSITION_LABEL, type Disposition } from "@/lib/risk/disposition";
import { answerSessions, type AnsweredSession } from "@/lib/sessions/session-answers";
import { sessionHeadlines } from "@/lib/sessions/headline-facts";
import type { CaseEvidence } from "../collect-case-evidence";
import { BUCKETS, type TimelineFigure } from "./timeline-svg";

// What the case report says, gathered once per report (once per export): the case and its scope, the notes, the
// four answers of each session (lib/sessions/session-answers.ts, the session page's own), the timeline figure's
// counts, the findings with their dispositions and dismissals, the governance checks of the privileged actions
// among the case's events, the tasks, the review history, and what the report's evidence is anchored to. A handful
// of set-based queries, whatever the number of events: nothing here is per event or per record.

/** Sessions whose answers the report prints; more are counted and left to sessions.json. */
export const MAX_REPORT_SESSIONS = 500;
/** Governance checks the report lists; more are counted (their statuses all) and left to the governance export. */
export const MAX_REPORT_CHECKS = 1000;

export type ReportFinding = {
  id: string;
  cited: boolean;
  ruleId: string;
  severity: string;
  title: string;
  sessionId: string | null;
  disposition: Disposition;
  dispositionLabel: string;
  dismissalType: string | null;
  dismissedReason: string | null;
  dismissedAt: string | null;
  dismissedBy: string | null;
  riskExpiresAt: string | null;
  riskApprovedBy: string | null;
  riskApprovedAt: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
  history: { action: string; reason: string | null; at: string; actor: string | null }[];
};

export type ReviewEntry = { at: string; actor: string | null; action: string; from: string | null; to: string | null };

export type CaseReport = {
  generatedAt: string;
  generatedBy: string;
  /** True inside an evidence package (the checkpoint is the package's), false for a report downloaded on its own. */
  packaged: boolean;
  case: CaseEvidence["case"];
  scope: {
    from: string | null;
    to: string | null;
    events: number;
    platforms: { platform: string; sessions: number; events: number; from: string; to: string }[];
    identities: { name: string; kind: string; email: string | null; cited: boolean }[];
    items: Record<string, number>;
    missing: CaseEvidence["missing"];
  };
  notes: { author: string | null; at: string; edited: string | null; body: string }[];
  sessions: (AnsweredSession & { cited: boolean; headline: string })[];
  sessionsTotal: number;
  timeline: TimelineFigure | null;
  findings: ReportFinding[];
  governance: { checks: GovernanceCheckItem[]; total: number; byStatus: Record<string, number> };
  tasks: { title: string; done: boolean; assignee: string | null; dueAt: string | null; completedAt: string | null }[];
  review: { entries: ReviewEntry[]; viewers: { actor: string; views: number; first: string; last: string }[] };
  verification: {
    keyFingerprint: string;
    keyId: string;
    checkpoint: Pick<LedgerCheckpointJson, "id" | "seq" | "treeSize" | "rootHash" | "createdAt">;
    rawRecords: number;
    events: number;
    /** The checkpoint's RFC 3161 timestamp, in words (lib/export/checkpoint-timestamp.ts describeTimestamp). */
    trustedTime: string;
  };
};

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
const statusOf = (v: unknown) => (v && typeof v === "object" && "status" in v ? str((v as { status: unknown }).status) : null);

export async function collectCaseReport({
  evidence: ev,
  checkpoint,
  generatedAt,
  generatedBy,
  packaged,
  trustedTime,
}: {
  evidence: CaseEvidence;
  checkpoint: LedgerCheckpointJson;
  trustedTime: string;
  generatedAt: Date;
  generatedBy: string;
  packaged: boolean;
}): Promise<CaseReport> {
  const refs = (t: string) => ev.items.filter((i) => i.itemType === t).map((i) => String(i.refId));
  const sessionIds = ev.sessions.map((s) => String(s.id));
  const citedSessions = new Set(refs("session"));
  const cited = {
    sessionIds,
    eventIds: refs("event").filter((r) => /^\d{1,18}$/.test(r)),
    findingIds: ev.findings.map((f) => String(f.id)),
  };
  const findingEventIds = ev.findings.flatMap((f) => (f.eventIds as string[] | null) ?? []);

  const [answered, headlines, timeline, findings, governance, viewers] = await Promise.all([
    answerSessions({ ids: sessionIds.slice(0, MAX_REPORT_SESSIONS) }),
    sessionHeadlines({ ids: sessionIds.slice(0, MAX_REPORT_SESSIONS) }),
    timelineCounts(cited, ev.sessions),
    reportFindings(cited.findingIds, sessionIds),
    governanceInScope(sessionIds, [...cited.eventIds, ...findingEventIds]),
    caseViewers(ev.case.id),
  ]);

  const items: Record<string, number> = {};
  for (const i of ev.items) items[String(i.itemType)] = (items[String(i.itemType)] ?? 0) + 1;
  const review = ev.history
    .filter((a) =>
      ["created", "status_changed", "exported", "report_downloaded", "hold_placed", "hold_released"].includes(String(a.action)),
    )
    .map((a) => ({
      at: iso(a.at as Date)!,
      actor: str(a.actor),
      action: String(a.action),
      from: statusOf(a.before),
      to: statusOf(a.after),
    }));

  return {
    generatedAt: generatedAt.toISOString(),
    generatedBy,
    packaged,
    case: ev.case,
    scope: {
      from: timeline.figure?.from ?? null,
      to: timeline.figure?.to ?? null,
      events: timeline.platforms.reduce((a, p) => a + p.events, 0),
      platforms: timeline.platforms,
      identities: ev.identities.map((i) => ({
        name: String(i.displayName ?? i.id),
        kind: String(i.kind),
        email: str(i.primaryEmail),
        cited: Boolean(i.cited),
      })),
      items,
      missing: ev.missing,
    },
    notes: ev.notes.map((n) => ({
      author: str(n.author),
      at: iso(n.createdAt as Date)!,
      edited: n.updatedAt && iso(n.updatedAt as Date) !== iso(n.createdAt as Date) ? iso(n.updatedAt as Date) : null,
      body: String(n.body ?? ""),
    })),
    sessions: answered.map((a) => ({ ...a, cited: citedSessions.has(a.row.id), headline: headlines.get(a.row.id) ?? "" })),
    sessionsTotal: sessionIds.length,
    timeline: timeline.figure,
    findings,
    governance,
    tasks: ev.tasks.map((t) => ({
      title: String(t.title),
      done: Boolean(t.done),
      assignee: str(t.assignee),
      dueAt: iso(t.dueAt as Date | null),
      completedAt: iso(t.completedAt as Date | null),
    })),
    review: { entries: review, viewers },
    verification: {
      keyFingerprint: checkpoint.keyFingerprint,
      keyId: checkpoint.keyId,
      checkpoint: {
        id: checkpoint.id,
        seq: checkpoint.seq,
        treeSize: checkpoint.treeSize,
        rootHash: checkpoint.rootHash,
        createdAt: checkpoint.createdAt,
      },
      rawRecords: ev.rawRecordIds.length,
      events: ev.eventIds.length,
      trustedTime,
    },
  };
}

/**
 * Per platform: the case's events (extent and count, and per time bucket) and its sessions' spans. One pass over the
 * case's events: the buckets span the case's whole extent (at least a minute), each bucket row carries its count and
 * its earliest and latest event, and the per-platform extents are those rows summed up.
 */
async function timelineCounts(
  cited: Parameters<typeof citedEventsCte>[0],
  sessions: CaseEvidence["sessions"],
): Promise<{ figure: TimelineFigure | null; platforms: CaseReport["scope"]["platforms"] }> {
  const rows = await pool().query<{ platform: string; b: number; n: string; lo: Date; hi: Date; extentLo: string; extentHi: string }>(
    sql`WITH ${citedEventsCte(cited)},
     x AS MATERIALIZED (SELECT e.platform, extract(epoch FROM e.time) * 1000 AS ms, e.time FROM event e JOIN cited ON cited.id = e.id
                         WHERE e."tenantId" = ${DEFAULT_TENANT}),
     span AS (SELECT min(ms) AS lo, greatest(max(ms), min(ms) + 60000) AS hi FROM x)
     SELECT x.platform, least(floor((x.ms - span.lo) / ((span.hi - span.lo) / ${BUCKETS}))::int, ${BUCKETS - 1}) AS b, count(*) AS n,
            min(x.time) AS lo, max(x.time) AS hi, min(span.lo)::text AS "extentLo", min(span.hi)::text AS "extentHi"
       FROM x CROSS JOIN span GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  const spansOf = new Map<string, { start: string; end: string }[]>();
  for (const s of sessions) {
    const list = spansOf.get(String(s.platform)) ?? [];
    list.push({ start: iso(s.startedAt as Date)!, end: iso(s.endedAt as Date)! });
    spansOf.set(String(s.platform), list);
  }
  const extents = new Map<string, { lo: Date; hi: Date; n: number }>();
  for (const r of rows.rows) {
    const e = extents.get(r.platform);
    if (!e) extents.set(r.platform, { lo: r.lo, hi: r.hi, n: Number(r.n) });
    else {
      if (r.lo < e.lo) e.lo = r.lo;
      if (r.hi > e.hi) e.hi = r.hi;
      e.n += Number(r.n);
    }
  }
  const platforms = [...extents].map(([platform, e]) => ({
    platform,
    sessions: spansOf.get(platform)?.length ?? 0,
    events: e.n,
    from: e.lo.toISOString(),
    to: e.hi.toISOString(),
  }));
  if (platforms.length === 0) return { figure: null, platforms };
  const lo = Number(rows.rows[0].extentLo);
  const hi = Number(rows.rows[0].extentHi);
  const lanes = platforms.map((p) => ({
    platform: p.platform,
    events: p.events,
    buckets: new Array<number>(BUCKETS).fill(0),
    spans: spansOf.get(p.platform) ?? [],
  }));
  const lane = new Map(lanes.map((l) => [l.platform, l]));
  for (const r of rows.rows) {
    const l = lane.get(r.platform);
    if (l && r.b >= 0) l.buckets[r.b] += Number(r.n);
  }
  return { figure: { from: new Date(lo).toISOString(), to: new Date(hi).toISOString(), lanes }, platforms };
}

/** The cited findings and the other findings on the case's sessions, with what they stand for now and every dismissal. */
async function reportFindings(citedIds: string[], sessionIds: string[]): Promise<ReportFinding[]> {
  if (citedIds.length === 0 && sessionIds.length === 0) return [];
  const r = await pool().query(
    `SELECT f.id, f.id = ANY($1::uuid[]) AS cited, f."ruleId", f.severity, f.title, f."sessionId", ${dispositionSql("f")} AS disposition,
            f."dismissalType", f."dismissedReason", f."dismissedAt", du.email AS "dismissedBy", f."riskExpiresAt",
            au.email AS "riskApprovedBy", f."riskApprovedAt", f."firstSeenAt", f."lastSeenAt",
            COALESCE((SELECT json_agg(json_build_object('action', h.action, 'reason', h.reason, 'at', h.at, 'actor', hu.email) ORDER BY h.at, h.id)
                        FROM finding_activity h LEFT JOIN app_user hu ON hu.id = h."actorId" WHERE h."findingId" = f.id), '[]'::json) AS history
       FROM finding f LEFT JOIN app_user du ON du.id = f."dismissedById" LEFT JOIN app_user au ON au.id = f."riskApprovedById"
      WHERE f."tenantId" = $3 AND (f.id = ANY($1::uuid[]) OR f."sessionId" = ANY($2::uuid[]))
      ORDER BY f.id = ANY($1::uuid[]) DESC, f."firstSeenAt", f.id`,
    [citedIds, sessionIds, DEFAULT_TENANT],
  );
  return r.rows.map((f) => ({
    id: f.id,
    cited: f.cited,
    ruleId: f.ruleId,
    severity: f.severity,
    title: f.title,
    sessionId: f.sessionId,
    disposition: f.disposition,
    dispositionLabel: DISPOSITION_LABEL[f.disposition as Disposition] ?? f.disposition,
    dismissalType: f.dismissalType,
    dismissedReason: f.dismissedReason,
    dismissedAt: iso(f.dismissedAt),
    dismissedBy: f.dismissedBy,
    riskExpiresAt: iso(f.riskExpiresAt),
    riskApprovedBy: f.riskApprovedBy,
    riskApprovedAt: iso(f.riskApprovedAt),
    firstSeenAt: iso(f.firstSeenAt)!,
    lastSeenAt: iso(f.lastSeenAt)!,
    history: (f.history as { action: string; reason: string | null; at: string; actor: string | null }[]).map((h) => ({
      ...h,
      at: iso(h.at)!,
    })),
  }));
}

/** The governance checks of the privileged actions among the case's events (at most MAX_REPORT_CHECKS listed), counted by status. */
async function governanceInScope(sessionIds: string[], eventIds: string[]): Promise<CaseReport["governance"]> {
  const checks: GovernanceCheckItem[] = [];
  const byStatus: Record<string, number> = {};
  let total = 0;
  if (sessionIds.length === 0 && eventIds.length === 0) return { checks, total, byStatus };
  for await (const c of iterateGovernanceChecks({ scope: { sessionIds, eventIds }, sort: "time", dir: "asc" })) {
    total++;
    byStatus[c.status] = (byStatus[c.status] ?? 0) + 1;
    if (checks.length < MAX_REPORT_CHECKS) checks.push(c);
  }
  return { checks, total, byStatus };
}

/** Who opened the case page, from the audit trail (each view is an audit entry: lib/audit/record-view.ts). */
async function caseViewers(caseId: string): Promise<CaseReport["review"]["viewers"]> {
  const r = await pool().query<{ actor: string | null; views: string; first: Date; last: Date }>(
    `SELECT "actorEmail" AS actor, count(*) AS views, min(at) AS first, max(at) AS last FROM audit_log
      WHERE action = 'view.case' AND "resourceId" = $1 AND "tenantId" = $2 GROUP BY 1 ORDER BY min(at)`,
    [caseId, DEFAULT_TENANT],
  );
  return r.rows.map((v) => ({
    actor: v.actor ?? "(unknown)",
    views: Number(v.views),
    first: v.first.toISOString(),
    last: v.last.toISOString(),
  }));
}
