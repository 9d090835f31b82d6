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
    // https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_eventlogfile.htm
    // and https://help.salesforce.com/s/articleView?id=sf.event_monitoring_intro.htm: log files are kept 30 days with
    // Event Monitoring; orgs without it get the free event types for 1 day.
    doc: "https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_eventlogfile.htm",
    note: "Download the log files daily (hourly files with Event Monitoring).",
  },
  {
    id: "login-history",
    label: "LoginHistory",
    tiers: [{ tier: "all editions", days: 180 }],
    match: shapeIs("login-history"),
    // https://help.salesforce.com/s/articleView?id=sf.users_login_history.htm: login history of the past six months.
    doc: "https://help.salesforce.com/s/articleView?id=sf.users_login_history.htm",
    note: "Six months of login history; query LoginHistory at least monthly.",
  },
  {
    id: "setup-audit-trail",
    label: "Setup Audit Trail",
    tiers: [{ tier: "all editions", days: 180 }],
    match: shapeIs("setup-audit-trail", "setup-audit-trail-csv"),
    // https://help.salesforce.com/s/articleView?id=sf.admin_monitorsetup.htm: the trail keeps 180 days of setup changes.
    doc: "https://help.salesforce.com/s/articleView?id=sf.admin_monitorsetup.htm",
    note: "Download the trail (or query SetupAuditTrail) at least every 180 days.",
  },
  {
    id: "real-time-events",
    label: "Real-Time Event Monitoring objects (LoginEvent, …)",
    tiers: [{ tier: "with Event Monitoring (Shield)", days: 180 }],
    match: shapeIs("real-time-event"),
    // https://developer.salesforce.com/docs/atlas.en-us.platform_events.meta/platform_events/real_time_event_monitoring_storage.htm
    // (big-object storage of Real-Time Event Monitoring events: six months).
    doc: "https://developer.salesforce.com/docs/atlas.en-us.platform_events.meta/platform_events/real_time_event_monitoring_storage.htm",
    note: "Stored events are kept six months.",
  },
];
