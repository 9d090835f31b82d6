import { describe, expect, it } from "vitest";
import { controlStatus, describePopulation, populationStatus, type EvidenceItem } from "./control-status";

const pop = (numerator: number, denominator: number, thresholdPct = 95, min = 10) => ({
  numerator,
  denominator,
  unit: "privileged actions approved",
  thresholdPct,
  min,
});
const item = (status: EvidenceItem["status"]): EvidenceItem => ({
  kind: "governance",
  source: "x",
  label: "x",
  reason: "x",
  status,
  population: null,
  value: "",
  openFindings: 0,
  exceptions: 0,
});

describe("population status", () => {
  it("is sufficient only at the threshold and the minimum size", () => {
    expect(populationStatus(pop(19, 20))).toBe("sufficient"); // exactly 95%
    expect(populationStatus(pop(18, 20))).toBe("partial"); // 90%
    expect(populationStatus(pop(0, 20))).toBe("gap");
    expect(populationStatus(pop(0, 0))).toBe("no_data");
  });

  it("one row never makes it sufficient, nor nine at 100%", () => {
    expect(populationStatus(pop(1, 1))).toBe("partial");
    expect(populationStatus(pop(9, 9))).toBe("partial");
    expect(populationStatus(pop(10, 10))).toBe("sufficient");
  });

  it("follows the threshold it is given", () => {
    expect(populationStatus(pop(19, 20, 96))).toBe("partial");
    expect(populationStatus(pop(19, 20, 95))).toBe("sufficient");
    // Platform populations: minimum 1, threshold 100%, so every platform must meet it.
    expect(populationStatus(pop(1, 2, 100, 1))).toBe("partial");
    expect(populationStatus(pop(2, 2, 100, 1))).toBe("sufficient");
  });

  it("shows numerator / denominator with the threshold", () => {
    expect(describePopulation(pop(18, 20))).toBe("18 / 20 privileged actions approved (90%; sufficient at 95% of at least 10)");
    expect(describePopulation(pop(0, 0))).toBe("0 / 0 privileged actions approved (no data; sufficient at 95% of at least 10)");
  });
});

describe("control status", () => {
  it("is sufficient only when every measured item is", () => {
    expect(controlStatus([item("sufficient"), item("no_data")])).toBe("sufficient");
    expect(controlStatus([item("sufficient"), item("partial")])).toBe("partial");
    expect(controlStatus([item("sufficient"), item("gap")])).toBe("partial");
    expect(controlStatus([item("gap"), item("gap"), item("no_data")])).toBe("gap");
    expect(controlStatus([item("no_data")])).toBe("no_data");
    expect(controlStatus([])).toBe("no_data");
  });

  it("is not applicable when scoped out, whatever the evidence", () => {
    const scoping = { framework: "nist-csf-2.0", controlId: "PR.AA-05", reason: "No privileged access", scopedBy: null, scopedAt: "" };
    expect(controlStatus([item("gap")], scoping)).toBe("not_applicable");
    expect(controlStatus([item("sufficient")], scoping)).toBe("not_applicable");
  });
});
