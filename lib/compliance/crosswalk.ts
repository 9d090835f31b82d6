import type { ControlStatus, EvidenceItem } from "./control-status";
import { ISO_27001_2022 } from "./crosswalks/iso-27001-2022";
import { SOC2_TSC_2017 } from "./crosswalks/soc2-tsc-2017";
import type { Crosswalk, CrosswalkControl } from "./crosswalks/types";

// SOC 2 (CC6-CC8) and ISO/IEC 27001:2022 Annex A seen through a crosswalk from NIST CSF 2.0: each of their controls
// takes its status from the CSF 2.0 subcategories it maps to (their evidence, thresholds, findings and scoping).
//
// The rule, stated wherever the status is shown (CROSSWALK_RULE): the weakest of the mapped subcategories. A mapped
// subcategory scoped out as not applicable is left out; the control is
//   not applicable  when it was scoped out itself, or every mapped subcategory was;
//   no data         when no subcategory is mapped, or none of the mapped ones has any evidence;
//   gap             when any mapped subcategory is a gap;
//   sufficient      only when every mapped subcategory (not scoped out) is sufficient;
//   partial         otherwise (some sufficient, or some partial, or some without any evidence).

export const CROSSWALKS: Record<Crosswalk["slug"], Crosswalk> = { "soc2-tsc-2017": SOC2_TSC_2017, "iso-27001-2022": ISO_27001_2022 };
export type CrosswalkSlug = Crosswalk["slug"];
export const isCrosswalk = (slug: string): slug is CrosswalkSlug => Object.hasOwn(CROSSWALKS, slug);

export const CROSSWALK_RULE =
  "Status through the crosswalk: the weakest of the mapped NIST CSF 2.0 subcategories (scoped-out ones left out): sufficient only when every one is sufficient, gap when any is a gap, no data when none has evidence or none is mapped, partial otherwise.";

const byId = new Map<string, CrosswalkControl>(
  Object.values(CROSSWALKS).flatMap((cw) => cw.groups.flatMap((g) => g.controls.map((c) => [`${cw.slug}:${c.id}`, c] as const))),
);

/** The CSF 2.0 subcategories a crosswalk control maps to ([] when none, or not a crosswalk control). */
export function crosswalkTargets(framework: string, controlId: string): readonly string[] {
  return byId.get(`${framework}:${controlId}`)?.csf ?? [];
}

/** The derived status from the mapped subcategories' statuses (see CROSSWALK_RULE). */
export function crosswalkStatus(mapped: readonly ControlStatus[]): ControlStatus {
  if (mapped.length === 0) return "no_data";
  const inScope = mapped.filter((s) => s !== "not_applicable");
  if (inScope.length === 0) return "not_applicable";
  if (inScope.every((s) => s === "no_data")) return "no_data";
  if (inScope.some((s) => s === "gap")) return "gap";
  if (inScope.every((s) => s === "sufficient")) return "sufficient";
  return "partial";
}

/** What a crosswalk control shows for one mapped CSF subcategory. */
export type CsfSubcategoryStatus = {
  id: string;
  categoryTitle: string;
  text: string;
  status: ControlStatus;
  evidence: EvidenceItem[];
  openFindings: number;
  scopingReason: string | null;
};

/** One evidence item per mapped subcategory: its status, figures and the reason the crosswalk gives. */
export function crosswalkItem(framework: CrosswalkSlug, sub: CsfSubcategoryStatus): EvidenceItem {
  const measured = sub.evidence.filter((e) => e.population);
  const sufficient = measured.filter((e) => e.status === "sufficient").length;
  const value =
    sub.status === "not_applicable"
      ? `Not applicable (scoped out: ${sub.scopingReason ?? "no reason"}); left out of this control's status`
      : `${sub.status === "no_data" ? "No data" : sub.status[0].toUpperCase() + sub.status.slice(1).replace("_", " ")}: ${sufficient} of ${measured.length} measured population(s) sufficient, ${sub.openFindings} open finding(s)`;
  return {
    kind: "crosswalk",
    source: sub.id,
    label: `NIST CSF 2.0 ${sub.id} (${sub.categoryTitle})`,
    reason: `${CROSSWALKS[framework].shortName} maps to this CSF 2.0 outcome: ${sub.text}`,
    status: sub.status === "not_applicable" ? "no_data" : sub.status,
    population: null,
    value,
    openFindings: sub.openFindings,
    exceptions: sub.evidence.reduce((s, e) => s + e.exceptions, 0),
  };
}
