import type { CatalogEntry } from "../privileged";

// GitHub audit log actions that are privileged actions.
const ORG_EVENTS =
  "https://docs.github.com/en/organizations/keeping-your-organization-secure/managing-security-settings-for-your-organization/audit-log-events-for-your-organization";
const ENTERPRISE_EVENTS =
  "https://docs.github.com/en/enterprise-cloud@latest/admin/monitoring-activity-in-your-enterprise/reviewing-audit-logs-for-your-enterprise/audit-log-events-for-your-enterprise";

export const GITHUB_PRIVILEGED: readonly CatalogEntry[] = [
  {
    // Pausing, redirecting or deleting the audit-log stream blinds whoever reads it.
    id: "github.audit-log-streaming",
    name: /^audit_log_streaming\.(create|update|destroy|disable|disabled|enable|enabled)$/,
    activity: ["create", "update", "delete", "other"],
    unflagged: true,
    category: "config_change",
    privilege: "github:enterprise owner",
    level: 3,
    doc: ENTERPRISE_EVENTS,
  },
  {
    id: "github.vulnerability-alerts-off",
    name: /^(repository_vulnerability_alerts\.disable|repository_vulnerability_alerts_auto_dismissal\.enable)$/,
    activity: ["update", "other"],
    unflagged: true,
    category: "config_change",
    privilege: "github:repo admin",
    level: 1,
    doc: ORG_EVENTS,
  },
  {
    // Deleting a workflow run removes its logs, the record of what the run did.
    id: "github.workflow-run-deletion",
    name: /^workflows\.delete_workflow_run$/,
    activity: ["delete", "other"],
    unflagged: true,
    category: "config_change",
    privilege: "github:repo admin",
    level: 1,
    doc: ORG_EVENTS,
  },
  {
    // GitHub Enterprise Server: an ordinary account promoted to site administrator.
    id: "github.user-promotion",
    name: /^user\.promote$/,
    activity: ["update", "other"],
    unflagged: true,
    category: "admin_role_change",
    privilege: "github:site administrator",
    level: 3,
    doc: "https://docs.github.com/en/enterprise-server@latest/admin/monitoring-activity-in-your-enterprise/reviewing-audit-logs-for-your-enterprise/audit-log-events-for-your-enterprise",
  },
  {
    id: "github.owner",
    name: /^(business\.|business_|org\.(add_billing_manager|update_member)|.*\.(promote|demote)|org\.transfer)/,
    category: "admin_role_change",
    privilege: "github:org owner",
    level: 3,
    doc: ORG_EVENTS,
  },
  {
    id: "github.member",
    name: /^(org\.(add_member|remove_member|invite_member)|team\.(add|remove|update)_|repo\.(add_member|remove_member|update_member|access))/,
    category: "permission_change",
    privilege: "github:members admin",
    level: 2,
    doc: ORG_EVENTS,
  },
  {
    id: "github.token",
    name: /^(personal_access_token\.|org_credential_authorization|public_key\.create|deploy_key\.create|repo\.deploy_key)/,
    activity: ["create", "issue_credentials", "other"],
    unflagged: true,
    category: "credential_creation",
    privilege: "github:credentials",
    level: 1,
    doc: ORG_EVENTS,
  },
  {
    id: "github.app",
    name: /^(integration_installation|oauth_application|org\.(oauth|.*oauth)|org\.oauth_app_access_)/,
    category: "app_consent",
    privilege: "github:org app approval",
    level: 2,
    doc: ORG_EVENTS,
  },
  {
    id: "github.branch",
    name: /^(protected_branch\.|repository_ruleset\.|org_ruleset|environment\.(update_protection|remove_protection))/,
    category: "policy_change",
    privilege: "github:repo admin",
    level: 1,
    doc: ORG_EVENTS,
  },
  {
    id: "github.policy",
    name: /^(org\.(set_|update_default|enable|disable|update_actions|.*polic|.*permission|.*saml|.*sso)|ip_allow_list|members_can_|sso_|saml_)/,
    category: "policy_change",
    privilege: "github:org owner",
    level: 3,
    doc: ORG_EVENTS,
  },
  {
    id: "github.repo",
    name: /^repo\.(transfer|destroy|actions_enabled)|^hook\.|secret_scanning|dependabot|advanced_security|repository_vulnerability_alert\.dismiss/,
    category: "config_change",
    privilege: "github:repo admin",
    level: 1,
    doc: ORG_EVENTS,
  },
];
