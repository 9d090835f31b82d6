import type { CatalogEntry } from "../privileged";

// Microsoft Entra audit log activities that are privileged actions (every entry is from the audit activity reference).
const AUDIT_ACTIVITIES = "https://learn.microsoft.com/en-us/entra/identity/monitoring-health/reference-audit-activities";

export const ENTRA_PRIVILEGED: readonly CatalogEntry[] = [
  {
    // An application's or service principal's owner can add credentials to it and act as the app.
    id: "entra.app-owner",
    name: /^Add owner to (application|service principal)/i,
    category: "permission_change",
    privilege: "entra:Application Administrator",
    level: 2,
    doc: "https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/assign-app-owners",
  },
  {
    id: "entra.app-role",
    name: /app role assignment/i,
    category: "permission_change",
    privilege: "entra:Application Administrator",
    level: 2,
    doc: AUDIT_ACTIVITIES,
  },
  {
    id: "entra.consent",
    name: /consent|oauth2permissiongrant|delegated permission|permission grant/i,
    category: "app_consent",
    privilege: "entra:Cloud Application Administrator",
    level: 2,
    doc: AUDIT_ACTIVITIES,
  },
  {
    id: "entra.pim",
    name: /\bPIM\b|eligible|role definition|member to role|member from role|role assignment/i,
    category: "admin_role_change",
    privilege: "entra:Privileged Role Administrator",
    level: 2,
    doc: "https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-how-to-use-audit-log",
  },
  {
    id: "entra.credentials",
    name: /credential|certificate|secret|password/i,
    category: "credential_creation",
    privilege: "entra:Application Administrator",
    level: 2,
    doc: AUDIT_ACTIVITIES,
  },
  {
    id: "entra.policy",
    name: /policy|conditional access|authentication method/i,
    category: "policy_change",
    privilege: "entra:Conditional Access Administrator",
    level: 2,
    doc: AUDIT_ACTIVITIES,
  },
  {
    id: "entra.federation",
    name: /federation|domain|partner|company information|owner/i,
    category: "config_change",
    privilege: "entra:Global Administrator",
    level: 3,
    doc: AUDIT_ACTIVITIES,
  },
  {
    // A role-assignable group passes its Entra roles to its members; the audit record does not say whether the group
    // is role-assignable, so its name must say it is an administrators' group.
    id: "entra.admin-group-membership",
    name: /^Add member to group/i,
    activity: ["add_user", "create", "update", "other"],
    target: /admin|administrators|privileged/i,
    unflagged: true,
    category: "admin_role_change",
    privilege: "entra:Privileged Role Administrator",
    level: 2,
    doc: "https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/groups-concept",
  },
];
