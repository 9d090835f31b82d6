import type { CatalogEntry } from "../privileged";

// A grant record is itself a privilege assignment: it needs an approved ticket like any other change.
export const PAM_GRANTS_PRIVILEGED: readonly CatalogEntry[] = [
  {
    id: "pam.grant",
    category: "admin_role_change",
    privilege: "the granted privilege",
    level: 1,
    doc: "docs/grant-format.md",
  },
];
