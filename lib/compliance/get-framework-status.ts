import { getCatalog, listControls, type Catalog, type FlatControl, type FrameworkSlug } from "./catalogs";
import { factDef, mappingsFor, ruleDef, type ControlMapping, type EvidenceKind } from "./evidence-map";
import { measureEvidence, type Measurements } from "./measure-evidence";

export const CONTROL_STATUSES = ["with_findings", "with_evidence", "without_evidence"] as const;
export type ControlStatus = (typeof CONTROL_STATUSES)[number];
export const CONTROL_STATUS_LABEL: Record<ControlStatus, string> = {
  with_findings: "With findings",
  with_evidence: "With evidence",
  without_evidence: "Without evidence",
};

export type EvidenceItem = {
  kind: EvidenceKind;
  source: string;
  label: string;
  reason: string;
  /** A fact measured as present, or a rule that has produced findings (open or reviewed). */
  present: boolean;
  value: string;
  openFindings: number;
};

export type ControlStatusRow = Omit<FlatControl, "examples"> & {
  status: ControlStatus;
  openFindings: number;
  evidence: EvidenceItem[];
};

export type FrameworkStatus = {
  framework: FrameworkSlug;
  meta: Catalog["meta"];
  generatedAt: string;
  scope: Measurements["scope"];
  summary: Record<ControlStatus, number> & { total: number };
  controls: ControlStatusRow[];
};

export function evidenceItem(m: ControlMapping, ms: Measurements): EvidenceItem {
  if (m.kind === "finding_rule") {
    const counts = ms.rules.get(m.source) ?? { open: 0, total: 0 };
    const reviewed = counts.total - counts.open;
    return {
      kind: m.kind,
      source: m.source,
      label: `Risk rule: ${ruleDef(m.source)?.title ?? m.source}`,
      reason: m.reason,
      present: counts.total > 0,
      value: counts.total === 0 ? "no findings" : `${counts.open} open, ${reviewed} dismissed after review`,
      openFindings: counts.open,
    };
  }
  const f = ms.facts[m.source as keyof Measurements["facts"]];
  return {
    kind: m.kind,
    source: m.source,
    label: factDef(m.source)?.label ?? m.source,
    reason: m.reason,
    present: f?.present ?? false,
    value: f?.value ?? "not measured",
    openFindings: 0,
  };
}

// An open finding outweighs evidence: the control is shown as needing attention even when other facts speak for
// it. Dismissed findings count as evidence (the rule ran and a person reviewed the result).
export function controlStatus(items: EvidenceItem[]): ControlStatus {
  if (items.some((i) => i.openFindings > 0)) return "with_findings";
  if (items.some((i) => i.present)) return "with_evidence";
  return "without_evidence";
}

export function buildFrameworkStatus(framework: FrameworkSlug, ms: Measurements): FrameworkStatus {
  const summary = { with_findings: 0, with_evidence: 0, without_evidence: 0, total: 0 };
  const controls = listControls(framework).map(({ examples: _examples, ...ctl }) => {
    const evidence = mappingsFor(framework, ctl.id).map((m) => evidenceItem(m, ms));
    const status = controlStatus(evidence);
    summary[status] += 1;
    summary.total += 1;
    return { ...ctl, status, openFindings: evidence.reduce((s, e) => s + e.openFindings, 0), evidence };
  });
  return { framework, meta: getCatalog(framework).meta, generatedAt: ms.generatedAt, scope: ms.scope, summary, controls };
}

/** Per control of one framework: its evidence items with their reasons and the resulting status. */
export async function getFrameworkStatus({ framework, now }: { framework: FrameworkSlug; now?: Date }): Promise<FrameworkStatus> {
  return buildFrameworkStatus(framework, await measureEvidence({ now }));
}
