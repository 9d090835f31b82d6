import { getAnalysisStatus, type AnalysisStatus } from "@/lib/analysis/analysis-status";
import { logicVersion } from "@/lib/analysis/logic-version";
import { normalizerHash } from "@/lib/analysis/normalizer-hash";
import { getComplianceThresholds, type ComplianceThresholds } from "@/lib/compliance/thresholds";
import { DEFAULT_TENANT } from "@/lib/context/request-context";
import { getCoverage } from "@/lib/coverage/get-coverage";
import type { CoverageGap } from "@/lib/coverage/types";
import { pool } from "@/lib/db";
import { getGovernanceSettings, type GovernanceSettings } from "@/lib/governance/settings";
import type { CaseEvidence } from "./collect-case-evidence";
import type { EventScope, GovernanceEvidence } from "./governance-evidence";

// What a package covers and what it does not (scope.json), and which logic and analysis its verdicts come from
// (analysis.json). The facts are gathered while the package is prepared (one aggregate over the case's events, the
// coverage report, which is cached, the analysis status and the settings in force); the files are written once the
// raw records are streamed, since how many payloads were purged is only known then.

export type ScopePlatform = { platform: string; events: number; privileged: number; firstEventTime: string; lastEventTime: string };

export type ScopeFacts = {
  platforms: ScopePlatform[];
  coverageGeneratedAt: string;
  gaps: CoverageGap[];
  limitations: CoverageGap[];
  analysis: AnalysisStatus;
  thresholds: ComplianceThresholds;
  governanceSettings: GovernanceSettings;
};

export async function collectScopeFacts(scope: EventScope): Promise<ScopeFacts> {
  const [platforms, coverage, analysis, thresholds, governanceSettings] = await Promise.all([
    pool().query<{ platform: string; events: string; privileged: string; first: Date; last: Date }>(
      `SELECT e.platform, count(*) AS events, count(*) FILTER (WHERE e.privileged) AS privileged, min(e.time) AS first, max(e.time) AS last
         FROM event e WHERE e."tenantId" = $3 AND (e."sessionId" = ANY($1::uuid[]) OR e.id = ANY($2::bigint[]))
        GROUP BY e.platform ORDER BY e.platform`,
      [scope.sessionIds, scope.eventIds, DEFAULT_TENANT],
    ),
    getCoverage(),
    getAnalysisStatus(),
    getComplianceThresholds(),
    getGovernanceSettings(),
  ]);
  const inScope = new Set(platforms.rows.map((p) => p.platform));
  return {
    platforms: platforms.rows.map((p) => ({
      platform: p.platform,
      events: Number(p.events),
      privileged: Number(p.privileged),
      firstEventTime: p.first.toISOString(),
      lastEventTime: p.last.toISOString(),
    })),
    coverageGeneratedAt: coverage.generatedAt,
    gaps: coverage.gaps.filter((g) => inScope.has(g.platform)),
    limitations: coverage.limitations.filter((g) => inScope.has(g.platform)),
    analysis,
    thresholds,
    governanceSettings,
  };
}

/** The events of a case: its sessions' and the ones it cites directly or through findings (as collect-case-evidence.ts). */
export function eventScope(ev: CaseEvidence): EventScope {
  const direct = ev.items.filter((i) => i.itemType === "event").map((i) => String(i.refId));
  const fromFindings = ev.findings.flatMap((f) => (f.eventIds as string[] | null) ?? []);
  return {
    sessionIds: ev.sessions.map((s) => String(s.id)),
    eventIds: [...direct, ...fromFindings].filter((r) => /^\d{1,18}$/.test(r)),
  };
}

const json = (v: unknown) => Buffer.from(JSON.stringify(v, null, 2) + "\n", "utf8");

/** scope.json: time range, platforms, identities, what was left out and why, and the coverage gaps of these platforms. */
export function scopeJson(a: {
  ev: CaseEvidence;
  facts: ScopeFacts;
  governance: GovernanceEvidence;
  inclusionRule: string;
  purgedRawRecords: number;
  quarantinedRecords: number;
  legacyCsvHeaders: number;
}): Buffer {
  const { ev, facts, governance } = a;
  const times = facts.platforms.flatMap((p) => [p.firstEventTime, p.lastEventTime]).sort();
  const notInLedger = governance.checks.flatMap((c) =>
    (governance.matched.get(c.id) ?? []).filter((m) => !m.rawRecordId).map((m) => ({ eventId: c.eventId, kind: m.kind, id: m.id })),
  );
  const excluded = [
    {
      what: "case items that no longer resolve",
      count: ev.missing.length,
      items: ev.missing,
      why: "the session, event, finding or identity the case cited is gone (sessions are regrouped when correlation runs again)",
    },
    {
      what: "raw record payloads purged by retention",
      count: a.purgedRawRecords,
      why: "past their source's retention and under no legal hold: the leaf hash and inclusion proof remain, the bytes do not",
    },
    {
      what: "quarantined records of the batches",
      count: a.quarantinedRecords,
      why: "unreadable records never enter the ledger; they are listed with their bytes and reasons in provenance/quarantined.ndjson",
    },
    {
      what: "governance records without a ledger record",
      count: notInLedger.length,
      items: notInLedger,
      why: "the matched approval, grant or policy decision row has no raw record (entered before records were kept); its fields are in governance/checks.json",
    },
    {
      what: "privileged actions not checked",
      count: governance.unchecked.length,
      why: "no governance check covers them yet (the analysis has not run since they arrived); listed in governance/checks.json",
    },
    {
      what: "CSV header rows not in the ledger",
      count: a.legacyCsvHeaders,
      why: "batches ingested before header rows were kept as ledger records: the header comes from the batch table (provenance/batches.json) and is not ledger-proven",
    },
    {
      what: "events of cited identities outside the cited sessions, and links to sessions outside the case",
      why: "an identity item brings its aliases and credentials, not its activity: cite its sessions to include their events",
    },
  ];
  return json({
    timeRange: { from: times[0] ?? null, to: times[times.length - 1] ?? null, of: "the case's events (event time)" },
    platforms: facts.platforms,
    identities: ev.identities.map((i) => ({
      id: i.id,
      displayName: i.displayName,
      kind: i.kind,
      primaryEmail: i.primaryEmail,
      cited: i.cited,
    })),
    sessions: ev.sessions.length,
    events: ev.eventIds.length,
    inclusionRule: a.inclusionRule,
    excluded,
    coverage: {
      generatedAt: facts.coverageGeneratedAt,
      about:
        "Coverage gaps of this case's platforms, measured over all ingested data: a field the platform does not provide or was not " +
        "exported, a retention horizon shorter than required, or events that could not be joined to sessions, identities or approvals.",
      gaps: facts.gaps,
      limitations: facts.limitations,
      limitationsAbout: "Fields these platforms' logs do not provide at all (the vendor documents none): not gaps a setting can close.",
    },
  });
}

/** analysis.json: the logic version, the thresholds and settings in force, and the analysis run the verdicts come from. */
export function analysisJson(facts: ScopeFacts, ev: CaseEvidence): Buffer {
  const logic = logicVersion();
  const run = facts.analysis.current;
  const through = run ? Number(run.eventsThroughId) : 0;
  let after = 0;
  for (let i = ev.eventIds.length - 1; i >= 0 && ev.eventIds[i] > through; i--) after++;
  return json({
    logic: {
      appVersion: logic.appVersion,
      rulesHash: logic.logicHash,
      rulesHashCovers: "risk rules and their framework mappings, the control evidence map, the privileged-action catalogs",
      normalizerHash: normalizerHash(),
      normalizerHashCovers: "each source's formats, privileged-action catalog and detect/normalize function text as built",
      label: logic.label,
    },
    thresholds: { compliance: facts.thresholds, governance: facts.governanceSettings },
    analysis: run
      ? {
          runId: run.id,
          startedAt: run.startedAt,
          finishedAt: run.finishedAt,
          eventsThroughId: run.eventsThroughId,
          eventsThroughAt: run.eventsThroughAt,
          appVersion: run.appVersion,
          logicHash: run.logicHash,
          logicChangedSince: facts.analysis.logic.stale,
          caseEventsAfterRun: after,
          about:
            "The findings and governance checks in this package come from this run. caseEventsAfterRun of the case's events arrived after " +
            "it and have no verdicts yet; logicChangedSince: this server's rules differ from the run's.",
        }
      : { runId: null, about: "No analysis has run: the package holds no verdicts." },
  });
}
