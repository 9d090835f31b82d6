import { defineSource, meanScore } from "../define-source";
import { field, recAt } from "../util/fields";
import { pantherLogType } from "../util/panther";
import { isConfluenceAuditRecord, isDcAuditEntity, isJiraAuditRecord, isOrgEvent, normalizeAtlassian } from "./normalize";
import { ATLASSIAN_PROFILE } from "./profile";

// The org audit log's {type: "events", attributes: {action, time, actor, context, container}} and Jira's
// auditing records {summary, created, objectItem, authorAccountId, changedValues} are unlike any other platform's
// records; Azure Monitor's "records" envelope holds {time, category, operationName, properties} instead.
function scoreRecord(r: unknown): number {
  const logType = pantherLogType(r);
  if (logType) return logType.startsWith("Atlassian.") ? 0.95 : 0;
  if (isOrgEvent(r)) {
    const a = recAt(r, "attributes");
    let s = 0.6;
    if (field(r, "type") === "events") s += 0.2;
    if (recAt(a, "actor") !== null || Array.isArray(field(a, "container")) || Array.isArray(field(a, "context"))) s += 0.15;
    return s;
  }
  if (isJiraAuditRecord(r)) {
    let s = 0.6;
    if (typeof field(r, "category") === "string") s += 0.1;
    if (recAt(r, "objectItem") !== null) s += 0.1;
    if (Array.isArray(field(r, "changedValues")) || Array.isArray(field(r, "associatedItems"))) s += 0.1;
    return s;
  }
  if (isConfluenceAuditRecord(r)) {
    let s = 0.6;
    if (typeof field(r, "category") === "string") s += 0.1;
    if (recAt(r, "affectedObject") !== null || Array.isArray(field(r, "associatedObjects"))) s += 0.15;
    return s;
  }
  if (isDcAuditEntity(r)) {
    let s = 0.7;
    if (Array.isArray(field(r, "affectedObjects")) || Array.isArray(field(r, "extraAttributes"))) s += 0.15;
    return s;
  }
  return 0;
}

export const atlassian = defineSource({
  profile: ATLASSIAN_PROFILE,
  formats: [
    'organization audit log API (GET /admin/v1/orgs/{orgId}/events: {"data": [...]})',
    'Jira Cloud auditing records (GET /rest/api/3/auditing/record: {"records": [...]})',
    'Confluence Cloud audit (GET /wiki/rest/api/audit: {"results": [...]})',
    'Jira / Confluence / Bitbucket Data Center auditing (GET /rest/auditing/1.0/events: {"entities": [...]})',
    "NDJSON of events",
  ],
  detect: (probe) => {
    let s = meanScore(probe.records, scoreRecord);
    if (
      s > 0 &&
      (probe.envelopeKey === "data" ||
        probe.envelopeKey === "records" ||
        probe.envelopeKey === "results" ||
        probe.envelopeKey === "entities")
    )
      s += 0.03;
    return s > 0 && /atlassian|jira|confluence|audit/i.test(probe.fileName) ? s + 0.02 : s;
  },
  normalize: (record) => normalizeAtlassian(record),
});
