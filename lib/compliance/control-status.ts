import type { EvidenceKind } from "./evidence-map";
import type { Population } from "./measure-evidence";
import type { ControlScoping } from "./scope-control";

// A control's status comes from measured populations against thresholds (lib/compliance/thresholds.ts), never from
// the mere presence of a row: "sufficient" only when every measured population meets its threshold and minimum size
// and no finding is open or accepted as a risk; "partial" when some evidence falls short; "gap" when nothing measured
// meets its condition; "no data" when nothing mapped has been measured; "not applicable" when a compliance user
// scoped the control out, with a reason (lib/compliance/scope-control.ts).
export const CONTROL_STATUSES = ["sufficient", "partial", "gap", "no_data", "not_applicable"] as const;
export type ControlStatus = (typeof CONTROL_STATUSES)[number];
export const CONTROL_STATUS_LABEL: Record<ControlStatus, string> = {
  sufficient: "Sufficient evidence",
  partial: "Partial",
  gap: "Gap",
  no_data: "No data",
  not_applicable: "Not applicable",
};
export type EvidenceStatus = Exclude<ControlStatus, "not_applicable">;

export type EvidenceItem = {
  kind: EvidenceKind;
  source: string;
  label: string;
  reason: string;
  status: EvidenceStatus;
  /** The measured population (facts); null for a risk rule, whose findings only ever count against a control. */
  population: Population | null;
  value: string;
  openFindings: number;
  /** Approved risk acceptances in force: listed as exceptions, never evidence; they keep the control from "sufficient". */
  exceptions: number;
};

/** A population's status: the threshold and the minimum size must both be met for "sufficient". */
export function populationStatus(p: Population): EvidenceStatus {
  if (p.denominator === 0) return "no_data";
  if (p.denominator >= p.min && p.numerator * 100 >= p.thresholdPct * p.denominator) return "sufficient";
  return p.numerator === 0 ? "gap" : "partial";
}

/** "412 / 500 (82%, needs 95% of at least 10)" */
export function describePopulation(p: Population): string {
  const share = p.denominator === 0 ? "no data" : `${Math.floor((p.numerator / p.denominator) * 100)}%`;
  return `${p.numerator} / ${p.denominator} ${p.unit} (${share}; sufficient at ${p.thresholdPct}% of at least ${p.min})`;
}

/** The control's status from its evidence items (see CONTROL_STATUSES); scoping out overrides it. */
export function controlStatus(items: EvidenceItem[], scoping: ControlScoping | null = null): ControlStatus {
  if (scoping) return "not_applicable";
  const measured = items.filter((i) => i.status !== "no_data");
  if (measured.length === 0) return "no_data";
  if (measured.every((i) => i.status === "sufficient")) return "sufficient";
  if (measured.every((i) => i.status === "gap")) return "gap";
  return "partial";
}
