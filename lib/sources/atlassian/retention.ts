import { shapeIs, type LogTypeRetention } from "../vendor-retention";

// The Atlassian source writes extra.shape per feed (normalize.ts).
export const ATLASSIAN_RETENTION: readonly LogTypeRetention[] = [
  {
    id: "org-audit-log",
    label: "Organization audit log (Atlassian Guard)",
    tiers: [{ tier: "Atlassian Guard Standard", days: 180 }],
    match: shapeIs("org-audit-log"),
    // https://support.atlassian.com/security-and-access-policies/docs/track-organization-activities-from-the-audit-log/
    // (activities of the last 180 days with Atlassian Guard).
    doc: "https://support.atlassian.com/security-and-access-policies/docs/track-organization-activities-from-the-audit-log/",
    note: "Without Atlassian Guard the organization audit log is limited; poll the API at least monthly.",
  },
  {
    id: "product-audit-log",
    label: "Jira / Confluence product audit log",
    // https://support.atlassian.com/jira-cloud-administration/docs/audit-activities-in-jira-applications/: the
    // retention is set by the product admin and depends on the plan; no fixed figure is documented for all plans.
    tiers: [],
    match: shapeIs("jira-auditing-record", "confluence-audit-record", "dc-auditing-event"),
    doc: "https://support.atlassian.com/jira-cloud-administration/docs/audit-activities-in-jira-applications/",
    note: "Retention is a product setting that depends on the plan: check it and export the records.",
  },
];
