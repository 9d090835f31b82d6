import { capability as f, definePlatform, HOUR, MINUTE } from "../define-platform";
import { SALESFORCE_PLATFORM } from "./common";
import { SALESFORCE_PRIVILEGED } from "./privileged";
import { SALESFORCE_RETENTION } from "./retention";

// Everything Sessionproof knows about this platform apart from reading its records (lib/sources/define-platform.ts).
export const SALESFORCE_PROFILE = definePlatform({
  platform: SALESFORCE_PLATFORM,
  label: "Salesforce",
  displayName: "Salesforce",
  // Names a grant feed may write for this platform (grant.platform before ":").
  aliases: ["salesforce", "sfdc"],
  privileged: SALESFORCE_PRIVILEGED,
  retention: SALESFORCE_RETENTION,
  retentionReads: { shape: true },
  volumeFields: [
    // EventLogFile API / RestApi / BulkApi rows: ROWS_PROCESSED is the number of rows the request processed
    // (event-monitoring.ts keeps it, with RECORDS_PROCESSED / ROW_COUNT as fallbacks);
    // https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_eventlogfile.htm
    { field: "ROWS_PROCESSED", unit: "API calls" },
    // Real-Time Event Monitoring ApiEvent / ReportEvent: RowsProcessed. ApiEvent tracks query(), queryMore() and count()
    // calls only; https://developer.salesforce.com/docs/platform/field-reference/references/field-reference/salesforce-field-reference-apievent.html
    { field: "RowsProcessed", unit: "API calls" },
  ],
  capabilities: {
    kind: "platform",
    fields: {
      session_id: f(
        "yes",
        "LOGIN_KEY, SESSION_KEY",
        "The Login ELF sample has an empty SESSION_KEY; Setup Audit Trail has none.",
        "Ingest EventLogFile (Login, Logout, API, URI) where LOGIN_KEY ties a session together.",
      ),
      credential_id: f("no", null, "No token id.", "Nothing to enable: Salesforce logs no token id; use CONNECTED_APP_ID and LOGIN_KEY."),
      actor_kind: f(
        "partial",
        "USER_TYPE, LoginType, DELEGATED_USER_ID",
        "",
        "Ingest LoginHistory / LoginEvent (LoginType tells OAuth apps and LoginAs from people).",
      ),
      oauth_client: f("yes", "CONNECTED_APP_ID, CLIENT_ID", "", "Ingest EventLogFile ConnectedApp and API events."),
      ip: f(
        "yes",
        "CLIENT_IP / SOURCE_IP",
        "Setup Audit Trail has no IP.",
        "Ingest EventLogFile and LoginHistory as well as Setup Audit Trail, which has no IP.",
      ),
      user_agent: f(
        "partial",
        "BROWSER_TYPE",
        "Not in Setup Audit Trail.",
        "Ingest EventLogFile (BROWSER_TYPE); Setup Audit Trail has no user agent.",
      ),
      target_object: f(
        "partial",
        "URI_ID_DERIVED, ENTITY_NAME",
        "Setup Audit Trail has free text only.",
        "Enable Event Monitoring (URI / API event log files) for object-level targets.",
      ),
      approval_ref: f(
        "no",
        null,
        "No ticket or approval reference.",
        "Feed approvals (ServiceNow or Jira) so setup changes can be matched to a ticket.",
      ),
      policy_decision: f(
        "partial",
        "PolicyOutcome, PolicyId",
        "Null in the sample; needs Transaction Security policies.",
        "Enable Transaction Security policies (Real-Time Event Monitoring) to fill PolicyOutcome.",
      ),
    },
    exportHow: "download EventLogFile daily (hourly files with Event Monitoring) and Setup Audit Trail at least every 180 days",
  },
  correlation: {
    appNames: { pattern: /salesforce/i, rank: 1 },
    // EventLogFile: SESSION_KEY is the UI session's key; API events of the same session often leave it empty (an API
    // call authenticated with the session id carries LOGIN_KEY or nothing).
    keylessJoin: { rule: "keyless_join:identity+client+network+span", confidence: 0.8, slackMs: 5 * MINUTE },
    // Session settings: the "Timeout value" is 15 minutes to 24 hours of inactivity (Salesforce Help, "Modify Session
    // Security Settings"): a SESSION_KEY silent for longer is a new session.
    sessionLimits: { maxSpanMs: null, idleGapMs: 24 * HOUR },
  },
});
