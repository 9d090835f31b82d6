// The one permission table: resource.action -> the roles allowed. Every route handler and every page that
// reads data checks it through lib/auth/guard.ts; the proxy is never the only line of defence.
export const ROLES = ["admin", "analyst", "compliance", "auditor"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: "Administrator",
  analyst: "Analyst",
  compliance: "Compliance manager",
  auditor: "Auditor",
};

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  admin: "Everything, including users, API tokens, legal holds and retention.",
  analyst: "Investigates: ingests data, browses sessions, builds cases and exports evidence.",
  compliance:
    "Reads sessions, coverage and framework views; scopes controls, dismisses findings and approves risk acceptances; does not ingest or handle cases.",
  auditor: "Reads everything evidential and downloads case evidence; changes nothing.",
};

const ALL: readonly Role[] = ROLES;

export const PERMISSIONS = {
  "profile.read": ALL,
  "sessions.read": ALL,
  "identities.read": ALL,
  "lineage.read": ALL,
  "coverage.read": ALL,
  "compliance.read": ALL,
  // Scoping controls out (not applicable) and setting the status thresholds are compliance decisions.
  "compliance.manage": ["admin", "compliance"],
  "governance.read": ALL,
  "governance.manage": ["admin"],
  "findings.read": ALL,
  // A compliance manager dismisses too (false positive, or risk accepted); a risk acceptance needs a second person
  // with findings.approve (lib/risk/dismiss-finding.ts refuses the one who dismissed).
  "findings.dismiss": ["admin", "analyst", "compliance"],
  "findings.approve": ["admin", "compliance"],
  "cases.read": ["admin", "analyst", "auditor"],
  "cases.write": ["admin", "analyst"],
  "cases.export": ["admin", "analyst", "auditor"],
  "ingest.read": ["admin", "analyst"],
  "ingest.write": ["admin", "analyst"],
  "settings.read": ALL,
  "users.manage": ["admin"],
  "tokens.manage": ["admin"],
  // Declaring how a PAM / JIT tool's grant export is read decides what counts as a grant: admin only.
  "grantMappings.manage": ["admin"],
  "holds.manage": ["admin"],
  "retention.read": ALL,
  "audit.read": ["admin", "auditor"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}
