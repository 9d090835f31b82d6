import type { CatalogEntry } from "../privileged";

// Salesforce Event Monitoring event types and Setup Audit Trail actions that are privileged actions.
const EVENT_LOG_FILE =
  "https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_eventlogfile.htm";
const SETUP_AUDIT_TRAIL = "https://help.salesforce.com/s/articleView?id=sf.admin_monitorsetup.htm&type=5";

export const SALESFORCE_PRIVILEGED: readonly CatalogEntry[] = [
  {
    id: "salesforce.report-export",
    name: /^ReportExport$/i,
    category: "data_export",
    privilege: "salesforce:Export Reports",
    level: 1,
    doc: "https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_eventlogfile_reportexport.htm",
  },
  {
    id: "salesforce.bulk-export",
    activity: ["export"],
    category: "data_export",
    privilege: "salesforce:API bulk read",
    level: 1,
    doc: EVENT_LOG_FILE,
  },
  {
    id: "salesforce.data-export",
    name: /data ?export|dataexport/i,
    category: "data_export",
    privilege: "salesforce:Weekly Export",
    level: 2,
    doc: SETUP_AUDIT_TRAIL,
  },
  {
    // Login-As: an administrator acting as another user.
    id: "salesforce.login-as",
    name: /login_?as|suOrgAdmin|LoginAs|login access/i,
    category: "admin_role_change",
    privilege: "salesforce:Login As (Manage Users)",
    level: 2,
    doc: "https://help.salesforce.com/s/articleView?id=sf.users_login_as_any_user.htm&type=5",
  },
  {
    id: "salesforce.profile-role",
    name: /profile|role|delegated admin/i,
    category: "admin_role_change",
    privilege: "salesforce:Manage Users",
    level: 2,
    doc: SETUP_AUDIT_TRAIL,
  },
  {
    id: "salesforce.permset",
    name: /perm ?set|permission ?set|PermissionSet|modify all data|view all data/i,
    category: "permission_change",
    privilege: "salesforce:Assign Permission Sets",
    level: 2,
    doc: SETUP_AUDIT_TRAIL,
  },
  {
    id: "salesforce.connected-app",
    name: /connected ?app|oauth/i,
    category: "app_consent",
    privilege: "salesforce:Manage Connected Apps",
    level: 2,
    doc: SETUP_AUDIT_TRAIL,
  },
  {
    id: "salesforce.password",
    name: /password|certificate|named credential/i,
    category: "credential_creation",
    privilege: "salesforce:Manage Users",
    level: 2,
    doc: SETUP_AUDIT_TRAIL,
  },
  {
    id: "salesforce.policy",
    name: /session|sso|single sign-on|saml|auth|network access|ip range|trusted|sharing|mfa|multi-factor|two-factor|transaction security|login flow/i,
    category: "policy_change",
    privilege: "salesforce:Customize Application",
    level: 2,
    doc: SETUP_AUDIT_TRAIL,
  },
];
