import type { PrivilegedCategory } from "./types";

// The catalog of privileged actions, as data: per platform, which events are privileged actions, which of the
// seven categories they fall in, and the privilege the action needs (compared with a JIT grant's privilege to tell
// "grant broader than used"). Sources set `privileged` from the record's own fields (lib/sources/<platform>);
// this catalog classifies those events and may also mark events a source did not flag (`unflagged: true`).
// Rules are tried in order: the platform's own, then the generic rules on the OCSF activity verb, then the
// fallback (config_change, with the reason that no rule named it).

/**
 * How much a privilege can do, on one scale for every platform:
 *   1 scoped       one capability or object (export reports, one repository, one key, one permission set)
 *   2 domain admin administration of one domain of the platform (IAM, users, policies, apps, security settings)
 *   3 full admin   everything on the platform (AdministratorAccess, Global Administrator, Super Admin, org owner)
 */
export type PrivilegeLevel = 1 | 2 | 3;

export type CatalogRule = {
  /** Stable id, shown in a check's reasons. */
  id: string;
  /** The platform's own event name (event_name), tested case-insensitively. */
  name?: RegExp;
  /** The OCSF activity verbs (event.activity) the rule applies to. */
  activity?: readonly string[];
  /** true: also an event the source did not flag privileged. Such a rule must name its activities (a SQL pre-filter). */
  unflagged?: boolean;
  category: PrivilegedCategory;
  /** The privilege the action needs; `{name}` is replaced by the event name. */
  privilege: string;
  level: PrivilegeLevel;
};

export const PLATFORM_RULES: Record<string, readonly CatalogRule[]> = {
  okta: [
    {
      id: "okta.admin-role",
      name: /^(user\.account\.privilege\.|group\.privilege\.|iam\.role\.|iam\.resourceset\.)/,
      category: "admin_role_change",
      privilege: "okta:admin roles",
      level: 2,
    },
    {
      id: "okta.access-request",
      name: /^access\.request\.resolve$/,
      category: "permission_change",
      privilege: "okta:access requests",
      level: 1,
    },
    {
      id: "okta.policy",
      name: /^(policy\.lifecycle\.|policy\.rule\.|application\.policy\.|zone\.)/,
      category: "policy_change",
      privilege: "okta:policy admin",
      level: 2,
    },
    {
      id: "okta.api-token",
      name: /^system\.api_token\.(create|enable)/,
      category: "credential_creation",
      privilege: "okta:API tokens",
      level: 2,
    },
    {
      id: "okta.oauth-consent",
      name: /^app\.oauth2\.(as\.consent\.grant|.*consent)/,
      category: "app_consent",
      privilege: "okta:app consent",
      level: 1,
    },
    {
      id: "okta.authorization-server",
      name: /^app\.oauth2\.as\./,
      category: "config_change",
      privilege: "okta:API authorization servers",
      level: 2,
    },
    {
      id: "okta.idp",
      name: /^(system\.idp\.lifecycle\.|security\.authenticator\.lifecycle\.|user\.mfa\.factor\.reset_all)/,
      category: "config_change",
      privilege: "okta:security admin",
      level: 2,
    },
    { id: "okta.org", name: /^system\.org\./, category: "config_change", privilege: "okta:org admin", level: 3 },
    {
      id: "okta.app-config",
      name: /^application\.lifecycle\.(create|update|activate)$/,
      activity: ["create", "update", "other"],
      unflagged: true,
      category: "config_change",
      privilege: "okta:app admin",
      level: 2,
    },
    {
      id: "okta.app-assignment",
      name: /^application\.user_membership\.add$/,
      activity: ["create", "add_user", "other"],
      unflagged: true,
      category: "permission_change",
      privilege: "okta:app assignment",
      level: 1,
    },
  ],
  entra: [
    {
      id: "entra.app-role",
      name: /app role assignment/i,
      category: "permission_change",
      privilege: "entra:Application Administrator",
      level: 2,
    },
    {
      id: "entra.consent",
      name: /consent|oauth2permissiongrant|delegated permission|permission grant/i,
      category: "app_consent",
      privilege: "entra:Cloud Application Administrator",
      level: 2,
    },
    {
      id: "entra.pim",
      name: /\bPIM\b|eligible|role definition|member to role|member from role|role assignment/i,
      category: "admin_role_change",
      privilege: "entra:Privileged Role Administrator",
      level: 2,
    },
    {
      id: "entra.credentials",
      name: /credential|certificate|secret|password/i,
      category: "credential_creation",
      privilege: "entra:Application Administrator",
      level: 2,
    },
    {
      id: "entra.policy",
      name: /policy|conditional access|authentication method/i,
      category: "policy_change",
      privilege: "entra:Conditional Access Administrator",
      level: 2,
    },
    {
      id: "entra.federation",
      name: /federation|domain|partner|company information|owner/i,
      category: "config_change",
      privilege: "entra:Global Administrator",
      level: 3,
    },
  ],
  m365: [
    { id: "m365.ediscovery-export", activity: ["export"], category: "data_export", privilege: "m365:eDiscovery Manager", level: 2 },
    {
      id: "m365.ediscovery",
      name: /ComplianceSearch|ComplianceCase|CaseHold|eDiscovery|^(Search|Case|Hold|Review)[A-Z]/,
      category: "data_export",
      privilege: "m365:eDiscovery Manager",
      level: 2,
    },
    {
      id: "m365.role",
      name: /member to role|member from role|RoleGroupMember|ManagementRoleAssignment|SiteCollectionAdmin|MemberRoleChanged/i,
      category: "admin_role_change",
      privilege: "m365:role management",
      level: 2,
    },
    {
      id: "m365.consent",
      name: /consent|oauth2permissiongrant|delegated permission/i,
      category: "app_consent",
      privilege: "m365:Cloud Application Administrator",
      level: 2,
    },
    { id: "m365.permission", name: /Permission|app role assignment/i, category: "permission_change", privilege: "m365:{name}", level: 1 },
    {
      id: "m365.credentials",
      name: /credentials|certificates and secrets|password/i,
      category: "credential_creation",
      privilege: "m365:Application Administrator",
      level: 2,
    },
    {
      id: "m365.policy",
      name: /Policy|Sharing|InboxRule|Forwarding|TransportRule/i,
      category: "policy_change",
      privilege: "m365:{name}",
      level: 2,
    },
  ],
  "google-workspace": [
    {
      id: "gws.admin-role",
      name: /ROLE|ADMIN_PRIVILEGE|SUPER_ADMIN/i,
      category: "admin_role_change",
      privilege: "google-workspace:admin roles",
      level: 2,
    },
    {
      id: "gws.takeout",
      name: /^(takeout|export|download.*admin)/i,
      category: "data_export",
      privilege: "google-workspace:data export",
      level: 2,
    },
    {
      id: "gws.authorize",
      name: /^authorize$|TOKEN|OAUTH|API_ACCESS|THIRD_PARTY/i,
      category: "app_consent",
      privilege: "google-workspace:app access",
      level: 1,
    },
    {
      id: "gws.sharing",
      name: /^change_(owner|document_visibility|document_access_scope|acl_editors|user_access)/i,
      category: "permission_change",
      privilege: "google-workspace:sharing",
      level: 1,
    },
    {
      id: "gws.password",
      name: /PASSWORD|2sv|2SV|ASP|BACKUP_VERIFICATION_CODES/i,
      category: "credential_creation",
      privilege: "google-workspace:user security",
      level: 2,
    },
    {
      id: "gws.group",
      name: /GROUP_MEMBER|ADD_TO_GROUP|REMOVE_FROM_GROUP/i,
      category: "permission_change",
      privilege: "google-workspace:groups admin",
      level: 2,
    },
    {
      id: "gws.policy",
      name: /SETTING|POLICY|RULE/i,
      category: "policy_change",
      privilege: "google-workspace:security settings",
      level: 2,
    },
  ],
  github: [
    {
      id: "github.owner",
      name: /^(business\.|business_|org\.(add_billing_manager|update_member)|.*\.(promote|demote)|org\.transfer)/,
      category: "admin_role_change",
      privilege: "github:org owner",
      level: 3,
    },
    {
      id: "github.member",
      name: /^(org\.(add_member|remove_member|invite_member)|team\.(add|remove|update)_|repo\.(add_member|remove_member|update_member|access))/,
      category: "permission_change",
      privilege: "github:members admin",
      level: 2,
    },
    {
      id: "github.token",
      name: /^(personal_access_token\.|org_credential_authorization|public_key\.create|deploy_key\.create|repo\.deploy_key)/,
      activity: ["create", "issue_credentials", "other"],
      unflagged: true,
      category: "credential_creation",
      privilege: "github:credentials",
      level: 1,
    },
    {
      id: "github.app",
      name: /^(integration_installation|oauth_application|org\.(oauth|.*oauth)|org\.oauth_app_access_)/,
      category: "app_consent",
      privilege: "github:org app approval",
      level: 2,
    },
    {
      id: "github.branch",
      name: /^(protected_branch\.|repository_ruleset\.|org_ruleset|environment\.(update_protection|remove_protection))/,
      category: "policy_change",
      privilege: "github:repo admin",
      level: 1,
    },
    {
      id: "github.policy",
      name: /^(org\.(set_|update_default|enable|disable|update_actions|.*polic|.*permission|.*saml|.*sso)|ip_allow_list|members_can_|sso_|saml_)/,
      category: "policy_change",
      privilege: "github:org owner",
      level: 3,
    },
    {
      id: "github.repo",
      name: /^repo\.(transfer|destroy|actions_enabled)|^hook\.|secret_scanning|dependabot|advanced_security|repository_vulnerability_alert\.dismiss/,
      category: "config_change",
      privilege: "github:repo admin",
      level: 1,
    },
  ],
  slack: [
    {
      id: "slack.role",
      name: /^(role_change_to_|role_(assigned|removed|created|updated|deleted)$|role_(added_to|removed_from|modified_on)_usergroup|owner_transferred|service_owner_transferred|primary_owner_)/,
      category: "admin_role_change",
      privilege: "slack:admin roles",
      level: 2,
    },
    {
      id: "slack.permission",
      name: /^permissions_(assigned|removed)/,
      category: "permission_change",
      privilege: "slack:permissions",
      level: 2,
    },
    {
      id: "slack.export",
      name: /(^|_)exports?_|_export$|^corporate_exports_|_csv_download$/,
      category: "data_export",
      privilege: "slack:workspace export",
      level: 2,
    },
    {
      id: "slack.app",
      name: /^(app_|org_app_|bot_token_upgraded|workflow_app_token_preserved|cli_app_)/,
      category: "app_consent",
      privilege: "slack:app approval",
      level: 2,
    },
    {
      id: "slack.sessions",
      name: /^(user|bulk)_session_reset_by_admin$/,
      category: "config_change",
      privilege: "slack:session management",
      level: 2,
    },
    {
      id: "slack.policy",
      name: /^(pref\.|idp_|seamless_auth_|team_authorized_ip_range_set|flexible_access_control_set|domain_)/,
      category: "policy_change",
      privilege: "slack:workspace settings",
      level: 2,
    },
  ],
  salesforce: [
    { id: "salesforce.report-export", name: /^ReportExport$/i, category: "data_export", privilege: "salesforce:Export Reports", level: 1 },
    { id: "salesforce.bulk-export", activity: ["export"], category: "data_export", privilege: "salesforce:API bulk read", level: 1 },
    {
      id: "salesforce.data-export",
      name: /data ?export|dataexport/i,
      category: "data_export",
      privilege: "salesforce:Weekly Export",
      level: 2,
    },
    {
      id: "salesforce.login-as",
      name: /login_?as|suOrgAdmin|LoginAs|login access/i,
      category: "admin_role_change",
      privilege: "salesforce:Login As (Manage Users)",
      level: 2,
    },
    {
      id: "salesforce.profile-role",
      name: /profile|role|delegated admin/i,
      category: "admin_role_change",
      privilege: "salesforce:Manage Users",
      level: 2,
    },
    {
      id: "salesforce.permset",
      name: /perm ?set|permission ?set|PermissionSet|modify all data|view all data/i,
      category: "permission_change",
      privilege: "salesforce:Assign Permission Sets",
      level: 2,
    },
    {
      id: "salesforce.connected-app",
      name: /connected ?app|oauth/i,
      category: "app_consent",
      privilege: "salesforce:Manage Connected Apps",
      level: 2,
    },
    {
      id: "salesforce.password",
      name: /password|certificate|named credential/i,
      category: "credential_creation",
      privilege: "salesforce:Manage Users",
      level: 2,
    },
    {
      id: "salesforce.policy",
      name: /session|sso|single sign-on|saml|auth|network access|ip range|trusted|sharing|mfa|multi-factor|two-factor|transaction security|login flow/i,
      category: "policy_change",
      privilege: "salesforce:Customize Application",
      level: 2,
    },
  ],
  "aws-cloudtrail": [
    { id: "aws.root", name: /^ConsoleLogin$/, category: "config_change", privilege: "aws:root", level: 3 },
    {
      id: "aws.iam-role",
      name: /^(Attach|Detach|Put|Delete)(Role|User|Group)Policy$|^(Add|Remove)UserToGroup$|^(Create|Update|Delete)Role$|^UpdateAssumeRolePolicy$/,
      category: "admin_role_change",
      privilege: "iam:{name}",
      level: 2,
    },
    {
      id: "aws.iam-policy",
      name: /^(Create|Delete)Policy(Version)?$|^SetDefaultPolicyVersion$/,
      category: "policy_change",
      privilege: "iam:{name}",
      level: 2,
    },
    {
      id: "aws.credentials",
      name: /^(CreateAccessKey|CreateLoginProfile|UpdateLoginProfile|CreateServiceSpecificCredential|UploadSSHPublicKey|UploadSigningCertificate|CreateVirtualMFADevice|EnableMFADevice)$/,
      category: "credential_creation",
      privilege: "iam:{name}",
      level: 2,
    },
    {
      id: "aws.sso",
      name: /AccountAssignment|PermissionSet|ManagedPolicy/,
      category: "admin_role_change",
      privilege: "sso:{name}",
      level: 2,
    },
    {
      id: "aws.resource-policy",
      name: /Polic(y|ies)$|Acl$|PublicAccessBlock$|^(AddPermission|RemovePermission|CreateGrant|RevokeGrant|Modify(Snapshot|Image|DBSnapshot)Attribute)$/,
      category: "policy_change",
      privilege: "{name}",
      level: 1,
    },
    {
      id: "aws.organizations",
      name: /Account|Organization|OrganizationalUnit|ServiceControl|Delegated/,
      category: "config_change",
      privilege: "organizations:{name}",
      level: 3,
    },
    {
      // Not flagged by the source (outside IAM and resource policies), but they destroy keys or blind the audit trail.
      id: "aws.defense-evasion",
      name: /^(ScheduleKeyDeletion|DisableKey|DeleteTrail|StopLogging|UpdateTrail|PutEventSelectors|DeleteFlowLogs|DeleteDetector|DisableSecurityHub|DeleteConfigRule|StopConfigurationRecorder)$/,
      activity: ["other", "delete", "update", "create"],
      unflagged: true,
      category: "config_change",
      privilege: "{name}",
      level: 2,
    },
    {
      id: "aws.iam-other",
      name: /^(Create|Delete|Update|Tag|Untag|Set|Put|Add|Remove|Attach|Detach|Change|Enable|Deactivate|Resync)/,
      category: "permission_change",
      privilege: "iam:{name}",
      level: 2,
    },
  ],
  snowflake: [
    {
      id: "snowflake.grants",
      activity: ["assign_privileges", "revoke_privileges"],
      category: "permission_change",
      privilege: "snowflake:MANAGE GRANTS",
      level: 2,
    },
    {
      id: "snowflake.export",
      activity: ["export"],
      category: "data_export",
      privilege: "snowflake:stage write (COPY INTO location)",
      level: 1,
    },
    { id: "snowflake.role", name: /ROLE/, category: "admin_role_change", privilege: "snowflake:SECURITYADMIN", level: 2 },
    { id: "snowflake.user", name: /USER/, category: "credential_creation", privilege: "snowflake:USERADMIN", level: 2 },
    {
      id: "snowflake.policy",
      name: /POLICY|NETWORK|INTEGRATION|ACCOUNT|SHARE/,
      category: "policy_change",
      privilege: "snowflake:ACCOUNTADMIN",
      level: 3,
    },
  ],
  atlassian: [
    { id: "atlassian.impersonate", activity: ["impersonate"], category: "admin_role_change", privilege: "atlassian:org admin", level: 3 },
    {
      id: "atlassian.token",
      activity: ["issue_credentials"],
      category: "credential_creation",
      privilege: "atlassian:API tokens",
      level: 1,
    },
    {
      id: "atlassian.role",
      name: /role|admin|product_access|global permission/i,
      category: "admin_role_change",
      privilege: "atlassian:org admin",
      level: 3,
    },
    {
      id: "atlassian.group",
      name: /group|permission|access_granted|access_revoked/i,
      category: "permission_change",
      privilege: "atlassian:user management",
      level: 2,
    },
    { id: "atlassian.export", name: /export/i, category: "data_export", privilege: "atlassian:data export", level: 2 },
    {
      id: "atlassian.policy",
      name: /polic|saml|sso|scim|identity_provider|domain|allowlist|two_step|2fa|mfa|authentication|password/i,
      category: "policy_change",
      privilege: "atlassian:security policies",
      level: 2,
    },
  ],
  opa: [
    { id: "opa.k8s-rbac", name: /./, category: "permission_change", privilege: "kubernetes:rbac.authorization.k8s.io write", level: 2 },
  ],
  // Approval feeds: a ticket authorizes work and is never itself a privileged action (the sources never flag it);
  // the platforms' own events show the privileged use.
  servicenow: [],
  jira: [],
  // A grant is itself a privilege assignment; its own record needs a ticket like any other change.
  "pam-grants": [{ id: "pam.grant", category: "admin_role_change", privilege: "the granted privilege", level: 1 }],
};

/** The OCSF activity verbs, for privileged events no platform rule named. */
const GENERIC_RULES: readonly CatalogRule[] = [
  { id: "generic.export", activity: ["export"], category: "data_export", privilege: "{name}", level: 1 },
  { id: "generic.consent", activity: ["consent"], category: "app_consent", privilege: "{name}", level: 2 },
  { id: "generic.credentials", activity: ["issue_credentials"], category: "credential_creation", privilege: "{name}", level: 2 },
  {
    id: "generic.privileges",
    activity: ["assign_privileges", "revoke_privileges"],
    category: "permission_change",
    privilege: "{name}",
    level: 2,
  },
  { id: "generic.impersonate", activity: ["impersonate"], category: "admin_role_change", privilege: "{name}", level: 2 },
];

/** Every privileged event gets a category: what no rule names is a configuration change, and says so. */
const FALLBACK_RULE: CatalogRule = { id: "fallback", category: "config_change", privilege: "{name}", level: 2 };

export type Classification = {
  rule: CatalogRule;
  category: PrivilegedCategory;
  privilege: string;
  level: PrivilegeLevel;
  reason: string | null;
};

const matches = (rule: CatalogRule, eventName: string, activity: string): boolean =>
  (rule.name === undefined || rule.name.test(eventName)) && (rule.activity === undefined || rule.activity.includes(activity));

/**
 * The category and needed privilege of one event; null when the event is not a privileged action (not flagged by
 * its source and no `unflagged` rule names it).
 */
export function classifyPrivilegedAction({
  platform,
  eventName,
  activity,
  privileged,
}: {
  platform: string;
  eventName: string;
  activity: string;
  privileged: boolean;
}): Classification | null {
  const candidates = [...(PLATFORM_RULES[platform] ?? []), ...GENERIC_RULES];
  const rule = candidates.find((r) => (privileged || r.unflagged === true) && matches(r, eventName, activity));
  if (!rule && !privileged) return null;
  const r = rule ?? FALLBACK_RULE;
  return {
    rule: r,
    category: r.category,
    privilege: r.privilege.replaceAll("{name}", eventName),
    level: r.level,
    reason: rule
      ? privileged
        ? null
        : `marked privileged by catalog rule ${r.id} (the source does not flag it)`
      : `no catalog rule names ${platform} "${eventName}" (${activity}); the source flags it privileged, so it is counted as a configuration change`,
  };
}

/**
 * The unflagged events the catalog may mark, as (platform, activity, event-name pattern) triples: the SQL pre-filter
 * of the run, so that only those few events are read (the patterns are plain enough to mean the same in
 * PostgreSQL's regular expressions: anchors, groups, alternation, escaped dots; no \b).
 */
export function unflaggedActivities(): { platform: string; activity: string; pattern: string }[] {
  const out: { platform: string; activity: string; pattern: string }[] = [];
  for (const [platform, rules] of Object.entries(PLATFORM_RULES)) {
    for (const r of rules)
      if (r.unflagged) for (const a of r.activity ?? []) out.push({ platform, activity: a, pattern: r.name?.source ?? "" });
  }
  return out;
}

// What a grant's privilege name says about its breadth. Tested in order; the first match wins.
const GRANT_LEVELS: readonly { pattern: RegExp; level: PrivilegeLevel }[] = [
  {
    pattern:
      /\b(AdministratorAccess|Global Administrator|Company Administrator|Super ?Admin|Organi[sz]ation (Owner|Administrator)|org(anization)? owner|Owner|ACCOUNTADMIN|ORGADMIN|System Administrator|root|full[ _-]?admin|cluster-admin)\b|^\*$/i,
    level: 3,
  },
  {
    pattern:
      /admin|FullAccess|PowerUser|SECURITYADMIN|USERADMIN|SYSADMIN|Manage Users|Modify All Data|View All Data|maintainer|privileged/i,
    level: 2,
  },
];

/** The breadth of a granted privilege (see PrivilegeLevel); what names no admin power is scoped. */
export function grantPrivilegeLevel(privilege: string): PrivilegeLevel {
  return GRANT_LEVELS.find((g) => g.pattern.test(privilege))?.level ?? 1;
}

// Which platform names a grant may use for the platform an action runs on (grant.platform is free text:
// `aws:111122223333`, `salesforce`, `entra`, …; its part before ":" is compared).
export const GRANT_PLATFORM_ALIASES: Record<string, readonly string[]> = {
  okta: ["okta"],
  entra: ["entra", "azure", "azuread", "aad", "microsoft", "m365"],
  m365: ["m365", "entra", "azure", "azuread", "aad", "microsoft", "office365", "o365", "exchange", "sharepoint"],
  "google-workspace": ["google-workspace", "google", "gws", "gsuite", "workspace"],
  github: ["github"],
  slack: ["slack"],
  salesforce: ["salesforce", "sfdc"],
  "aws-cloudtrail": ["aws", "aws-cloudtrail", "amazon", "aws-identity-center"],
  snowflake: ["snowflake"],
  atlassian: ["atlassian", "jira", "confluence"],
  opa: ["opa", "kubernetes", "k8s"],
};

/** Whether a grant recorded for `grantPlatform` can cover an action on `platform`. A grant naming no target platform (its feed's own id) covers any. */
export function grantCoversPlatform(grantPlatform: string, platform: string): boolean {
  const g = grantPlatform.toLowerCase().split(":")[0].trim();
  if (g === "pam-grants" || g === "") return true;
  if (g === platform) return true;
  return (GRANT_PLATFORM_ALIASES[platform] ?? []).includes(g);
}
