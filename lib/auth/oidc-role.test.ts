import { describe, expect, it } from "vitest";
import { parseRoleMap, roleFromClaims } from "./oidc-role";

describe("roleFromClaims", () => {
  it("takes a role name as-is", () => {
    expect(roleFromClaims({ sessionproof_role: "auditor" }, { claim: "sessionproof_role" })).toBe("auditor");
  });

  it("maps list claims (Entra roles, Okta groups) through the role map, first match wins", () => {
    const map = "Sessionproof.Admin=admin, SP Analysts=analyst";
    expect(roleFromClaims({ roles: ["Other", "SP Analysts", "Sessionproof.Admin"] }, { claim: "roles", map })).toBe("analyst");
    expect(roleFromClaims({ roles: ["Sessionproof.Admin"] }, { claim: "roles", map })).toBe("admin");
  });

  it("follows dotted claim paths", () => {
    expect(roleFromClaims({ app: { role: "compliance" } }, { claim: "app.role" })).toBe("compliance");
  });

  it("returns null without a usable claim unless a default role is configured", () => {
    expect(roleFromClaims({}, { claim: "sessionproof_role" })).toBeNull();
    expect(roleFromClaims({ sessionproof_role: "superuser" }, { claim: "sessionproof_role" })).toBeNull();
    expect(roleFromClaims({ sessionproof_role: 7 }, { claim: "sessionproof_role" })).toBeNull();
    expect(roleFromClaims({}, { claim: "sessionproof_role", defaultRole: "auditor" })).toBe("auditor");
  });

  it("ignores malformed role-map entries", () => {
    const m = parseRoleMap("a=admin,broken,=analyst,b=nope,c = auditor");
    expect([...m.entries()]).toEqual([
      ["a", "admin"],
      ["c", "auditor"],
    ]);
  });
});
