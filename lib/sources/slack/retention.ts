import { anyEvent, type LogTypeRetention } from "../vendor-retention";

export const SLACK_RETENTION: readonly LogTypeRetention[] = [
  {
    id: "audit-logs",
    label: "Audit Logs API (Enterprise Grid)",
    // Not confirmed in the stored docs: https://slack.com/help/articles/360000394286-Audit-logs-in-Slack and the Audit Logs
    // API reference (https://docs.slack.dev/reference/audit-logs-api/methods-actions-reference) give no retention period
    // for audit log events (the help page gives 90 days only for search query logs), so none is assumed.
    tiers: [],
    match: anyEvent,
    doc: "https://slack.com/help/articles/360000394286-Audit-logs-in-Slack",
    note: "No documented retention: poll the API continuously and keep what it returns.",
  },
];
