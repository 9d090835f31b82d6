import { shapeIs, type LogTypeRetention } from "../vendor-retention";

// The Atlassian source writes extra.shape per feed (normalize.ts).
export const ATLASSIAN_RETENTION: readonly LogTypeRetention[] = [
  {
    id: "org-audit-log",
    label: "Organization audit log (Atlassian Guard)",
    tiers: [{ tier: "Atlassian Guard Standard", days: 180 }],
    match: shapeIs("org-audit-log"),
    // Confirmed: https://support.atlassian.com/security-and-access-policies/docs/track-organization-activities-from-the-audit-log/
    // (Storage row: "Retain for 180 days" for Atlassian Guard Standard, Guard Premium and Cloud Enterprise; "To access audit
    // logs in Atlassian Administration, you must have atleast Atlassian Guard Standard").
    doc: "https://support.atlassian.com/security-and-access-policies/docs/track-organization-activities-from-the-audit-log/",
    note: "Without Atlassian Guard Standard the organization audit log is not available; export or poll it well within 180 days.",
  },
  {
    id: "product-audit-log",
    label: "Jira / Confluence product audit log",
    // https://support.atlassian.com/jira-cloud-administration/docs/audit-activities-in-jira-applications/: no retention
    // figure in the stored copy ("The audit log isn't available if all of your Jira Cloud products are on the Free plan");
    // the org audit log page says product logs are "Determined by each product's storage limits". No figure is assumed.
    tiers: [],
    match: shapeIs("jira-auditing-record", "confluence-audit-record", "dc-auditing-event"),
    doc: "https://support.atlassian.com/jira-cloud-administration/docs/audit-activities-in-jira-applications/",
    note: "Retention is a product setting that depends on the plan: check it and export the records.",
  },
];
