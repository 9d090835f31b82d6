import type { CatalogEntry } from "../privileged";

// Microsoft 365 unified audit log operations that are privileged actions.
const AUDIT_ACTIVITIES = "https://learn.microsoft.com/en-us/purview/audit-log-activities";

export const M365_PRIVILEGED: readonly CatalogEntry[] = [
  {
    // A bypass association exempts an account's mailbox access from mailbox audit logging.
    id: "m365.audit-bypass",
    name: /^Set-MailboxAuditBypassAssociation$/i,
    category: "config_change",
    privilege: "m365:audit logging",
    level: 2,
    doc: "https://learn.microsoft.com/en-us/powershell/module/exchange/set-mailboxauditbypassassociation",
  },
  {
    // Admin audit logging of Exchange cmdlets: turning it off or narrowing it hides administrators' changes.
    id: "m365.admin-audit-config",
    name: /^Set-AdminAuditLogConfig$/i,
    category: "config_change",
    privilege: "m365:audit logging",
    level: 3,
    doc: "https://learn.microsoft.com/en-us/powershell/module/exchange/set-adminauditlogconfig",
  },
  {
    id: "m365.ediscovery-export",
    activity: ["export"],
    category: "data_export",
    privilege: "m365:eDiscovery Manager",
    level: 2,
    doc: AUDIT_ACTIVITIES,
  },
  {
    id: "m365.ediscovery",
    name: /ComplianceSearch|ComplianceCase|CaseHold|eDiscovery|^(Search|Case|Hold|Review)[A-Z]/,
    category: "data_export",
    privilege: "m365:eDiscovery Manager",
    level: 2,
    doc: AUDIT_ACTIVITIES,
  },
  {
    id: "m365.app-owner",
    name: /owner to (application|service principal)/i,
    category: "permission_change",
    privilege: "m365:Application Administrator",
    level: 2,
    doc: AUDIT_ACTIVITIES,
  },
  {
    id: "m365.role",
    name: /member to role|member from role|RoleGroupMember|ManagementRoleAssignment|SiteCollectionAdmin|MemberRoleChanged/i,
    category: "admin_role_change",
    privilege: "m365:role management",
    level: 2,
    doc: AUDIT_ACTIVITIES,
  },
  {
    id: "m365.consent",
    name: /consent|oauth2permissiongrant|delegated permission/i,
    category: "app_consent",
    privilege: "m365:Cloud Application Administrator",
    level: 2,
    doc: AUDIT_ACTIVITIES,
  },
  {
    id: "m365.permission",
    name: /Permission|app role assignment/i,
    category: "permission_change",
    privilege: "m365:{name}",
    level: 1,
    doc: AUDIT_ACTIVITIES,
  },
  {
    id: "m365.credentials",
    name: /credentials|certificates and secrets|password/i,
    category: "credential_creation",
    privilege: "m365:Application Administrator",
    level: 2,
    doc: AUDIT_ACTIVITIES,
  },
  {
    id: "m365.policy",
    name: /Policy|Sharing|InboxRule|Forwarding|TransportRule/i,
    category: "policy_change",
    privilege: "m365:{name}",
    level: 2,
    doc: AUDIT_ACTIVITIES,
  },
];
