import type { LogTypeRetention } from "../vendor-retention";

// Confirmed: https://docs.github.com/enterprise-cloud@latest/admin/monitoring-activity-in-your-enterprise/reviewing-audit-logs-for-your-enterprise/exporting-audit-log-activity-for-your-enterprise
// ("The audit log lists events triggered by activities that affect your enterprise within the last 180 days. The audit log
// retains Git events for seven days."). An older stored copy of the "About the audit log" reusable says "within the current
// month and up to the previous six months", which is at least 180 days, so 180 stays the safe figure.
const DOC =
  "https://docs.github.com/enterprise-cloud@latest/admin/monitoring-activity-in-your-enterprise/reviewing-audit-logs-for-your-enterprise/exporting-audit-log-activity-for-your-enterprise";

export const GITHUB_RETENTION: readonly LogTypeRetention[] = [
  {
    id: "git-events",
    label: "Git events (git.clone, git.push, git.fetch)",
    tiers: [{ tier: "Enterprise Cloud", days: 7 }],
    match: (e) => e.eventName !== null && e.eventName.startsWith("git."),
    doc: DOC,
    note: "Only audit log streaming keeps Git events past 7 days.",
  },
  {
    id: "audit-log",
    label: "Audit log",
    tiers: [{ tier: "Enterprise Cloud", days: 180 }],
    match: () => true,
    doc: DOC,
    note: "Stream the audit log (S3, Azure Blob, Splunk, Datadog) to keep it longer.",
  },
];
