import { can, type Role } from "./permissions";
import { PAGE_ACCESS, type PageKey } from "./routes";

// The sidebar: one item per page, keyed by its PAGE_ACCESS key. Who sees an item is not written here: it is
// the page's own permission from the route table, checked with the same function as requirePage, so a link
// is shown exactly when the page would open for that role.
type NavIcon =
  | "sessions"
  | "findings"
  | "identities"
  | "lineage"
  | "governance"
  | "coverage"
  | "compliance"
  | "cases"
  | "retention"
  | "audit"
  | "ingest"
  | "settings";
export type NavItem = { page: PageKey; label: string; icon: NavIcon };

export const NAV_ITEMS = [
  { page: "/sessions", label: "Sessions", icon: "sessions" },
  { page: "/findings", label: "Findings", icon: "findings" },
  { page: "/identities", label: "Identities", icon: "identities" },
  { page: "/lineage", label: "Lineage", icon: "lineage" },
  { page: "/governance", label: "Governance", icon: "governance" },
  { page: "/coverage", label: "Coverage", icon: "coverage" },
  { page: "/compliance", label: "Compliance", icon: "compliance" },
  { page: "/cases", label: "Cases", icon: "cases" },
  { page: "/retention", label: "Retention", icon: "retention" },
  { page: "/audit", label: "Audit trail", icon: "audit" },
  { page: "/ingest", label: "Ingest", icon: "ingest" },
  { page: "/settings", label: "Settings", icon: "settings" },
] as const satisfies readonly NavItem[];

/** Pages without a dynamic segment that are reached some other way than the sidebar. */
export const NOT_IN_NAV: readonly PageKey[] = [
  "/", // redirects to /sessions
  "/login",
  "/settings/users", // linked from Settings
];

/** Whether `role` may open the page: the check requirePage makes. */
export function canOpenPage(role: Role, page: PageKey): boolean {
  const access = PAGE_ACCESS[page];
  return access === "public" || can(role, access);
}

/** The sidebar items `role` may open, in sidebar order. */
export function navItemsFor(role: Role): NavItem[] {
  return NAV_ITEMS.filter((item) => canOpenPage(role, item.page));
}
