import { describe, expect, it } from "vitest";
import { offset, scopeOf } from "./evaluate-check";

// Found by the independent governance cases (testing/independent-cases): the measured offset at the clock-skew edge,
// and a GitHub ticket naming only its organisation.
describe("evaluate-check helpers", () => {
  it("states an offset exactly, to the second: 121 s is not 3 min", () => {
    expect(offset(60_000)).toBe("60 s");
    expect(offset(119_000)).toBe("119 s");
    expect(offset(120_000)).toBe("2 min");
    expect(offset(121_000)).toBe("2 min 1 s");
    expect(offset(120_400)).toBe("2 min 1 s"); // rounded up: beyond a 120 s tolerance never reads as 120 s
    expect(offset(180_000)).toBe("3 min");
    expect(offset(3_600_000)).toBe("60 min");
  });

  it("a ticket item naming the platform and its tenant (github:acme-corp) does not name the object acted on", () => {
    const cls = { category: "config_change" as const, privilege: "github:repo admin" };
    const objects = ["acme-corp/payments-api", "acme-corp"];
    expect(scopeOf({ ticketKey: "SEC-1", linkedItems: ["github:acme-corp"] }, ["github"], objects, cls).verdict).toBe("unscoped");
    expect(
      scopeOf({ ticketKey: "SEC-1", linkedItems: ["github:acme-corp", "acme-corp/payments-api"] }, ["github"], objects, cls).verdict,
    ).toBe("in");
    // One item naming platform and object together still counts.
    expect(scopeOf({ ticketKey: "SEC-1", linkedItems: ["github:acme-corp/payments-api"] }, ["github"], objects, cls).verdict).toBe("in");
  });
});
