import { defineSource, meanScore } from "../define-source";
import { isRec } from "../util/fields";
import { pantherLogType } from "../util/panther";
import { normalizeSalesforce, shapeOf } from "./normalize";
import { SALESFORCE_PROFILE } from "./profile";

// A record is Salesforce's when its field names are: EVENT_TYPE with TIMESTAMP/TIMESTAMP_DERIVED (EventLogFile;
// Snowflake's LOGIN_HISTORY has EVENT_TYPE but EVENT_TIMESTAMP), attributes.type of a Salesforce object, the API
// names of LoginHistory / Real-Time Event Monitoring / SetupAuditTrail, or the Setup Audit Trail download's
// column set (Date, User, Action, Section, Delegate User / Source Namespace Prefix).
function scoreRecord(r: unknown): number {
  const logType = pantherLogType(r);
  if (logType) return logType.startsWith("Salesforce.") ? 0.95 : 0;
  if (!isRec(r)) return 0;
  const s = shapeOf(r);
  if (!s) return 0;
  if (s.shape === "eventlogfile") {
    // EVENT_TYPE + TIMESTAMP with the ELF identity columns.
    const idCols = ["ORGANIZATION_ID", "REQUEST_ID", "USER_ID", "LOGIN_KEY", "SESSION_KEY", "USER_ID_DERIVED", "TIMESTAMP_DERIVED"].filter(
      (k) => Object.hasOwn(r, k),
    ).length;
    return idCols >= 2 ? 0.92 : idCols === 1 ? 0.7 : 0.4;
  }
  if (!s.inferred) return 0.92;
  return s.shape === "setup-audit-trail-csv" ? 0.9 : 0.8;
}

export const salesforce = defineSource({
  profile: SALESFORCE_PROFILE,
  formats: [
    "EventLogFile CSV (one file per event type: Login, LoginAs, Logout, API, RestApi, BulkApi, BulkApi2, ReportExport, URI, …)",
    "EventLogFile rows as JSON / NDJSON (upper-case keys, e.g. Panther's Salesforce.* logs)",
    'SOQL/REST query pages ({"records": [...]}) of LoginHistory, LoginEvent and other Real-Time Event Monitoring objects, SetupAuditTrail',
    "Setup Audit Trail CSV download (Date, User, Source Namespace Prefix, Action, Section, Delegate User)",
  ],
  detect: (probe) => {
    const s = meanScore(probe.records, scoreRecord);
    return s > 0 && /salesforce|sfdc|eventlogfile|setupaudittrail|loginhistory/i.test(probe.fileName) ? s + 0.05 : s;
  },
  normalize: (record) => normalizeSalesforce(record),
});
