import { defineSource, meanScore } from "../define-source";
import { field, isRec, recAt } from "../util/fields";
import { pantherLogType } from "../util/panther";
import { isEmptyActivitiesPage, normalizeGoogle } from "./normalize";
import { GOOGLE_WORKSPACE_PROFILE } from "./profile";

function scoreRecord(r: unknown): number {
  const logType = pantherLogType(r);
  if (logType) return /^(GSuite|GoogleWorkspace|Google)\./.test(logType) ? 0.95 : 0;
  if (!isRec(r)) return 0;
  if (isEmptyActivitiesPage(r)) return 0.9;
  const id = recAt(r, "id");
  if (!id || typeof field(id, "applicationName") !== "string" || field(id, "time") === undefined) return 0;
  let s = 0.6;
  if (typeof field(r, "kind") === "string" && String(field(r, "kind")).startsWith("admin#reports#")) s += 0.3;
  if (Array.isArray(field(r, "events")) || typeof field(r, "name") === "string") s += 0.1;
  return s;
}

export const googleWorkspace = defineSource({
  profile: GOOGLE_WORKSPACE_PROFILE,
  formats: [
    "JSON (Admin SDK Reports activities.list pages {items:[...]}; a page without items is an empty page)",
    "NDJSON (one activity per line; flattened exporter variant)",
  ],
  detect: (probe) => meanScore(probe.records, scoreRecord),
  normalize: (record) => normalizeGoogle(record),
});
