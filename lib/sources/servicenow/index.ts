import { defineSource, meanScore } from "../define-source";
import { field, isRec, keyText } from "../util/fields";
import { pantherLogType } from "../util/panther";
import { isApproverRecord, normalizeServiceNow } from "./normalize";
import { SERVICENOW_PROFILE } from "./profile";

const TASK_NUMBER = /^[A-Z]{2,8}\d{5,}$/; // CHG0030001, RITM0010002, INC0012345
const SYS_ID = /^[0-9a-f]{32}$/;

function sysIdOf(v: unknown): boolean {
  const t = keyText(isRec(v) ? field(v, "value") : v);
  return t !== null && SYS_ID.test(t);
}

function scoreRecord(r: unknown): number {
  const logType = pantherLogType(r);
  if (logType) return /^ServiceNow\./.test(logType) ? 0.95 : 0;
  if (!isRec(r)) return 0;
  // sys_id (32 hex) is ServiceNow's own key; without it nothing here is taken as ServiceNow.
  if (!sysIdOf(field(r, "sys_id"))) return 0;
  if (isApproverRecord(r)) return 0.9;
  const num = field(r, "number");
  const numText = keyText(isRec(num) ? (field(num, "value") ?? field(num, "display_value")) : num);
  let s = 0.4;
  if (numText && TASK_NUMBER.test(numText)) s += 0.3;
  if (field(r, "sys_updated_on") !== undefined || field(r, "sys_created_on") !== undefined) s += 0.1;
  if (field(r, "approval") !== undefined || field(r, "cmdb_ci") !== undefined || field(r, "start_date") !== undefined) s += 0.1;
  return s;
}

export const servicenow = defineSource({
  profile: SERVICENOW_PROFILE,
  formats: [
    'Table API JSON: GET /api/now/table/change_request ({"result": [...]}, any sysparm_display_value)',
    "Table API JSON: GET /api/now/table/sysapproval_approver",
    "NDJSON of those records",
  ],
  detect: (probe) => {
    let s = meanScore(probe.records, scoreRecord);
    if (s > 0 && probe.envelopeKey === "result") s += 0.03;
    return s > 0 && /servicenow|change_request|sysapproval|snow/i.test(probe.fileName) ? s + 0.05 : s;
  },
  normalize: (record) => normalizeServiceNow(record),
});
