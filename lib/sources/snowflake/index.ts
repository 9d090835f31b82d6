import { defineSource, meanScore } from "../define-source";
import { isRec } from "../util/fields";
import { pantherLogType } from "../util/panther";
import { normalizeSnowflake, viewOf } from "./normalize";
import { SNOWFLAKE_PROFILE } from "./profile";

// A row is Snowflake's when its columns are those of an ACCOUNT_USAGE view (viewOf: EVENT_TIMESTAMP +
// authentication factors, SESSION_ID + LOGIN_EVENT_ID, QUERY_TYPE + EXECUTION_STATUS, *_OBJECTS_ACCESSED, …): names
// Salesforce EventLogFile (EVENT_TYPE, TIMESTAMP, …) and Purview (CreationDate, UserIds, Operations, AuditData)
// CSVs do not have, so their files are not claimed.
function scoreRecord(r: unknown): number {
  const logType = pantherLogType(r);
  if (logType) return logType.startsWith("Snowflake.") ? 0.95 : 0;
  if (!isRec(r)) return 0;
  return viewOf(r) ? 0.9 : 0;
}

export const snowflake = defineSource({
  profile: SNOWFLAKE_PROFILE,
  formats: [
    "LOGIN_HISTORY, SESSIONS, QUERY_HISTORY, ACCESS_HISTORY (and GRANTS_TO_USERS / GRANTS_TO_ROLES) exported as CSV with a header row",
    "the same views as a JSON array or NDJSON of objects (column names as keys)",
  ],
  detect: (probe) => {
    const s = meanScore(probe.records, scoreRecord);
    return s > 0 && /snowflake|login_history|query_history|access_history|sessions/i.test(probe.fileName) ? s + 0.05 : s;
  },
  normalize: (record) => normalizeSnowflake(record),
});
