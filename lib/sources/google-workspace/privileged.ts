import type { CatalogEntry } from "../privileged";

// Google Workspace Admin SDK Reports activity events that are privileged actions.
const REPORTS = "https://developers.google.com/workspace/admin/reports/v1/appendix/activity";

export const GOOGLE_WORKSPACE_PRIVILEGED: readonly CatalogEntry[] = [
  {
    // Domain-wide delegation: a service account may then act as any user of the domain within the granted scopes.
    id: "gws.domain-wide-delegation",
    name: /^(AUTHORIZE_API_CLIENT_ACCESS|REMOVE_API_CLIENT_ACCESS)$/,
    category: "app_consent",
    privilege: "google-workspace:domain-wide delegation",
    level: 3,
    doc: `${REPORTS}/admin-domain-settings`,
  },
  {
    id: "gws.admin-role",
    name: /ROLE|ADMIN_PRIVILEGE|SUPER_ADMIN/i,
    category: "admin_role_change",
    privilege: "google-workspace:admin roles",
    level: 2,
    doc: `${REPORTS}/admin-delegated-admin-settings`,
  },
  {
    // Membership of a group that holds an admin role makes the member an administrator.
    id: "gws.admin-group-membership",
    name: /^ADD_GROUP_MEMBER$/,
    target: /admin|administrators|privileged/i,
    category: "admin_role_change",
    privilege: "google-workspace:admin group membership",
    level: 2,
    doc: `${REPORTS}/admin-group-settings`,
  },
  {
    id: "gws.takeout",
    name: /^(takeout|export|download.*admin)/i,
    category: "data_export",
    privilege: "google-workspace:data export",
    level: 2,
    doc: `${REPORTS}/drive`,
  },
  {
    id: "gws.authorize",
    name: /^authorize$|TOKEN|OAUTH|API_ACCESS|THIRD_PARTY/i,
    category: "app_consent",
    privilege: "google-workspace:app access",
    level: 1,
    doc: `${REPORTS}/token`,
  },
  {
    id: "gws.sharing",
    name: /^change_(owner|document_visibility|document_access_scope|acl_editors|user_access)/i,
    category: "permission_change",
    privilege: "google-workspace:sharing",
    level: 1,
    doc: `${REPORTS}/drive`,
  },
  {
    id: "gws.password",
    name: /PASSWORD|2sv|2SV|ASP|BACKUP_VERIFICATION_CODES/i,
    category: "credential_creation",
    privilege: "google-workspace:user security",
    level: 2,
    doc: `${REPORTS}/admin-user-settings`,
  },
  {
    id: "gws.group",
    name: /GROUP_MEMBER|ADD_TO_GROUP|REMOVE_FROM_GROUP/i,
    category: "permission_change",
    privilege: "google-workspace:groups admin",
    level: 2,
    doc: `${REPORTS}/admin-group-settings`,
  },
  {
    // Google disabling an account (hijacked, leaked password, spamming): the source flags it privileged (an account's
    // status changed); the verdict itself becomes a vendor-risk-signal finding.
    id: "gws.account-disabled",
    name: /^account_disabled_/,
    category: "config_change",
    privilege: "google-workspace:account status",
    level: 2,
    doc: `${REPORTS}/login`,
  },
  {
    id: "gws.policy",
    name: /SETTING|POLICY|RULE/i,
    category: "policy_change",
    privilege: "google-workspace:security settings",
    level: 2,
    doc: `${REPORTS}/admin-security-settings`,
  },
];
