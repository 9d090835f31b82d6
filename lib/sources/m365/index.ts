import { defineSource, meanScore } from "../define-source";
import { field, isRec } from "../util/fields";
import { pantherLogType } from "../util/panther";
import { isPurviewRow, isUalRecord, normalizeM365 } from "./normalize";
import { M365_PROFILE } from "./profile";
import { logAnalyticsTable, OFFICE_TABLE } from "../util/log-analytics";

// CreationTime + Operation + RecordType/Workload/UserKey/OrganizationId is the UAL common schema (Entra ID's own
// logs use createdDateTime/activityDateTime and refuse these records); a Purview CSV row carries AuditData.
function scoreRecord(r: unknown): number {
  const logType = pantherLogType(r);
  if (logType) return logType.startsWith("Microsoft365.") ? 0.95 : 0;
  const table = logAnalyticsTable(r);
  if (table) return table === OFFICE_TABLE ? 0.95 : 0; // the Entra tables are the entra source's
  if (isPurviewRow(r)) return field(r, "CreationDate") !== undefined || field(r, "RecordId") !== undefined ? 0.95 : 0.8;
  if (!isUalRecord(r)) return 0;
  let s = 0.6;
  if (field(r, "Workload") !== undefined) s += 0.1;
  if (field(r, "RecordType") !== undefined) s += 0.1;
  if (field(r, "UserKey") !== undefined || field(r, "OrganizationId") !== undefined) s += 0.1;
  if (isRec(field(r, "AppAccessContext")) || field(r, "UserType") !== undefined) s += 0.05;
  return s;
}

export const m365 = defineSource({
  profile: M365_PROFILE,
  formats: [
    "Office 365 Management Activity API content blobs (JSON array of common-schema records)",
    "Purview audit search CSV export (CreationDate, UserIds, Operations, AuditData)",
    "NDJSON of records",
    "Log Analytics / Microsoft Sentinel OfficeActivity table (portal CSV export with US-style [UTC] times, or JSON / NDJSON rows)",
  ],
  detect: (probe) => {
    const s = meanScore(probe.records, scoreRecord);
    return s > 0 && /m365|o365|office|unified|audit.?log|purview|ual/i.test(probe.fileName) ? s + 0.03 : s;
  },
  normalize: (record) => normalizeM365(record),
});
