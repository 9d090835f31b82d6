import { defineSource, meanScore } from "../define-source";
import { field, isRec, recAt } from "../util/fields";
import { pantherLogType } from "../util/panther";
import { isUnifiedAuditLogRecord, normalizeEntra, SIGNIN_CATEGORIES } from "./normalize";
import { ENTRA_PROFILE } from "./profile";
import { ENTRA_TABLES, logAnalyticsTable } from "../util/log-analytics";

function scoreRecord(r: unknown): number {
  const logType = pantherLogType(r);
  if (logType) return logType.startsWith("Azure.") ? 0.95 : 0; // Microsoft365.* is the m365 source's
  if (!isRec(r) || isUnifiedAuditLogRecord(r)) return 0;
  const table = logAnalyticsTable(r);
  if (table) return ENTRA_TABLES[table] ? 0.95 : 0; // OfficeActivity is the m365 source's
  const props = recAt(r, "properties");
  if (props) {
    const category = field(r, "category");
    if (typeof category === "string" && (SIGNIN_CATEGORIES[category] || category === "AuditLogs")) return 0.9;
    if (field(props, "activityDisplayName") !== undefined || field(props, "createdDateTime") !== undefined) return 0.6;
    return 0;
  }
  // Graph signIn / directoryAudit.
  if (
    field(r, "createdDateTime") !== undefined &&
    (field(r, "userPrincipalName") !== undefined || field(r, "servicePrincipalId") !== undefined)
  ) {
    return field(r, "appId") !== undefined || field(r, "conditionalAccessStatus") !== undefined ? 0.9 : 0.7;
  }
  if (field(r, "activityDisplayName") !== undefined && field(r, "activityDateTime") !== undefined) return 0.9;
  return 0;
}

export const entra = defineSource({
  profile: ENTRA_PROFILE,
  formats: [
    'sign-in logs: Graph /auditLogs/signIns ({"value": [...]} or array)',
    "audit logs: Graph /auditLogs/directoryAudits",
    'Azure Monitor diagnostic settings: SignInLogs, NonInteractiveUserSignInLogs, ServicePrincipalSignInLogs, ManagedIdentitySignInLogs, AuditLogs ({"records": [...]} or NDJSON)',
    "Log Analytics / Microsoft Sentinel tables SigninLogs, AADNonInteractiveUserSignInLogs, AADServicePrincipalSignInLogs, AADManagedIdentitySignInLogs, AuditLogs (portal CSV export with US-style [UTC] times, or JSON / NDJSON rows)",
  ],
  detect: (probe) => {
    const s = meanScore(probe.records, scoreRecord);
    return s > 0 && /entra|azure|aad|signin|sign-in|directoryaudit/i.test(probe.fileName) ? s + 0.05 : s;
  },
  normalize: (record) => normalizeEntra(record),
});
