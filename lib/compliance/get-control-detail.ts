import { pool } from "@/lib/db";
import type { EvidenceField } from "@/lib/coverage/types";
import { findControl, getCatalog, type Catalog, type FlatControl, type FrameworkSlug } from "./catalogs";
import { factDef, mappingsFor } from "./evidence-map";
import {
  buildFrameworkStatus,
  controlStatus,
  crosswalkEvidence,
  evidenceItem,
  type ControlStatus,
  type EvidenceItem,
} from "./get-framework-status";
import { crosswalkTargets, isCrosswalk } from "./crosswalk";
import { measureEvidence } from "./measure-evidence";
import { listControlScopes, type ControlScoping } from "./scope-control";
import { ALL_DATA, describePeriod, type AuditPeriod } from "./audit-period.types";
import { DEFAULT_TENANT } from "@/lib/context/request-context";
import { COUNTS_AS_OPEN_SQL, dispositionSql, type Disposition } from "@/lib/risk/disposition";
import { listExceptions } from "@/lib/risk/list-exceptions";
import type { FindingException } from "@/lib/risk/types";

// Drill-down from one control to the records behind it. Lists are capped (LIMIT) because a rule can have fired on
// thousands of sessions; counts come from the evidence items.

const LIST_LIMIT = 50;

type ControlFinding = {
  id: string;
  ruleId: string;
  title: string;
  severity: string;
  status: string;
  disposition: Disposition;
  riskExpiresAt: string | null;
  sessionId: string | null;
  lastSeenAt: string;
  reason: string;
};
type ControlSession = {
  id: string;
  platform: string;
  startedAt: string;
  identityName: string | null;
  riskLevel: string | null;
  findings: number;
};
type ControlGovernanceCheck = { status: string; checks: number };
type ControlCoverageFigure = {
  source: string;
  platform: string;
  label: string;
  figure: string;
  reason: string;
};

export type ControlDetail = {
  framework: FrameworkSlug;
  meta: Catalog["meta"];
  control: FlatControl;
  status: ControlStatus;
  /** Set when a compliance user scoped the control out ("not applicable"), with the reason. */
  scoping: ControlScoping | null;
  generatedAt: string;
  /** The audit period, in words. */
  periodLabel: string;
  evidence: EvidenceItem[];
  findings: ControlFinding[];
  findingsTotal: number;
  /** Approved risk acceptances in force for the mapped rules, with their expiry: exceptions, never evidence. */
  exceptions: FindingException[];
  sessions: ControlSession[];
  governance: ControlGovernanceCheck[];
  coverage: ControlCoverageFigure[];
};

const pctOf = (n: number, d: number) => (d === 0 ? "no events" : `${n} of ${d} events (${Math.round((n / d) * 100)}%)`);

export async function getControlDetail({
  framework,
  controlId,
  now,
  period = ALL_DATA,
}: {
  framework: FrameworkSlug;
  controlId: string;
  now?: Date;
  /** The audit period: the lists hold the findings, sessions and checks of the period, as the populations do. */
  period?: AuditPeriod;
}): Promise<ControlDetail | null> {
  const control = findControl(framework, controlId);
  if (!control) return null;
  // A crosswalk control (SOC 2, ISO 27001) lists the records behind the CSF 2.0 subcategories it maps to.
  const targets = crosswalkTargets(framework, controlId);
  const mappings = isCrosswalk(framework)
    ? [
        ...new Map(
          targets.flatMap((id) => mappingsFor("nist-csf-2.0", id)).map((m) => [`${m.kind}|${m.source}|${m.actor ?? ""}`, m] as const),
        ).values(),
      ]
    : mappingsFor(framework, controlId);
  const [ms, scopes, csfScopes] = await Promise.all([
    measureEvidence({ now, period }),
    listControlScopes(framework),
    isCrosswalk(framework) ? listControlScopes("nist-csf-2.0") : null,
  ]);
  // Findings and sessions active in the period; checks by their action's time (the same cuts as measure-evidence.ts).
  const P = [period.from, period.toExclusive];
  const active = (start: string, end: string, a: number) =>
    `($${a + 1}::timestamptz IS NULL OR ${start} < $${a + 1}) AND ($${a}::timestamptz IS NULL OR ${end} >= $${a})`;
  const scoping = scopes.get(controlId) ?? null;
  const crosswalk =
    isCrosswalk(framework) && csfScopes
      ? crosswalkEvidence(framework, controlId, buildFrameworkStatus("nist-csf-2.0", ms, csfScopes), ms)
      : null;
  const evidence = crosswalk ? crosswalk.evidence : mappings.map((m) => evidenceItem(m, ms));

  const ruleReasons = new Map(mappings.filter((m) => m.kind === "finding_rule").map((m) => [m.source, m.reason]));
  const ruleIds = [...ruleReasons.keys()];
  // Rules mapped here for their findings about non-human identities only (they fire for people too).
  const nhiOnly = mappings.filter((m) => m.kind === "finding_rule" && m.actor === "non_human").map((m) => m.source);
  const actorOk = `(NOT (f."ruleId" = ANY($NHI::text[])) OR EXISTS (SELECT 1 FROM identity i WHERE i.id = f."identityId" AND i.kind NOT IN ('human', 'unknown')))`;
  const wantsGovernance = mappings.some((m) => m.kind === "governance");

  const [findings, findingsTotal, sessions, governance, exceptions] = await Promise.all([
    ruleIds.length === 0
      ? Promise.resolve([])
      : pool()
          .query<{
            id: string;
            ruleId: string;
            title: string;
            severity: string;
            status: string;
            disposition: Disposition;
            riskExpiresAt: Date | null;
            sessionId: string | null;
            lastSeenAt: Date;
          }>(
            `SELECT * FROM (SELECT id, "ruleId", title, severity, status, ${dispositionSql("f", "$3")} AS disposition, "riskExpiresAt",
                                   "sessionId", "lastSeenAt"
                              FROM finding f WHERE "tenantId" = $1 AND "ruleId" = ANY($2::text[]) AND ${actorOk.replace("$NHI", "$4")}
                               AND ${active('f."firstSeenAt"', 'f."lastSeenAt"', 5)}) x
                ORDER BY (disposition IN (${COUNTS_AS_OPEN_SQL})) DESC, "lastSeenAt" DESC, id LIMIT ${LIST_LIMIT}`,
            [DEFAULT_TENANT, ruleIds, ms.generatedAt, nhiOnly, ...P],
          )
          .then((r) => r.rows),
    ruleIds.length === 0
      ? Promise.resolve(0)
      : pool()
          .query<{ n: string }>(
            `SELECT count(*) AS n FROM finding f WHERE "tenantId" = $1 AND "ruleId" = ANY($2::text[]) AND ${actorOk.replace("$NHI", "$3")}
                AND ${active('f."firstSeenAt"', 'f."lastSeenAt"', 4)}`,
            [DEFAULT_TENANT, ruleIds, nhiOnly, ...P],
          )
          .then((r) => Number(r.rows[0].n)),
    ruleIds.length === 0
      ? Promise.resolve([])
      : pool()
          .query<{
            id: string;
            platform: string;
            startedAt: Date;
            identityName: string | null;
            riskLevel: string | null;
            findings: string;
          }>(
            `SELECT s.id, s.platform, s."startedAt", i."displayName" AS "identityName", s."riskLevel", count(f.id) AS findings
                 FROM finding f JOIN session s ON s.id = f."sessionId"
                 LEFT JOIN identity i ON i.id = s."identityId"
                WHERE f."tenantId" = $1 AND f."ruleId" = ANY($2::text[]) AND ${actorOk.replace("$NHI", "$3")}
                  AND ${active('f."firstSeenAt"', 'f."lastSeenAt"', 4)}
                GROUP BY s.id, i."displayName"
                ORDER BY count(f.id) DESC, s."startedAt" DESC LIMIT ${LIST_LIMIT}`,
            [DEFAULT_TENANT, ruleIds, nhiOnly, ...P],
          )
          .then((r) => r.rows),
    !wantsGovernance
      ? Promise.resolve([])
      : pool()
          .query<{ status: string; checks: string }>(
            `SELECT status, count(*) AS checks FROM governance_check
              WHERE "tenantId" = $1 AND ($2::timestamptz IS NULL OR time >= $2) AND ($3::timestamptz IS NULL OR time < $3)
              GROUP BY status ORDER BY count(*) DESC, status`,
            [DEFAULT_TENANT, ...P],
          )
          .then((r) => r.rows),
    listExceptions({ ruleIds, now: new Date(ms.generatedAt) }),
  ]);

  // Coverage figures per platform for every coverage fact mapped to this control.
  const coverage: ControlCoverageFigure[] = [];
  const platforms = ms.coverage.platforms.filter((p) => p.events > 0);
  for (const m of mappings.filter((x) => x.kind === "coverage")) {
    for (const p of platforms) {
      let figure: string;
      if (m.source.startsWith("coverage:field:")) {
        const f = p.fields.find((x) => x.field === (m.source.slice("coverage:field:".length) as EvidenceField));
        figure = pctOf(f?.filled ?? 0, p.events);
      } else if (m.source === "coverage:join-session") figure = pctOf(p.join.withSession, p.events);
      else if (m.source === "coverage:join-identity") figure = pctOf(p.join.withIdentity, p.events);
      else if (m.source === "coverage:retention") {
        const v = ms.logRetention.platforms.find((x) => x.platform === p.platform);
        figure = v ? `${v.status}: ${v.reason}` : "no data held: not in scope";
      } else figure = `${p.events} events`;
      coverage.push({
        source: m.source,
        platform: p.label,
        label: evidence.find((e) => e.source === m.source)?.label ?? factDef(m.source)?.label ?? m.source,
        figure,
        reason: m.reason,
      });
    }
  }

  return {
    framework,
    meta: getCatalog(framework).meta,
    control,
    status: scoping ? "not_applicable" : crosswalk ? crosswalk.derived : controlStatus(evidence, scoping),
    scoping,
    generatedAt: ms.generatedAt,
    periodLabel: describePeriod(period),
    evidence,
    findings: findings.map((f) => ({
      id: f.id,
      ruleId: f.ruleId,
      title: f.title,
      severity: f.severity,
      status: f.status,
      disposition: f.disposition,
      riskExpiresAt: f.riskExpiresAt?.toISOString() ?? null,
      sessionId: f.sessionId,
      lastSeenAt: f.lastSeenAt.toISOString(),
      reason: ruleReasons.get(f.ruleId) ?? "",
    })),
    findingsTotal,
    exceptions,
    sessions: sessions.map((s) => ({ ...s, startedAt: s.startedAt.toISOString(), findings: Number(s.findings) })),
    governance: governance.map((g) => ({ status: g.status, checks: Number(g.checks) })),
    coverage,
  };
}
