import { NormalizeError } from "../types";
import { isRec, text, type Rec } from "./fields";

// Rows of the Log Analytics / Microsoft Sentinel tables that hold Entra ID and Microsoft 365 logs, as users export
// them: the portal's "Export to CSV" (header per column; datetime columns headed "TimeGenerated [UTC]" with values
// written US-style, "12/7/2026, 5:09:40.123 PM"; dynamic columns as JSON text), `az monitor log-analytics query` /
// the query API as JSON (one object per row, PascalCase column names, dynamic columns often JSON text), or NDJSON.
// Column references (Azure Monitor Logs reference, https://learn.microsoft.com/azure/azure-monitor/reference/tables/):
//  - signinlogs, aadnoninteractiveusersigninlogs, aadserviceprincipalsigninlogs, aadmanagedidentitysigninlogs:
//    the Graph signIn properties in PascalCase (UserPrincipalName, IPAddress, AuthenticationDetails, SessionId,
//    UniqueTokenIdentifier, ServicePrincipalCredentialKeyId…), plus TimeGenerated, Category, OperationName,
//    ResultType, ResultDescription, CorrelationId, Identity, LocationDetails (Graph `location`),
//    ConditionalAccessPolicies (Graph `appliedConditionalAccessPolicies`), ResourceIdentity (Graph `resourceId`), Type;
//  - auditlogs: the Graph directoryAudit properties (ActivityDisplayName, ActivityDateTime, InitiatedBy,
//    TargetResources, AdditionalDetails, LoggedByService, OperationType, Result, ResultReason), plus TimeGenerated, Type;
//  - officeactivity: the Unified Audit Log common schema with some columns renamed (OfficeId = Id, OfficeWorkload =
//    Workload, OfficeObjectId = ObjectId, Site_Url = SiteUrl, Client_IPAddress = ClientIPAddress, Event_Data =
//    EventData, AzureActiveDirectory_EventType = AzureActiveDirectoryEventType); TimeGenerated is the record's
//    CreationTime; RecordType and UserType are names, not numbers.
// Each row is turned into the shape the platform's own reader already knows (the Azure Monitor diagnostic record
// {time, category, …, properties}, or the UAL record), remembering which column each value came from so a refusal
// names the column really read.

/** Log Analytics table → the Azure Monitor diagnostic category of the same log. */
export const ENTRA_TABLES: Readonly<Record<string, string>> = {
  SigninLogs: "SignInLogs",
  AADNonInteractiveUserSignInLogs: "NonInteractiveUserSignInLogs",
  AADServicePrincipalSignInLogs: "ServicePrincipalSignInLogs",
  AADManagedIdentitySignInLogs: "ManagedIdentitySignInLogs",
  AuditLogs: "AuditLogs",
};
const TABLE_OF_CATEGORY: Record<string, string> = Object.fromEntries(
  Object.entries(ENTRA_TABLES)
    .filter(([t]) => t !== "AuditLogs")
    .map(([t, c]) => [c, t]),
);
export const OFFICE_TABLE = "OfficeActivity";

// Header suffix the portal adds to datetime columns: the zone the values are written in.
const ZONE_SUFFIX = /^(.*?)\s*\[(UTC|Local Time|[^\]]*)\]$/;

/** Where each converted value came from (the column name as exported), for refusals that name it. */
const origins = new WeakMap<Rec, Map<string, string>>();

/** The exported column a converted record's field was read from (the field name itself when not converted). */
export function columnOf(r: Rec | null, key: string): string {
  return (r && origins.get(r)?.get(key)) ?? key;
}

/** The record's table when it was converted from a Log Analytics row. */
const tables = new WeakMap<Rec, string>();
export function convertedFrom(r: Rec | null): string | null {
  return (r && tables.get(r)) ?? null;
}

/** A row's columns without the portal's zone suffix; a column written in local time cannot be placed. */
function columns(row: Rec): Map<string, { value: unknown; column: string }> {
  const out = new Map<string, { value: unknown; column: string }>();
  for (const [column, value] of Object.entries(row)) {
    const m = ZONE_SUFFIX.exec(column);
    if (m && m[2] !== "UTC") {
      throw new NormalizeError(
        `Log Analytics export column "${column}" is written in ${m[2]}, whose offset the file does not say: export the times in UTC (the portal's default display time zone)`,
      );
    }
    out.set(m ? m[1] : column, { value: cell(value), column });
  }
  return out;
}

/** A cell as exported: empty → missing, dynamic columns' JSON text → the value, True/False → boolean. */
function cell(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const s = v.trim();
  if (s === "") return undefined;
  if (/^true$/i.test(s)) return true;
  if (/^false$/i.test(s)) return false;
  if ((s[0] === "{" && s.endsWith("}")) || (s[0] === "[" && s.endsWith("]"))) {
    try {
      return JSON.parse(s);
    } catch {
      return v; // not JSON after all: the text as written
    }
  }
  return v;
}

const has = (r: Rec, k: string) => r[k] !== undefined && r[k] !== null && r[k] !== "";

/** The Log Analytics table a row comes from, by its Type column or (projected without it) its columns; null otherwise. */
export function logAnalyticsTable(r: unknown): string | null {
  if (!isRec(r)) return null;
  const keys = Object.keys(r);
  if (!keys.some((k) => k === "TimeGenerated" || k.startsWith("TimeGenerated ["))) return null;
  const type = text(r.Type);
  if (type) return ENTRA_TABLES[type] || type === OFFICE_TABLE ? type : null;
  const category = text(r.Category);
  if (category && TABLE_OF_CATEGORY[category]) return TABLE_OF_CATEGORY[category];
  if (has(r, "ActivityDisplayName") && (has(r, "InitiatedBy") || has(r, "TargetResources"))) return "AuditLogs";
  if (has(r, "Operation") && (has(r, "OfficeWorkload") || has(r, "OfficeId") || has(r, "RecordType"))) return OFFICE_TABLE;
  if (has(r, "UserPrincipalName") && has(r, "AppId") && has(r, "ResultType")) return "SigninLogs";
  return null;
}

/** PascalCase column → the Graph property's camelCase ("IPAddress" → "ipAddress", "MfaDetail" → "mfaDetail"). */
function camel(k: string): string {
  const m = /^([A-Z]+)(?=[A-Z][a-z]|\d|$)/.exec(k);
  if (m) return m[1].toLowerCase() + k.slice(m[1].length);
  return k[0].toLowerCase() + k.slice(1);
}

// Columns whose Graph property has another name.
const SIGNIN_RENAMES: Record<string, string> = {
  LocationDetails: "location",
  ConditionalAccessPolicies: "appliedConditionalAccessPolicies",
  ResourceIdentity: "resourceId",
};
// Columns of the Azure Monitor record itself (outside `properties`).
const ENVELOPE: Record<string, string> = {
  TimeGenerated: "time",
  OperationName: "operationName",
  ResultType: "resultType",
  ResultSignature: "resultSignature",
  ResultDescription: "resultDescription",
  CorrelationId: "correlationId",
  Identity: "identity",
  TenantId: "tenantId",
  Level: "level",
};
// Columns that only say where the row is stored.
const STORAGE = new Set([
  "Type",
  "SourceSystem",
  "_ResourceId",
  "_BilledSize",
  "_IsBillable",
  "_SubscriptionId",
  "MG",
  "ManagementGroupName",
]);

/**
 * An Entra ID table row as the Azure Monitor diagnostic record of its category ({time, category, operationName,
 * resultType, correlationId, properties: Graph fields}); null when the row is not from one of those tables.
 */
export function entraRecordOf(row: Rec): Rec | null {
  const table = logAnalyticsTable(row);
  if (!table || !ENTRA_TABLES[table]) return null;
  const top: Rec = { category: ENTRA_TABLES[table] };
  const props: Rec = {};
  const names = new Map<string, string>();
  for (const [k, { value, column }] of columns(row)) {
    if (value === undefined || STORAGE.has(k)) continue;
    if (ENVELOPE[k]) {
      top[ENVELOPE[k]] = value;
      names.set(ENVELOPE[k], column);
      if (k !== "TimeGenerated" && k !== "CorrelationId") continue;
    }
    if (k === "Category") {
      // Sign-in tables: the log's category (the envelope's); AuditLogs: the audit category (Graph `category`).
      if (table === "AuditLogs") props.category = value;
      continue;
    }
    if (k === "Location" && table !== "AuditLogs") continue; // the country code; LocationDetails holds the place
    const name = table === "AuditLogs" ? camel(k) : (SIGNIN_RENAMES[k] ?? camel(k));
    if (k === "TimeGenerated") continue;
    props[name] = value;
    names.set(name, column);
  }
  top.properties = props;
  origins.set(top, names);
  origins.set(props, names);
  tables.set(top, table);
  return top;
}

const OFFICE_RENAMES: Record<string, string> = {
  OfficeId: "Id",
  OfficeWorkload: "Workload",
  OfficeObjectId: "ObjectId",
  OfficeTenantId: "OrganizationId",
  Site_Url: "SiteUrl",
  Site_: "Site",
  Client_IPAddress: "ClientIPAddress",
  Event_Data: "EventData",
  AzureActiveDirectory_EventType: "AzureActiveDirectoryEventType",
  TimeGenerated: "CreationTime",
};

/** An OfficeActivity row as the Unified Audit Log record it copies; null when the row is not from that table. */
export function officeRecordOf(row: Rec): Rec | null {
  if (logAnalyticsTable(row) !== OFFICE_TABLE) return null;
  const out: Rec = {};
  const names = new Map<string, string>();
  for (const [k, { value, column }] of columns(row)) {
    if (value === undefined || STORAGE.has(k) || k === "TenantId") continue;
    const name = OFFICE_RENAMES[k] ?? k;
    if (name === "OrganizationId" && out.OrganizationId !== undefined) continue;
    out[name] = value;
    names.set(name, column);
  }
  origins.set(out, names);
  tables.set(out, OFFICE_TABLE);
  return out;
}
