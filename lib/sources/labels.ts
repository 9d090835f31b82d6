// The short UI name of every registered platform, for client components (lib/sessions/words.ts platformLabel): a
// plain table with no imports, so the pages do not bundle the sources. Each platform's profile
// (lib/sources/<platform>/profile.ts, displayName) is the authority; registry.test.ts checks this copy against it.
export const PLATFORM_LABELS: Readonly<Record<string, string>> = {
  okta: "Okta",
  entra: "Entra ID",
  m365: "Microsoft 365",
  "google-workspace": "Google Workspace",
  github: "GitHub",
  slack: "Slack",
  salesforce: "Salesforce",
  "aws-cloudtrail": "AWS CloudTrail",
  snowflake: "Snowflake",
  atlassian: "Atlassian",
  servicenow: "ServiceNow",
  jira: "Jira",
  "pam-grants": "PAM grants",
  opa: "OPA decisions",
};

/** What the UI calls events whose platform no source recognised. */
export const UNKNOWN_PLATFORM = "unknown";
export const UNKNOWN_PLATFORM_LABEL = "unrecognised";
