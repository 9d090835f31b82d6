import { describe, expect, it } from "vitest";
import { RISK_RULES } from "@/lib/risk/catalog";
import { findControl } from "./catalogs";
import { EVIDENCE_FACTS, EVIDENCE_MAP, FACT_MAPPINGS } from "./evidence-map";
import { lookupLegacyCsf, normalizeCsfId } from "./lookup-legacy-csf";

describe("evidence map", () => {
  it("maps only to controls that exist in their catalog", () => {
    const missing = EVIDENCE_MAP.filter((m) => !findControl(m.framework, m.control)).map(
      (m) => `${m.framework} ${m.control} (${m.source})`,
    );
    expect(missing).toEqual([]);
  });

  it("maps every risk rule to at least one control, with a reason", () => {
    for (const r of RISK_RULES) {
      const ms = EVIDENCE_MAP.filter((m) => m.kind === "finding_rule" && m.source === r.id);
      expect(ms.length, r.id).toBeGreaterThan(0);
      for (const m of ms) expect(m.reason.length, `${r.id} -> ${m.control}`).toBeGreaterThan(10);
    }
  });

  it("uses every measured fact at least once and gives each mapping a reason", () => {
    const used = new Set(FACT_MAPPINGS.map((m) => m.source));
    expect(EVIDENCE_FACTS.filter((f) => !used.has(f.id)).map((f) => f.id)).toEqual([]);
    for (const m of FACT_MAPPINGS) expect(m.reason.length).toBeGreaterThan(10);
  });

  it("has no duplicate mapping (same source to the same control twice)", () => {
    const keys = EVIDENCE_MAP.map((m) => `${m.framework}|${m.control}|${m.kind}|${m.source}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe("legacy CSF 1.1 lookup", () => {
  it("normalizes one-digit ids to the official two-digit form", () => {
    expect(normalizeCsfId("pr.ac-1")).toBe("PR.AC-01");
    expect(normalizeCsfId("DE.CM-07")).toBe("DE.CM-07");
    expect(normalizeCsfId("ID.SC")).toBe("ID.SC");
  });

  it("maps PR.AC-1 to PR.AA-01 and PR.AA-05 (official excerpt)", async () => {
    const r = await lookupLegacyCsf({ id: "PR.AC-1" });
    expect(r.found).toBe(true);
    expect(r.id).toBe("PR.AC-01");
    expect(r.links).toHaveLength(1);
    expect(r.links[0].rel).toBe("incorporated_into");
    expect(r.links[0].targets.map((t) => t.id)).toEqual(["PR.AA-01", "PR.AA-05"]);
    expect(r.links[0].targets[0].text).toMatch(/^Identities and credentials/);
    expect(r.message).toContain("PR.AA-01, PR.AA-05");
  });

  it("maps a moved id to its single destination", async () => {
    const r = await lookupLegacyCsf({ id: "PR.AC-4" });
    expect(r.links.flatMap((l) => l.targets.map((t) => t.id))).toEqual(["PR.AA-05"]);
    expect(r.links[0].label).toBe("moved to");
  });

  it("says when an id is outside the official excerpt instead of inventing a mapping", async () => {
    const r = await lookupLegacyCsf({ id: "PR.DS-1" });
    expect(r.found).toBe(false);
    expect(r.links).toEqual([]);
    expect(r.message).toContain("not in the official mapping excerpt");
    const withdrawn = await lookupLegacyCsf({ id: "DE.DP" });
    expect(withdrawn.found).toBe(true);
    expect(withdrawn.message).toContain("no successor");
  });
});
