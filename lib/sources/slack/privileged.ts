import type { CatalogEntry } from "../privileged";

// Slack Audit Logs API actions that are privileged actions.
const ACTIONS = "https://docs.slack.dev/reference/audit-logs-api/methods-actions-reference";

export const SLACK_PRIVILEGED: readonly CatalogEntry[] = [
  {
    id: "slack.role",
    name: /^(role_change_to_|role_(assigned|removed|created|updated|deleted)$|role_(added_to|removed_from|modified_on)_usergroup|owner_transferred|service_owner_transferred|primary_owner_)/,
    category: "admin_role_change",
    privilege: "slack:admin roles",
    level: 2,
    doc: ACTIONS,
  },
  {
    id: "slack.permission",
    name: /^permissions_(assigned|removed)/,
    category: "permission_change",
    privilege: "slack:permissions",
    level: 2,
    doc: ACTIONS,
  },
  {
    id: "slack.export",
    name: /(^|_)exports?_|_export$|^corporate_exports_|_csv_download$/,
    category: "data_export",
    privilege: "slack:workspace export",
    level: 2,
    doc: ACTIONS,
  },
  {
    id: "slack.app",
    name: /^(app_|org_app_|bot_token_upgraded|workflow_app_token_preserved|cli_app_)/,
    category: "app_consent",
    privilege: "slack:app approval",
    level: 2,
    doc: ACTIONS,
  },
  {
    id: "slack.sessions",
    name: /^(user|bulk)_session_reset_by_admin$/,
    category: "config_change",
    privilege: "slack:session management",
    level: 2,
    doc: ACTIONS,
  },
  {
    id: "slack.policy",
    name: /^(pref\.|idp_|seamless_auth_|team_authorized_ip_range_set|flexible_access_control_set|domain_)/,
    category: "policy_change",
    privilege: "slack:workspace settings",
    level: 2,
    doc: ACTIONS,
  },
];
