export { CONTROL_STATUSES, CONTROL_STATUS_LABEL, controlStatus, describePopulation, populationStatus } from "./control-status";
export type { ControlStatus, EvidenceItem, EvidenceStatus } from "./control-status";
import { getCatalog, listControls, type Catalog, type FlatControl, type FrameworkSlug } from "./catalogs";
import { factDef, mappingsFor, ruleDef, type ControlMapping } from "./evidence-map";
import { measureEvidence, type Measurements } from "./measure-evidence";
import { controlStatus, populationStatus, type ControlStatus, type EvidenceItem } from "./control-status";
import { listControlScopes, type ControlScoping } from "./scope-control";
import type { ComplianceThresholds } from "./thresholds";
import { ALL_DATA, describePeriod, type AuditPeriod } from "./audit-period.types";

export type ControlStatusRow = Omit<FlatControl, "examples"> & {
  status: ControlStatus;
  openFindings: number;
  evidence: EvidenceItem[];
  /** Set when a compliance user scoped the control out (status "not_applicable"). */
  scoping: ControlScoping | null;
};

export type FrameworkStatus = {
  framework: FrameworkSlug;
  meta: Catalog["meta"];
  generatedAt: string;
  /** The audit period the populations were taken over, and in words. */
  period: AuditPeriod & { label: string };
  scope: Measurements["scope"];
  thresholds: ComplianceThresholds;
  summary: Record<ControlStatus, number> & { total: number };
  controls: ControlStatusRow[];
};

export function evidenceItem(m: ControlMapping, ms: Measurements): EvidenceItem {
  if (m.kind === "finding_rule") {
    const counts = (m.actor === "non_human" ? ms.rulesNonHuman : ms.rules).get(m.source) ?? { open: 0, exceptions: 0, total: 0 };
    const closed = counts.total - counts.open - counts.exceptions;
    return {
      kind: m.kind,
      source: m.source,
      label: `Risk rule: ${ruleDef(m.source)?.title ?? m.source}${m.actor === "non_human" ? " (non-human identities)" : ""}`,
      reason: m.reason,
      // A rule's findings count against a control; their absence is not evidence for it. An accepted risk is not a gap
      // any more, but never evidence either: the control stays short of "sufficient" while the exception runs.
      status: counts.open > 0 ? "gap" : counts.exceptions > 0 ? "partial" : "no_data",
      population: null,
      value:
        counts.total === 0
          ? "no findings"
          : `${counts.open} open, ${counts.exceptions} exception(s) (risk accepted), ${closed} false positive or resolved`,
      openFindings: counts.open,
      exceptions: counts.exceptions,
    };
  }
  const f = ms.facts[m.source as keyof Measurements["facts"]];
  return {
    kind: m.kind,
    source: m.source,
    label: factDef(m.source)?.label ?? m.source,
    reason: m.reason,
    status: f ? populationStatus(f.population) : "no_data",
    population: f?.population ?? null,
    value: f?.value ?? "not measured",
    openFindings: 0,
    exceptions: 0,
  };
}

export function buildFrameworkStatus(framework: FrameworkSlug, ms: Measurements, scopes: Map<string, ControlScoping>): FrameworkStatus {
  const summary: FrameworkStatus["summary"] = { sufficient: 0, partial: 0, gap: 0, no_data: 0, not_applicable: 0, total: 0 };
  const controls = listControls(framework).map(({ examples: _examples, ...ctl }) => {
    const evidence = mappingsFor(framework, ctl.id).map((m) => evidenceItem(m, ms));
    const scoping = scopes.get(ctl.id) ?? null;
    const status = controlStatus(evidence, scoping);
    summary[status] += 1;
    summary.total += 1;
    return { ...ctl, status, openFindings: evidence.reduce((s, e) => s + e.openFindings, 0), evidence, scoping };
  });
  return {
    framework,
    meta: getCatalog(framework).meta,
    generatedAt: ms.generatedAt,
    period: { ...ms.period, label: describePeriod(ms.period) },
    scope: ms.scope,
    thresholds: ms.thresholds,
    summary,
    controls,
  };
}

/** Per control of one framework: its evidence items with their reasons and the resulting status. */
export async function getFrameworkStatus({
  framework,
  now,
  period = ALL_DATA,
}: {
  framework: FrameworkSlug;
  now?: Date;
  period?: AuditPeriod;
}): Promise<FrameworkStatus> {
  const [ms, scopes] = await Promise.all([measureEvidence({ now, period }), listControlScopes(framework)]);
  return buildFrameworkStatus(framework, ms, scopes);
}
