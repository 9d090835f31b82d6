import { anyEvent, type LogTypeRetention } from "../vendor-retention";

export const SLACK_RETENTION: readonly LogTypeRetention[] = [
  {
    id: "audit-logs",
    label: "Audit Logs API (Enterprise Grid)",
    // https://api.slack.com/admins/audit-logs: the Audit Logs API documents no retention period; none is assumed.
    tiers: [],
    match: anyEvent,
    doc: "https://api.slack.com/admins/audit-logs",
    note: "No documented retention: poll the API continuously and keep what it returns.",
  },
];
