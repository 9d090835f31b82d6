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

describe("corrected mappings (issue 15 §3)", () => {
  const to = (framework: string, control: string) => EVIDENCE_MAP.filter((m) => m.framework === framework && m.control === control);

  it("drops the mappings that do not hold", () => {
    // The ledger is Sessionproof's copy of the logs, not the organisation's data at rest.
    expect(to("nist-csf-2.0", "PR.DS-01").map((m) => m.source)).toEqual([]);
    // A SaaS source IP is not network monitoring.
    expect(to("nist-csf-2.0", "DE.CM-01").map((m) => m.source)).toEqual([]);
    // The list of ingested platforms is not an asset inventory.
    expect(to("nist-csf-2.0", "ID.AM-02").map((m) => m.source)).toEqual([]);
    // Approvals are not GV.RR-02 (roles and responsibilities); NHI owners are.
    expect(to("nist-csf-2.0", "GV.RR-02").map((m) => m.source)).toEqual(["identity:nhi-owned"]);
  });

  it("gives AI RMF subcategories evidence from AI-agent activity only", () => {
    const aiOnly = ["governance:approval-ai", "identity:ai-sessions", "identity:ai-agents", "ai-agent-without-approval"];
    const ai = EVIDENCE_MAP.filter((m) => m.framework === "nist-ai-rmf-1.0");
    expect(ai.length).toBeGreaterThan(0);
    expect(ai.filter((m) => !aiOnly.includes(m.source)).map((m) => `${m.control} <- ${m.source}`)).toEqual([]);
  });

  it("maps rules that fire for people too to OWASP NHI only for non-human actors", () => {
    for (const rule of ["weak-authentication", "privileged-outside-jit"]) {
      const nhi = EVIDENCE_MAP.filter((m) => m.source === rule && m.framework === "owasp-nhi-2025");
      expect(nhi.length, rule).toBeGreaterThan(0);
      expect(
        nhi.every((m) => m.actor === "non_human"),
        rule,
      ).toBe(true);
    }
  });

  it("gives every mapping a one-line rationale", () => {
    for (const m of EVIDENCE_MAP) {
      expect(m.reason, `${m.control} <- ${m.source}`).not.toMatch(/\n/);
      expect(m.reason.length, `${m.control} <- ${m.source}`).toBeLessThanOrEqual(160);
    }
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
