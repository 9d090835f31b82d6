import { anyEvent, type LogTypeRetention } from "../vendor-retention";

export const OKTA_RETENTION: readonly LogTypeRetention[] = [
  {
    id: "system-log",
    label: "System Log",
    tiers: [{ tier: "all plans", days: 90 }],
    match: anyEvent,
    // Confirmed: https://support.okta.com/help/s/article/Exporting-Okta-Log-Data ("Okta retains System Log events for 90 days").
    doc: "https://support.okta.com/help/s/article/Exporting-Okta-Log-Data",
    note: "Export through the System Log API or a log stream to keep more than 90 days.",
  },
];
