import type { CatalogEntry } from "../privileged";

// Atlassian organization and Jira audit log activities that are privileged actions.
const ORG_AUDIT_LOG = "https://support.atlassian.com/security-and-access-policies/docs/track-organization-activities-from-the-audit-log/";

export const ATLASSIAN_PRIVILEGED: readonly CatalogEntry[] = [
  {
    id: "atlassian.impersonate",
    activity: ["impersonate"],
    category: "admin_role_change",
    privilege: "atlassian:org admin",
    level: 3,
    doc: ORG_AUDIT_LOG,
  },
  {
    id: "atlassian.token",
    activity: ["issue_credentials"],
    category: "credential_creation",
    privilege: "atlassian:API tokens",
    level: 1,
    doc: "https://support.atlassian.com/organization-administration/docs/manage-api-tokens-for-your-atlassian-account/",
  },
  {
    id: "atlassian.role",
    name: /role|admin|product_access|global permission/i,
    category: "admin_role_change",
    privilege: "atlassian:org admin",
    level: 3,
    doc: ORG_AUDIT_LOG,
  },
  {
    id: "atlassian.group",
    name: /group|permission|access_granted|access_revoked/i,
    category: "permission_change",
    privilege: "atlassian:user management",
    level: 2,
    doc: ORG_AUDIT_LOG,
  },
  { id: "atlassian.export", name: /export/i, category: "data_export", privilege: "atlassian:data export", level: 2, doc: ORG_AUDIT_LOG },
  {
    id: "atlassian.policy",
    name: /polic|saml|sso|scim|identity_provider|domain|allowlist|two_step|2fa|mfa|authentication|password/i,
    category: "policy_change",
    privilege: "atlassian:security policies",
    level: 2,
    doc: ORG_AUDIT_LOG,
  },
];
