import { describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { seedUser } from "@/test/factories";
import { buildFrameworkReport } from "./build-framework-report";
import { getControlDetail } from "./get-control-detail";
import { getFrameworkStatus } from "./get-framework-status";
import { scopeOutControl } from "./scope-control";
import { scopeOutInput } from "./scope-control.types";

// SOC 2 and ISO 27001 controls take their status from the CSF 2.0 subcategories they map to.

let nextEvent = 800_000;
async function checks(count: number, approved: boolean) {
  for (let i = 0; i < count; i++)
    await pool().query(
      `INSERT INTO governance_check (id, "eventId", platform, time, action, category, approved, status, reasons, "insideWindow")
       VALUES (gen_random_uuid(), $1, 'okta', now(), 'user.account.privilege.grant', 'admin_role_change', $2, $3, '[]', true)`,
      [nextEvent++, approved, approved ? "ok" : "unapproved"],
    );
}

const control = async (framework: "soc2-tsc-2017" | "iso-27001-2022" | "nist-csf-2.0", id: string) =>
  (await getFrameworkStatus({ framework })).controls.find((c) => c.id === id)!;

describe("crosswalk views", () => {
  it("SOC 2 CC6.3 and ISO A.8.2 follow PR.AA-05, with the mapping shown as evidence", async () => {
    expect((await control("soc2-tsc-2017", "CC6.3")).status).toBe("no_data");
    await checks(20, true);
    const csf = await control("nist-csf-2.0", "PR.AA-05");
    expect(csf.status).toBe("sufficient");
    const cc63 = await control("soc2-tsc-2017", "CC6.3");
    expect(cc63.status).toBe("sufficient");
    expect(cc63.evidence).toEqual([expect.objectContaining({ kind: "crosswalk", source: "PR.AA-05", status: "sufficient" })]);
    expect((await control("iso-27001-2022", "A.8.2")).status).toBe("sufficient");
    // CC6.1 maps to PR.AA-05 and to subcategories without evidence here: the weakest decides, never sufficient.
    expect((await control("soc2-tsc-2017", "CC6.1")).status).toBe("partial");
    // An ISO control no subcategory reaches shows no data.
    expect((await control("iso-27001-2022", "A.8.17")).status).toBe("no_data");

    // Unapproved actions push PR.AA-05 below its threshold: CC6.3 follows.
    await checks(5, false);
    expect((await control("nist-csf-2.0", "PR.AA-05")).status).toBe("partial");
    expect((await control("soc2-tsc-2017", "CC6.3")).status).toBe("partial");
  });

  it("scoping: the mapped subcategory scoped out makes the derived control not applicable; the detail lists the mapping", async () => {
    const mgr = await seedUser("compliance");
    await scopeOutControl({
      ctx: mgr.ctx,
      framework: "nist-csf-2.0",
      controlId: "PR.AA-05",
      input: scopeOutInput.parse({ reason: "Privileged access is governed outside these platforms" }),
    });
    expect((await control("soc2-tsc-2017", "CC6.3")).status).toBe("not_applicable");
    const d = await getControlDetail({ framework: "soc2-tsc-2017", controlId: "CC8.1" });
    expect(d!.evidence.map((e) => e.source)).toEqual(["ID.RA-07", "PR.PS-01", "PR.AA-05"]);
    expect(d!.evidence.find((e) => e.source === "PR.AA-05")!.value).toMatch(/^Not applicable/);
    expect(d!.governance.length).toBeGreaterThan(0); // the checks behind PR.AA-05 are listed

    const report = await buildFrameworkReport({ framework: "iso-27001-2022", format: "html", analysis: "a", generatedBy: "x@example.com" });
    expect(report.body).toContain("nist.gov/informative-references");
    expect(report.body).toContain("weakest of the mapped");
  });
});
