import type { LogTypeRetention } from "../vendor-retention";

// https://docs.github.com/enterprise-cloud@latest/admin/monitoring-activity-in-your-enterprise/reviewing-audit-logs-for-your-enterprise/about-the-audit-log-for-your-enterprise
// ("the audit log ... events from the past 180 days"; Git events are kept for seven days).
const DOC =
  "https://docs.github.com/enterprise-cloud@latest/admin/monitoring-activity-in-your-enterprise/reviewing-audit-logs-for-your-enterprise/about-the-audit-log-for-your-enterprise";

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
