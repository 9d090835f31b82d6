import { defineSource, meanScore } from "../define-source";
import { field, isRec } from "../util/fields";
import { pantherLogType } from "../util/panther";
import { normalizeOkta } from "./normalize";
import { OKTA_PROFILE } from "./profile";

function scoreRecord(r: unknown): number {
  const logType = pantherLogType(r);
  if (logType) return logType.startsWith("Okta.") ? 0.95 : 0;
  if (!isRec(r)) return 0;
  const eventType = field(r, "eventType");
  if (typeof eventType !== "string" || !/^[a-z0-9_]+(\.[a-z0-9_]+)+$/.test(eventType)) return 0;
  let s = 0.4;
  if (field(r, "uuid") !== undefined) s += 0.15;
  if (field(r, "published") !== undefined) s += 0.15;
  if (isRec(field(r, "actor"))) s += 0.1;
  if (field(r, "legacyEventType") !== undefined || field(r, "displayMessage") !== undefined) s += 0.1;
  if (isRec(field(r, "outcome")) || isRec(field(r, "authenticationContext"))) s += 0.05;
  return s;
}

export const okta = defineSource({
  profile: OKTA_PROFILE,
  formats: ["JSON array (GET /api/v1/logs)", "NDJSON"],
  detect: (probe) => {
    const s = meanScore(probe.records, scoreRecord);
    return s > 0 && /okta/i.test(probe.fileName) ? s + 0.05 : s;
  },
  normalize: (record) => normalizeOkta(record),
});
