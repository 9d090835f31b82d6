import type { CatalogEntry } from "../privileged";

// Okta System Log event types that are (or look like but are not) privileged actions. The source sets an event's
// `privileged` flag from these entries (normalize.ts), and governance classifies with them: one list.
const EVENT_TYPES = "https://developer.okta.com/docs/reference/api/event-types/";

export const OKTA_PRIVILEGED: readonly CatalogEntry[] = [
  // Exclusions first: they win over the broader prefixes below.
  {
    id: "okta.token-issuance",
    name: /^app\.oauth2\.(as\.)?(token|authorize)(\.|$)/,
    notPrivileged: true,
    why: "an OAuth token or authorization code issued to a client is a sign-in step, not a use of privilege",
    doc: EVENT_TYPES,
  },
  {
    id: "okta.rate-limit-notice",
    name: /^system\.(org|client|operation)\.(concurrency_)?rate_limit\./,
    notPrivileged: true,
    why: "a rate-limit warning, burst or violation notice records traffic, not an administrator's change",
    doc: "https://developer.okta.com/docs/reference/rl-system-log-events/",
  },
  {
    id: "okta.admin-role",
    name: /^(user\.account\.privilege\.|group\.privilege\.|iam\.role\.|iam\.resourceset\.)/,
    category: "admin_role_change",
    privilege: "okta:admin roles",
    level: 2,
    doc: "https://developer.okta.com/docs/api/openapi/okta-management/management/tag/RoleAssignmentAUser/",
  },
  {
    id: "okta.impersonation",
    name: /^user\.session\.impersonation\./,
    category: "admin_role_change",
    privilege: "okta:impersonation (Okta Support access)",
    level: 3,
    doc: EVENT_TYPES,
  },
  { id: "okta.iam", name: /^iam\./, category: "config_change", privilege: "okta:IAM administration", level: 2, doc: EVENT_TYPES },
  {
    id: "okta.access-request",
    name: /^access\.request\.resolve$/,
    category: "permission_change",
    privilege: "okta:access requests",
    level: 1,
    doc: EVENT_TYPES,
  },
  {
    id: "okta.policy",
    name: /^(policy\.lifecycle\.|policy\.rule\.|application\.policy\.|zone\.)/,
    category: "policy_change",
    privilege: "okta:policy admin",
    level: 2,
    doc: EVENT_TYPES,
  },
  {
    id: "okta.api-token",
    name: /^system\.api_token\.(create|enable)/,
    category: "credential_creation",
    privilege: "okta:API tokens",
    level: 2,
    doc: "https://help.okta.com/en-us/content/topics/security/api.htm",
  },
  {
    id: "okta.api-token-change",
    name: /^system\.api_token\./,
    category: "config_change",
    privilege: "okta:API tokens",
    level: 2,
    doc: "https://help.okta.com/en-us/content/topics/security/api.htm",
  },
  {
    id: "okta.oauth-consent",
    name: /^app\.oauth2\.as\.consent\./,
    category: "app_consent",
    privilege: "okta:app consent",
    level: 1,
    doc: EVENT_TYPES,
  },
  {
    id: "okta.authorization-server",
    name: /^app\.oauth2\.as\./,
    category: "config_change",
    privilege: "okta:API authorization servers",
    level: 2,
    doc: EVENT_TYPES,
  },
  {
    id: "okta.idp",
    name: /^(system\.idp\.lifecycle\.|security\.authenticator\.lifecycle\.|user\.mfa\.factor\.reset_all)/,
    category: "config_change",
    privilege: "okta:security admin",
    level: 2,
    doc: EVENT_TYPES,
  },
  { id: "okta.org", name: /^system\.org\./, category: "config_change", privilege: "okta:org admin", level: 3, doc: EVENT_TYPES },
  // Not flagged by the source: governance marks them.
  {
    id: "okta.app-config",
    name: /^application\.lifecycle\.(create|update|activate)$/,
    activity: ["create", "update", "other"],
    unflagged: true,
    category: "config_change",
    privilege: "okta:app admin",
    level: 2,
    doc: EVENT_TYPES,
  },
  {
    id: "okta.app-assignment",
    name: /^application\.user_membership\.add$/,
    activity: ["create", "add_user", "assign_privileges", "other"],
    unflagged: true,
    category: "permission_change",
    privilege: "okta:app assignment",
    level: 1,
    doc: EVENT_TYPES,
  },
  {
    // Membership of a group that holds admin roles makes the member an administrator (Okta: assign admin roles to
    // groups); the event does not say whether the group holds a role, so its name must say it is an admin group.
    id: "okta.admin-group-membership",
    name: /^group\.user_membership\.add$/,
    activity: ["add_user"],
    target: /admin|administrators|super.?user|privileged/i,
    unflagged: true,
    category: "admin_role_change",
    privilege: "okta:admin group membership",
    level: 2,
    doc: "https://help.okta.com/en-us/content/topics/security/administrators-assign-admin-role-to-group.htm",
  },
];
