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

  describe("a ticket naming an Okta target user by login (the resource's alternate_id)", () => {
    const cls = { category: "admin_role_change" as const, privilege: "okta:admin roles" };
    // user.account.privilege.grant on John Doe (Okta target id 00u1jdoe…, displayName, alternateId = login).
    const objects = ["John Doe", "00u1jdoe000000000697"];
    const alt = ["jdoe@example.com"];
    const scope = (items: string[]) => scopeOf({ ticketKey: "CHG1", linkedItems: ["Okta", ...items] }, ["okta"], objects, cls, alt);

    it("is in scope when an item is the login, whole, in any case (with or without the platform prefix)", () => {
      expect(scope(["jdoe@example.com"])).toMatchObject({ verdict: "in", reason: expect.stringContaining('("jdoe@example.com")') });
      expect(scope(["  JDoe@Example.COM "]).verdict).toBe("in");
      expect(scope(["okta:jdoe@example.com"]).verdict).toBe("in");
    });

    it("is not in scope when the item names another login, or a part of this one", () => {
      expect(scope(["mary.major@example.com"])).toMatchObject({
        verdict: "unscoped",
        reason: expect.stringContaining("not what was acted on"),
      });
      for (const part of ["doe@example.com", "jdoe", "example.com", "jdoe@example", "jdoe@example.com.evil"])
        expect(scope([part]).verdict, part).toBe("unscoped");
      // Punctuation counts in a login: jdoe@example-com or j.doe@example.com is someone else.
      expect(scope(["jdoe@example-com"]).verdict).toBe("unscoped");
      expect(scope(["j.doe@example.com"]).verdict).toBe("unscoped");
    });

    it("is not in scope by login when the event records none", () => {
      expect(scopeOf({ ticketKey: "CHG1", linkedItems: ["Okta", "jdoe@example.com"] }, ["okta"], objects, cls).verdict).toBe("unscoped");
    });
  });
});
