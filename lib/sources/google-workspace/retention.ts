import { anyEvent, type LogTypeRetention } from "../vendor-retention";

export const GOOGLE_WORKSPACE_RETENTION: readonly LogTypeRetention[] = [
  {
    id: "reports-activities",
    label: "Reports API activities (admin, login, token, drive, …)",
    tiers: [{ tier: "all editions", days: 180 }],
    match: anyEvent,
    // Confirmed: https://developers.google.com/admin-sdk/reports/v1/reference/activities ("The maximum time period for all
    // audit activity reports is 180 days."). The per-report retention table of https://support.google.com/a/answer/7061566
    // (Data retention and lag times) is not confirmed in the stored docs: only its lag-time section is stored.
    doc: "https://developers.google.com/admin-sdk/reports/v1/reference/activities",
    note: "The Reports API answers at most the last 180 days of activity; lag differs per report type. Export to BigQuery to keep more.",
  },
];
