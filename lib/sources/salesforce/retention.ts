import { shapeIs, type LogTypeRetention } from "../vendor-retention";

// The Salesforce source writes extra.shape for each feed (normalize.ts shapeOf).
export const SALESFORCE_RETENTION: readonly LogTypeRetention[] = [
  {
    id: "eventlogfile",
    label: "EventLogFile (Event Monitoring)",
    tiers: [
      { tier: "without Event Monitoring (free event types)", days: 1 },
      { tier: "with Event Monitoring (Shield)", days: 30 },
    ],
    match: shapeIs("eventlogfile", "eventlogfile-metadata"),
    // 30 days confirmed: https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/using_resources_event_log_files.htm
    // ("Log files are available for 30 days after their CreatedDate in orgs with Event Monitoring licenses, after which
    // they're automatically deleted. In all Developer Edition orgs, log files are available for 1 day.").
    // The 1-day figure for production orgs without Event Monitoring (free event types) is not confirmed in the stored docs:
    // the vendor page gives 1 day only for Developer Edition orgs.
    doc: "https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/using_resources_event_log_files.htm",
    note: "Download the log files daily (hourly files with Event Monitoring).",
  },
  {
    id: "login-history",
    label: "LoginHistory",
    tiers: [{ tier: "all editions", days: 180 }],
    match: shapeIs("login-history"),
    // Confirmed: https://developer.salesforce.com/docs/atlas.en-us.securityImplGuide.meta/securityImplGuide/users_login_history.htm
    // ("The Login History page shows up to 20,000 records of user logins for the past 6 months.").
    doc: "https://developer.salesforce.com/docs/atlas.en-us.securityImplGuide.meta/securityImplGuide/users_login_history.htm",
    note: "Six months of login history; query LoginHistory at least monthly.",
  },
  {
    id: "setup-audit-trail",
    label: "Setup Audit Trail",
    tiers: [{ tier: "all editions", days: 180 }],
    match: shapeIs("setup-audit-trail", "setup-audit-trail-csv"),
    // Confirmed: https://developer.salesforce.com/docs/platform/object-reference/references/standard-objects/object-setupaudittrail.html
    // (SetupAuditTrail "Represents changes you or other admins made in your org's Setup area for at least the last 180 days.").
    doc: "https://developer.salesforce.com/docs/platform/object-reference/references/standard-objects/object-setupaudittrail.html",
    note: "Download the trail (or query SetupAuditTrail) at least every 180 days.",
  },
  {
    id: "real-time-events",
    label: "Real-Time Event Monitoring objects (LoginEvent, …)",
    tiers: [{ tier: "with Event Monitoring (Shield)", days: 180 }],
    match: shapeIs("real-time-event"),
    // Confirmed: https://developer.salesforce.com/docs/atlas.en-us.securityImplGuide.meta/securityImplGuide/real_time_event_monitoring_storage.htm
    // ("big objects, which are ideal for storing large volumes of data for up to six months"; per object "Data is stored for
    // up to 6 months."; "Requires Salesforce Shield or Salesforce Event Monitoring add-on subscriptions").
    doc: "https://developer.salesforce.com/docs/atlas.en-us.securityImplGuide.meta/securityImplGuide/real_time_event_monitoring_storage.htm",
    note: "Stored events are kept six months.",
  },
];
