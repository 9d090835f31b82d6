import { describe, expect, it } from "vitest";
import { NAV_ITEMS, NOT_IN_NAV, canOpenPage, navItemsFor } from "./nav";
import { can, ROLES, type Role } from "./permissions";
import { PAGE_ACCESS, type Access, type PageKey } from "./routes";

const pages = (role: Role) => navItemsFor(role).map((i) => i.page);
/** Page paths from their names, in order: paths("sessions findings") is ["/sessions", "/findings"]. */
const paths = (names: string) => names.split(" ").map((n) => `/${n}`);

describe("sidebar navigation", () => {
  it("shows each role the pages it may open, in sidebar order", () => {
    expect(pages("admin")).toEqual(NAV_ITEMS.map((i) => i.page));
    expect(pages("analyst")).toEqual(
      paths("sessions findings identities lineage governance coverage compliance cases retention ingest settings"),
    );
    expect(pages("compliance")).toEqual(paths("sessions findings identities lineage governance coverage compliance retention settings"));
    expect(pages("auditor")).toEqual(
      paths("sessions findings identities lineage governance coverage compliance cases retention audit settings"),
    );
  });

  it("agrees with the permission table for every role and item", () => {
    for (const role of ROLES) {
      for (const item of NAV_ITEMS) {
        const access = PAGE_ACCESS[item.page] as Access;
        const allowed = access === "public" || (access !== "token" && can(role, access));
        expect(pages(role).includes(item.page), `${role} ${item.page}`).toBe(allowed);
        expect(canOpenPage(role, item.page)).toBe(allowed);
      }
    }
  });

  it("lists every page without a dynamic segment, once, unless it is reached another way", () => {
    const inNav = NAV_ITEMS.map((i) => i.page as PageKey);
    expect(new Set(inNav).size).toBe(inNav.length);
    const staticPages = (Object.keys(PAGE_ACCESS) as PageKey[]).filter((p) => !p.includes("["));
    expect(staticPages.filter((p) => !inNav.includes(p) && !NOT_IN_NAV.includes(p))).toEqual([]);
    expect(inNav.filter((p) => NOT_IN_NAV.includes(p))).toEqual([]);
  });
});
