import { anyEvent, type LogTypeRetention } from "../vendor-retention";

export const GOOGLE_WORKSPACE_RETENTION: readonly LogTypeRetention[] = [
  {
    id: "reports-activities",
    label: "Reports API activities (admin, login, token, drive, …)",
    tiers: [{ tier: "all editions", days: 180 }],
    match: anyEvent,
    // https://support.google.com/a/answer/7061566 (Data retention and lag times: audit and investigation data kept 6
    // months); the Reports API activities.list answers only the last 180 days.
    doc: "https://support.google.com/a/answer/7061566",
    note: "Per report type the lag differs; retention is 6 months for the activity reports read here. Export to BigQuery to keep more.",
  },
];
