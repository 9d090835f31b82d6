// A framework viewed through a crosswalk from NIST CSF 2.0: each of its controls, by id and short title only (the full
// text of SOC 2's criteria and of ISO/IEC 27001's Annex A is licensed and is not reproduced), maps to CSF 2.0
// subcategories, and takes its status from theirs (lib/compliance/crosswalk.ts).

export type CrosswalkControl = {
  /** The framework's own id: CC6.1, A.8.15. */
  id: string;
  /** A short title of our own wording (never the licensed text). */
  title: string;
  /** The CSF 2.0 subcategories whose outcomes this control's evidence rests on; [] when none in CSF 2.0 reaches it. */
  csf: readonly string[];
};

export type CrosswalkGroup = { id: string; title: string; controls: readonly CrosswalkControl[] };

export type Crosswalk = {
  slug: "soc2-tsc-2017" | "iso-27001-2022";
  name: string;
  shortName: string;
  framework: string;
  /** Where the crosswalk comes from, shown with every view and report. */
  source: string;
  license: string;
  levels: [string, string, string];
  groups: readonly CrosswalkGroup[];
};

/** Where the relationships come from (the same two public pages for both crosswalks). */
export const CROSSWALK_REFERENCES =
  "NIST CSF 2.0 Informative References (https://www.nist.gov/informative-references, the National Online Informative References " +
  "Program) and AICPA's 2017 Trust Services Criteria mappings (https://us.aicpa.org/interestareas/frc/assuranceadvisoryservices/" +
  "mappingsrelevanttothesocsuiteofservices)";
