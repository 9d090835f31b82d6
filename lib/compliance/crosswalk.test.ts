import { describe, expect, it } from "vitest";
import { findControl, listControls } from "./catalogs";
import { CROSSWALKS, crosswalkStatus, crosswalkTargets } from "./crosswalk";

describe("crosswalk from CSF 2.0", () => {
  it("maps only to CSF 2.0 subcategories that exist", () => {
    for (const cw of Object.values(CROSSWALKS))
      for (const g of cw.groups)
        for (const c of g.controls)
          for (const id of c.csf)
            expect({ control: c.id, csf: id, found: !!findControl("nist-csf-2.0", id) }).toMatchObject({ found: true });
  });

  it("the status is the weakest of the mapped subcategories", () => {
    expect(crosswalkStatus([])).toBe("no_data"); // nothing mapped: never sufficient
    expect(crosswalkStatus(["sufficient", "sufficient"])).toBe("sufficient");
    expect(crosswalkStatus(["sufficient", "gap"])).toBe("gap");
    expect(crosswalkStatus(["sufficient", "partial"])).toBe("partial");
    // Part of the criterion without any evidence: not sufficient.
    expect(crosswalkStatus(["sufficient", "no_data"])).toBe("partial");
    expect(crosswalkStatus(["no_data", "no_data"])).toBe("no_data");
    // A subcategory scoped out is left out; all scoped out: not applicable.
    expect(crosswalkStatus(["sufficient", "not_applicable"])).toBe("sufficient");
    expect(crosswalkStatus(["not_applicable"])).toBe("not_applicable");
  });

  it("exposes each control's mapping, and every SOC 2 criterion reaches at least one subcategory", () => {
    expect(crosswalkTargets("soc2-tsc-2017", "CC6.3")).toEqual(["PR.AA-05"]);
    expect(crosswalkTargets("iso-27001-2022", "A.8.15")).toEqual(["PR.PS-04"]);
    expect(crosswalkTargets("nist-csf-2.0", "PR.AA-05")).toEqual([]);
    for (const c of listControls("soc2-tsc-2017")) expect(crosswalkTargets("soc2-tsc-2017", c.id).length).toBeGreaterThan(0);
  });
});
