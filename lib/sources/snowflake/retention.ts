import type { LogTypeRetention } from "../vendor-retention";

// Confirmed: https://docs.snowflake.com/en/sql-reference/account-usage ("Retention of historical data | 1 Year | From 7
// days to 6 months (varies by view/table function)", Account Usage vs Information Schema). The stored page gives one
// figure for all ACCOUNT_USAGE views; per-view figures for LOGIN_HISTORY, SESSIONS etc. are not confirmed in the stored docs.
export const SNOWFLAKE_RETENTION: readonly LogTypeRetention[] = [
  {
    id: "account-usage",
    label: "ACCOUNT_USAGE views (LOGIN_HISTORY, SESSIONS, QUERY_HISTORY, ACCESS_HISTORY, grants)",
    tiers: [{ tier: "all editions", days: 365 }],
    match: () => true,
    doc: "https://docs.snowflake.com/en/sql-reference/account-usage",
    note: "Copy the views into a table you keep to go past a year.",
  },
];
