import { defineSource, meanScore } from "../define-source";
import { field, isRec } from "../util/fields";
import { pantherLogType } from "../util/panther";
import { isJiraIssue, isSearchPage, normalizeJira } from "./normalize";
import { JIRA_PROFILE } from "./profile";

const ISSUE_KEY = /^[A-Z][A-Z0-9_]+-\d+$/;

// An issue is {key: "SEC-142", fields: {...}}: Jira's audit records (auditing/record) and the Atlassian org
// audit log have neither, so they stay with the atlassian source.
function scoreRecord(r: unknown): number {
  const logType = pantherLogType(r);
  if (logType) return /^Jira\.Issue/.test(logType) ? 0.95 : 0;
  if (isSearchPage(r)) {
    const first = (field(r, "issues") as unknown[])[0];
    return first === undefined ? 0 : scoreRecord(first);
  }
  if (!isJiraIssue(r)) return 0;
  let s = 0.5;
  if (ISSUE_KEY.test(field(r, "key") as string)) s += 0.2;
  const fields = field(r, "fields");
  if (isRec(fields) && (isRec(field(fields, "status")) || field(fields, "summary") !== undefined)) s += 0.15;
  if (isRec(field(r, "changelog")) || typeof field(r, "self") === "string") s += 0.05;
  return s;
}

export const jira = defineSource({
  profile: JIRA_PROFILE,
  formats: ['REST API search JSON ({"issues": [...]}, expand=changelog,names)', "single issue JSON", "NDJSON of issues"],
  detect: (probe) => {
    let s = meanScore(probe.records, scoreRecord);
    if (s > 0 && probe.envelopeKey === "issues") s += 0.05;
    return s > 0 && /jira|issue/i.test(probe.fileName) ? s + 0.03 : s;
  },
  normalize: (record) => normalizeJira(record),
});
