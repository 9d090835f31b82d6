import { defineSource, meanScore } from "../define-source";
import { field, isRec } from "../util/fields";
import { pantherLogType } from "../util/panther";
import { normalizeGitHub } from "./normalize";
import { GITHUB_PROFILE } from "./profile";

function scoreRecord(r: unknown): number {
  const logType = pantherLogType(r);
  if (logType) return logType.startsWith("GitHub.") ? 0.95 : 0;
  if (!isRec(r)) return 0;
  const action = field(r, "action");
  if (typeof action !== "string" || !/^[a-z0-9_]+(\.[a-z0-9_]+)+$/.test(action)) return 0;
  // Okta's eventType looks alike, but Okta records have no `action`; CloudTrail has no dotted action.
  let s = 0.35;
  if (typeof field(r, "actor") === "string") s += 0.2;
  if (field(r, "@timestamp") !== undefined || field(r, "_document_id") !== undefined) s += 0.3;
  else if (field(r, "created_at") !== undefined) s += 0.15;
  if (field(r, "org") !== undefined || field(r, "repo") !== undefined || field(r, "business") !== undefined) s += 0.1;
  return s;
}

export const github = defineSource({
  profile: GITHUB_PROFILE,
  formats: ["NDJSON (audit log streaming to storage)", "JSON array (REST /orgs/{org}/audit-log, /enterprises/{e}/audit-log)"],
  detect: (probe) => {
    const s = meanScore(probe.records, scoreRecord);
    return s > 0 && /github|audit[-_]?log/i.test(probe.fileName) ? s + 0.05 : s;
  },
  normalize: (record) => normalizeGitHub(record),
});
