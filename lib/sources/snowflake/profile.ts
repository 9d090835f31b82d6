import { capability as f, definePlatform, HOUR } from "../define-platform";
import { SNOWFLAKE_PLATFORM } from "./normalize";
import { SNOWFLAKE_PRIVILEGED } from "./privileged";
import { SNOWFLAKE_RETENTION } from "./retention";

// Everything Sessionproof knows about this platform apart from reading its records (lib/sources/define-platform.ts).
export const SNOWFLAKE_PROFILE = definePlatform({
  platform: SNOWFLAKE_PLATFORM,
  label: "Snowflake ACCOUNT_USAGE",
  displayName: "Snowflake",
  privileged: SNOWFLAKE_PRIVILEGED,
  // ACCOUNT_USAGE.QUERY_HISTORY: ROWS_UNLOADED is the rows a COPY INTO <location> wrote out, ROWS_PRODUCED the rows the
  // statement produced; https://docs.snowflake.com/en/sql-reference/account-usage/query_history
  volumeFields: [
    { field: "ROWS_UNLOADED", unit: "queries" },
    { field: "ROWS_PRODUCED", unit: "queries" },
  ],
  retention: SNOWFLAKE_RETENTION,
  capabilities: {
    kind: "platform",
    fields: {
      session_id: f(
        "yes",
        "SESSIONS.SESSION_ID, LOGIN_EVENT_ID, QUERY_HISTORY.SESSION_ID",
        "SESSIONS latency up to 3 hours; SQL API temporary sessions not tracked.",
        "Export SESSIONS and LOGIN_HISTORY together so sessions join to logins.",
      ),
      credential_id: f(
        "partial",
        "FIRST/SECOND_AUTHENTICATION_FACTOR_ID",
        "",
        "Export LOGIN_HISTORY with the authentication factor columns.",
      ),
      actor_kind: f(
        "partial",
        "USER_NAME",
        "User name only; the user's TYPE is in the USERS view.",
        "Export ACCOUNT_USAGE.USERS (TYPE = PERSON / SERVICE) alongside the history views.",
      ),
      oauth_client: f(
        "partial",
        "AUTHORIZING_INTEGRATION_NAME",
        "",
        "Export SESSIONS with AUTHORIZING_INTEGRATION_NAME for OAuth integrations.",
      ),
      ip: f(
        "partial",
        "LOGIN_HISTORY.CLIENT_IP",
        "Client IP exists only in LOGIN_HISTORY.",
        "Export LOGIN_HISTORY: query and access history carry no IP and reach it only through the session.",
      ),
      user_agent: f("partial", "REPORTED_CLIENT_TYPE, CLIENT_ENVIRONMENT", "", "Export LOGIN_HISTORY and SESSIONS with client columns."),
      target_object: f(
        "yes",
        "ACCESS_HISTORY objectId / columns",
        "ACCESS_HISTORY omits some short transactional queries.",
        "Export ACCESS_HISTORY (Enterprise Edition) for object-level targets.",
      ),
      approval_ref: f(
        "no",
        null,
        "No ticket or approval reference.",
        "Feed approvals (ServiceNow or Jira) so grants and role changes can be matched to a ticket.",
      ),
      policy_decision: f(
        "partial",
        "policies_referenced, malicious_ip_protection_info",
        "",
        "Export ACCESS_HISTORY with policies_referenced.",
      ),
    },
    exportHow: "copy the ACCOUNT_USAGE views daily into a table or stage you keep",
  },
  correlation: {
    appNames: { pattern: /snowflake/i, rank: 6 },
    // Snowflake session policies: SESSION_IDLE_TIMEOUT_MINS at most 240 (Snowflake docs, "Session policies").
    sessionLimits: { maxSpanMs: null, idleGapMs: 4 * HOUR },
    // LOGIN_HISTORY: IS_SUCCESS = NO rows never get a SESSIONS row (Snowflake docs, "LOGIN_HISTORY view", "SESSIONS
    // view": a session is created by a successful login, LOGIN_EVENT_ID names it), and the SESSIONS row names
    // USER_NAME, the user of the login it points to.
    failedLoginNoSession: true,
    flowJoinSameUser: true,
  },
});
