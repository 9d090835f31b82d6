import type { LogTypeRetention } from "../vendor-retention";

// https://docs.snowflake.com/en/sql-reference/account-usage ("data is retained for 1 year (365 days)"; the
// INFORMATION_SCHEMA table functions keep 7 days to 6 months).
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
