import { describe, expect, it } from "vitest";
import { can, isRole, PERMISSIONS, ROLES } from "./permissions";
import { API_ACCESS, PAGE_ACCESS } from "./routes";

describe("permission table", () => {
  it("gives admin every permission", () => {
    for (const p of Object.keys(PERMISSIONS) as (keyof typeof PERMISSIONS)[]) expect(can("admin", p)).toBe(true);
  });

  it("keeps auditors read-only: no write, ingest, user, token or hold permission", () => {
    for (const p of ["cases.write", "ingest.write", "users.manage", "tokens.manage", "holds.manage"] as const) {
      expect(can("auditor", p)).toBe(false);
    }
    expect(can("auditor", "cases.export")).toBe(true);
    expect(can("auditor", "audit.read")).toBe(true);
  });

  it("lets analysts ingest and handle cases but not manage users", () => {
    expect(can("analyst", "ingest.write")).toBe(true);
    expect(can("analyst", "cases.write")).toBe(true);
    expect(can("analyst", "users.manage")).toBe(false);
    expect(can("analyst", "audit.read")).toBe(false);
  });

  it("keeps compliance managers out of ingest and cases", () => {
    expect(can("compliance", "compliance.read")).toBe(true);
    expect(can("compliance", "ingest.read")).toBe(false);
    expect(can("compliance", "cases.read")).toBe(false);
  });

  it("keeps grant mappings (what counts as a grant) to admins, on every grant-mapping route", () => {
    for (const r of ["analyst", "compliance", "auditor"] as const) expect(can(r, "grantMappings.manage")).toBe(false);
    const keys = Object.keys(API_ACCESS).filter((k) => k.includes("/grant-mappings")) as (keyof typeof API_ACCESS)[];
    expect(keys).toHaveLength(3);
    for (const k of keys) expect(API_ACCESS[k]).toBe("grantMappings.manage");
  });

  it("names only known roles", () => {
    for (const roles of Object.values(PERMISSIONS)) for (const r of roles) expect(ROLES).toContain(r);
    expect(isRole("admin")).toBe(true);
    expect(isRole("root")).toBe(false);
    expect(isRole(undefined)).toBe(false);
  });

  it("maps every page and route to public or a permission that exists", () => {
    for (const access of [...Object.values(PAGE_ACCESS), ...Object.values(API_ACCESS)]) {
      expect(access === "public" || access === "token" || access in PERMISSIONS).toBe(true);
    }
  });
});
