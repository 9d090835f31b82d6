import type { NormalizedEvent } from "@/lib/events/schema";
import { NormalizeError } from "../types";
import { isRec, type Rec, textAt } from "../util/fields";
import { unwrapPanther } from "../util/panther";
import { SALESFORCE_PLATFORM } from "./common";
import { normalizeElf, normalizeLoginHistory, normalizeRealTime } from "./event-monitoring";
import { normalizeSetupAuditCsv, normalizeSetupAuditTrail } from "./setup-audit";

export { SALESFORCE_PLATFORM };

export type SalesforceShape =
  "eventlogfile" | "real-time-event" | "login-history" | "setup-audit-trail" | "setup-audit-trail-csv" | "eventlogfile-metadata";

const has = (r: Rec, k: string) => r[k] !== undefined && r[k] !== null && r[k] !== "";
const present = (r: Rec, k: string) => Object.hasOwn(r, k);

// Real-Time Event Monitoring objects end in Event / EventStream / EventStore (LoginEvent, ApiEventStream,
// ApiAnomalyEventStore); attributes.type names the object in every SOQL/REST result.
const RTEM_TYPE = /^[A-Z][A-Za-z0-9]*(?:Event|EventStream|EventStore)$/;

/** The Real-Time Event Monitoring object of a record without `attributes`, from its documented fields; null when unsure. */
function inferRealTimeObject(r: Rec): string | null {
  if (present(r, "DelegatedUsername")) return "LoginAsEvent"; // LoginAsEvent(Stream)
  if (present(r, "LoginType") && present(r, "Status")) return "LoginEvent"; // LoginEvent(Stream)
  if (present(r, "ReportId")) return "ReportEvent"; // ReportEvent(Stream)
  if (present(r, "ListViewId")) return "ListViewEvent";
  // ApiEvent(Stream): an API call's type with its query / operation (BulkApiResultEvent has no ApiType).
  if (present(r, "ApiType") && (present(r, "Operation") || present(r, "QueriedEntities") || present(r, "Query"))) return "ApiEvent";
  return null;
}

/** Which Salesforce record this is, from its own field names (exact documented spelling); null when none. */
export function shapeOf(r: Rec): { shape: SalesforceShape; objectType: string | null; inferred: boolean } | null {
  const type = textAt(r, "attributes", "type");
  if (type === "LoginHistory") return { shape: "login-history", objectType: type, inferred: false };
  if (type === "SetupAuditTrail") return { shape: "setup-audit-trail", objectType: type, inferred: false };
  if (type === "EventLogFile") return { shape: "eventlogfile-metadata", objectType: type, inferred: false };
  if (type && RTEM_TYPE.test(type)) return { shape: "real-time-event", objectType: type, inferred: false };
  // EventLogFile row (CSV header or JSON keys, upper case): EVENT_TYPE with TIMESTAMP / TIMESTAMP_DERIVED.
  if (
    typeof r.EVENT_TYPE === "string" &&
    (has(r, "TIMESTAMP") || has(r, "TIMESTAMP_DERIVED") || present(r, "TIMESTAMP") || present(r, "TIMESTAMP_DERIVED"))
  ) {
    return { shape: "eventlogfile", objectType: null, inferred: false };
  }
  // The same objects without `attributes` (Data Loader / CLI CSV with API field names, or stripped JSON).
  if (present(r, "LoginTime") && present(r, "UserId") && (present(r, "LoginType") || present(r, "SourceIp")))
    return { shape: "login-history", objectType: "LoginHistory", inferred: true };
  // Pub/Sub and streaming (CometD) payloads and their exports carry no `attributes`: the object is told from the
  // fields only it has (Platform Events Developer Guide field lists).
  if (
    present(r, "EventDate") &&
    (present(r, "LoginKey") || present(r, "SessionKey") || present(r, "EventIdentifier") || present(r, "EventUuid")) &&
    (present(r, "UserId") || present(r, "Username"))
  ) {
    return { shape: "real-time-event", objectType: inferRealTimeObject(r), inferred: true };
  }
  if (present(r, "CreatedDate") && present(r, "Action") && present(r, "Section") && (present(r, "Display") || present(r, "CreatedById"))) {
    return { shape: "setup-audit-trail", objectType: "SetupAuditTrail", inferred: true };
  }
  if (
    present(r, "Date") &&
    present(r, "User") &&
    present(r, "Action") &&
    present(r, "Section") &&
    (present(r, "Delegate User") || present(r, "Source Namespace Prefix"))
  ) {
    return { shape: "setup-audit-trail-csv", objectType: null, inferred: false };
  }
  if (present(r, "LogFile") && present(r, "EventType") && present(r, "LogDate"))
    return { shape: "eventlogfile-metadata", objectType: "EventLogFile", inferred: true };
  return null;
}

export function normalizeSalesforce(input: unknown): NormalizedEvent[] {
  const { record } = unwrapPanther(input, /^Salesforce\./, "Salesforce");
  if (!isRec(record)) throw new NormalizeError("not a JSON object");
  const s = shapeOf(record);
  if (!s) {
    throw new NormalizeError(
      "not a Salesforce record: no EVENT_TYPE + TIMESTAMP (EventLogFile), attributes.type, LoginHistory, Real-Time Event Monitoring or Setup Audit Trail fields",
    );
  }
  switch (s.shape) {
    case "eventlogfile":
      return normalizeElf(record);
    case "real-time-event":
      if (!s.objectType)
        throw new NormalizeError("Real-Time Event Monitoring record without attributes.type: which event object it is cannot be told");
      return normalizeRealTime(record, s.objectType, s.inferred);
    case "login-history":
      return normalizeLoginHistory(record);
    case "setup-audit-trail":
      return normalizeSetupAuditTrail(record);
    case "setup-audit-trail-csv":
      return normalizeSetupAuditCsv(record);
    case "eventlogfile-metadata":
      throw new NormalizeError(
        "EventLogFile metadata record (LogFile is a link to the CSV): download the LogFile and ingest the CSV itself",
      );
  }
}
