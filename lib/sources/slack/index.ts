import { defineSource, meanScore } from "../define-source";
import { field, isRec } from "../util/fields";
import { pantherLogType } from "../util/panther";
import { normalizeSlack } from "./normalize";
import { SLACK_PROFILE } from "./profile";

function scoreRecord(r: unknown): number {
  const logType = pantherLogType(r);
  if (logType) return logType.startsWith("Slack.") ? 0.95 : 0;
  if (!isRec(r)) return 0;
  if (typeof field(r, "action") !== "string" || field(r, "date_create") === undefined) return 0;
  let s = 0.6;
  const actor = field(r, "actor");
  if (isRec(actor) && (isRec(field(actor, "user")) || typeof field(actor, "type") === "string")) s += 0.2;
  if (isRec(field(r, "entity")) || isRec(field(r, "context"))) s += 0.15;
  return s;
}

export const slack = defineSource({
  profile: SLACK_PROFILE,
  formats: ["JSON (Audit Logs API pages {entries:[...]})", "NDJSON (one entry per line)"],
  detect: (probe) => meanScore(probe.records, scoreRecord),
  normalize: (record) => normalizeSlack(record),
});
