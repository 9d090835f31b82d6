import { anyEvent, type LogTypeRetention } from "../vendor-retention";

export const OKTA_RETENTION: readonly LogTypeRetention[] = [
  {
    id: "system-log",
    label: "System Log",
    tiers: [{ tier: "all plans", days: 90 }],
    match: anyEvent,
    // https://support.okta.com/help/s/article/Okta-Data-Retention-Policy ("System Log data is retained for 90 days")
    doc: "https://support.okta.com/help/s/article/Okta-Data-Retention-Policy",
    note: "Export through the System Log API or a log stream to keep more than 90 days.",
  },
];
