import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FRAMEWORKS, getCatalog, listControls, type FrameworkSlug } from "./catalogs";

// The catalogs are the project's own copies; these tests pin their completeness and id formats, and compare them
// with the reference copies in ../shared when those are present.

const ID_FORMAT: Record<FrameworkSlug, RegExp> = {
  "nist-csf-2.0": /^(GV|ID|PR|DE|RS|RC)\.[A-Z]{2}-\d{2}$/,
  "owasp-nhi-2025": /^NHI([1-9]|10):2025$/,
  "nist-ai-rmf-1.0": /^(GOVERN|MAP|MEASURE|MANAGE) \d+\.\d+$/,
  "soc2-tsc-2017": /^CC[6-8]\.\d$/,
  "iso-27001-2022": /^A\.[5-8]\.\d{1,2}$/,
};

describe("framework catalogs", () => {
  it("holds 106 CSF 2.0 subcategories in 6 functions and 22 categories", () => {
    const c = getCatalog("nist-csf-2.0");
    expect(c.groups.map((g) => g.id)).toEqual(["GV", "ID", "PR", "DE", "RS", "RC"]);
    expect(c.groups.flatMap((g) => g.categories)).toHaveLength(22);
    expect(listControls("nist-csf-2.0")).toHaveLength(106);
    expect(listControls("nist-csf-2.0").find((x) => x.id === "PR.AA-01")?.text).toMatch(
      /^Identities and credentials for authorized users, services, and hardware are managed/,
    );
  });

  it("holds the 10 OWASP NHI 2025 risks in order, with the OWASP titles and the attribution", () => {
    const ids = listControls("owasp-nhi-2025").map((x) => x.id);
    expect(ids).toEqual(Array.from({ length: 10 }, (_, i) => `NHI${i + 1}:2025`));
    // The OWASP project's own titles, not the wrong ones some third-party copies carry for NHI3-NHI6.
    expect(
      listControls("owasp-nhi-2025")
        .slice(2, 6)
        .map((x) => x.title),
    ).toEqual(["Vulnerable Third-Party NHI", "Insecure Authentication", "Overprivileged NHI", "Insecure Cloud Deployment Configurations"]);
    expect(getCatalog("owasp-nhi-2025").meta.attribution).toMatch(/OWASP Non-Human Identities Top 10.*CC BY-SA 4\.0/);
  });

  it("holds 72 AI RMF 1.0 subcategories in 4 functions and 19 categories", () => {
    const c = getCatalog("nist-ai-rmf-1.0");
    expect(c.groups.map((g) => g.id)).toEqual(["GOVERN", "MAP", "MEASURE", "MANAGE"]);
    expect(c.groups.flatMap((g) => g.categories)).toHaveLength(19);
    expect(listControls("nist-ai-rmf-1.0")).toHaveLength(72);
  });

  it("holds SOC 2 CC6.1-CC6.8, CC7.1-CC7.5 and CC8.1, and the 93 ISO/IEC 27001:2022 Annex A controls (37/8/14/34)", () => {
    expect(listControls("soc2-tsc-2017").map((c) => c.id)).toEqual([
      ...Array.from({ length: 8 }, (_, i) => `CC6.${i + 1}`),
      ...Array.from({ length: 5 }, (_, i) => `CC7.${i + 1}`),
      "CC8.1",
    ]);
    const iso = listControls("iso-27001-2022");
    const count = (theme: string) => iso.filter((c) => c.groupId === theme).length;
    expect([count("A.5"), count("A.6"), count("A.7"), count("A.8")]).toEqual([37, 8, 14, 34]);
    expect(iso.find((c) => c.id === "A.8.15")).toMatchObject({ title: "Logging", text: expect.stringContaining("PR.PS-04") });
    // The crosswalks state their source and that the licensed text is not reproduced.
    for (const f of ["soc2-tsc-2017", "iso-27001-2022"] as const) {
      expect(getCatalog(f).meta.source).toMatch(/nist\.gov\/informative-references/);
      expect(getCatalog(f).meta.license).toMatch(/not reproduced/);
    }
  });

  it.each(FRAMEWORKS)("%s: every id has the official format, is unique and sits under its own function", (f) => {
    const controls = listControls(f);
    for (const c of controls) {
      expect(c.id).toMatch(ID_FORMAT[f]);
      expect(c.text.length).toBeGreaterThan(10);
    }
    expect(new Set(controls.map((c) => c.id)).size).toBe(controls.length);
    if (f !== "owasp-nhi-2025") {
      for (const c of controls) {
        expect(c.id.startsWith(c.categoryId)).toBe(true);
        expect(c.categoryId.startsWith(c.groupId)).toBe(true);
      }
    }
  });

  const refDir = path.resolve(import.meta.dirname, "../../../shared/reference/catalogs");
  const hasRef = fs.existsSync(refDir);
  if (!hasRef) console.warn(`catalogs.test: ${refDir} not found; skipping the comparison with the reference catalogs`);

  it.skipIf(!hasRef)("matches the reference catalogs id for id and text for text", () => {
    const read = (rel: string) => JSON.parse(fs.readFileSync(path.join(refDir, rel), "utf8"));
    type Sub = { id: string; statement?: string; outcome?: string };
    type Fn = { categories: { subcategories: Sub[] }[] };
    const csf = (read("nist-csf-2.0/csf-2.0-core.json").functions as Fn[]).flatMap((f) => f.categories.flatMap((c) => c.subcategories));
    expect(listControls("nist-csf-2.0").map((c) => [c.id, c.text])).toEqual(csf.map((s) => [s.id, s.statement]));
    const ai = (read("nist-ai-rmf-1.0/ai-rmf-1.0-core.json").functions as Fn[]).flatMap((f) =>
      f.categories.flatMap((c) => c.subcategories),
    );
    expect(listControls("nist-ai-rmf-1.0").map((c) => [c.id, c.text])).toEqual(ai.map((s) => [s.id, s.outcome]));
    const nhi = read("owasp-nhi-top10-2025/owasp-nhi-top10-2025.json").risks as { id: string; title: string; description: string }[];
    expect(listControls("owasp-nhi-2025").map((c) => [c.id, c.title, c.text])).toEqual(nhi.map((r) => [r.id, r.title, r.description]));
  });
});
