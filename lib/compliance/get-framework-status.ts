export { CONTROL_STATUSES, CONTROL_STATUS_LABEL, controlStatus, describePopulation, populationStatus } from "./control-status";
export type { ControlStatus, EvidenceItem, EvidenceStatus } from "./control-status";
import { getCatalog, listControls, type Catalog, type FlatControl, type FrameworkSlug } from "./catalogs";
import { factDef, mappingsFor, ruleDef, type ControlMapping } from "./evidence-map";
import { measureEvidence, type Measurements } from "./measure-evidence";
import { controlStatus, populationStatus, type ControlStatus, type EvidenceItem } from "./control-status";
import { listControlScopes, type ControlScoping } from "./scope-control";
import type { ComplianceThresholds } from "./thresholds";
import { ALL_DATA, describePeriod, type AuditPeriod } from "./audit-period.types";
import { crosswalkItem, crosswalkStatus, crosswalkTargets, isCrosswalk, type CrosswalkSlug } from "./crosswalk";

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

/** Open findings of the rules mapped to any of the CSF subcategories, each rule counted once. */
function openFindingsOf(csfIds: readonly string[], ms: Measurements): number {
  const rules = new Set(
    csfIds
      .flatMap((id) => mappingsFor("nist-csf-2.0", id).filter((m) => m.kind === "finding_rule"))
      .map((m) => `${m.source}|${m.actor ?? ""}`),
  );
  return [...rules].reduce((sum, key) => {
    const [rule, actor] = key.split("|");
    return sum + ((actor === "non_human" ? ms.rulesNonHuman : ms.rules).get(rule)?.open ?? 0);
  }, 0);
}

/** A crosswalk control's evidence (one item per mapped CSF subcategory) and its derived status (CROSSWALK_RULE). */
export function crosswalkEvidence(framework: CrosswalkSlug, controlId: string, csf: FrameworkStatus, ms: Measurements) {
  const targets = crosswalkTargets(framework, controlId);
  const rows = targets.map((id) => csf.controls.find((c) => c.id === id)).filter((c): c is ControlStatusRow => c !== undefined);
  const evidence = rows.map((r) =>
    crosswalkItem(framework, {
      id: r.id,
      categoryTitle: r.categoryTitle,
      text: r.text,
      status: r.status,
      evidence: r.evidence,
      openFindings: r.openFindings,
      scopingReason: r.scoping?.reason ?? null,
    }),
  );
  return { evidence, derived: crosswalkStatus(rows.map((r) => r.status)), openFindings: openFindingsOf(targets, ms) };
}

export function buildFrameworkStatus(
  framework: FrameworkSlug,
  ms: Measurements,
  scopes: Map<string, ControlScoping>,
  /** The CSF 2.0 status from the same measurements: required for the crosswalk views (SOC 2, ISO 27001). */
  csf?: FrameworkStatus,
): FrameworkStatus {
  const summary: FrameworkStatus["summary"] = { sufficient: 0, partial: 0, gap: 0, no_data: 0, not_applicable: 0, total: 0 };
  if (isCrosswalk(framework) && !csf) throw new Error(`buildFrameworkStatus(${framework}) needs the CSF 2.0 status it derives from`);
  const controls = listControls(framework).map(({ examples: _examples, ...ctl }) => {
    const scoping = scopes.get(ctl.id) ?? null;
    let evidence: EvidenceItem[];
    let status: ControlStatus;
    let openFindings: number;
    if (isCrosswalk(framework)) {
      const x = crosswalkEvidence(framework, ctl.id, csf!, ms);
      evidence = x.evidence;
      status = scoping ? "not_applicable" : x.derived;
      openFindings = x.openFindings;
    } else {
      evidence = mappingsFor(framework, ctl.id).map((m) => evidenceItem(m, ms));
      status = controlStatus(evidence, scoping);
      openFindings = evidence.reduce((s, e) => s + e.openFindings, 0);
    }
    summary[status] += 1;
    summary.total += 1;
    return { ...ctl, status, openFindings, evidence, scoping };
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
  const [ms, scopes, csfScopes] = await Promise.all([
    measureEvidence({ now, period }),
    listControlScopes(framework),
    isCrosswalk(framework) ? listControlScopes("nist-csf-2.0") : null,
  ]);
  const csf = csfScopes ? buildFrameworkStatus("nist-csf-2.0", ms, csfScopes) : undefined;
  return buildFrameworkStatus(framework, ms, scopes, csf);
}
