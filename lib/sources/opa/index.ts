import { defineSource, meanScore } from "../define-source";
import { isRec } from "../util/fields";
import { normalizeOpa } from "./normalize";
import { OPA_PROFILE } from "./profile";

// A record is an OPA decision log entry when it has a decision_id with the entry's other documented fields (path,
// input, result, labels, bundles, requested_by, metrics); the console logger's lines say so in `type`.
function scoreRecord(r: unknown): number {
  if (!isRec(r) || typeof r.decision_id !== "string") return 0;
  if (r.type === "openpolicyagent.org/decision_logs" || r.msg === "Decision Log") return 0.95;
  let n = 0;
  for (const k of ["path", "input", "result", "labels", "bundles", "requested_by", "metrics", "timestamp", "req_id"]) if (k in r) n++;
  return n >= 4 ? 0.9 : n >= 2 ? 0.6 : 0;
}

export const opa = defineSource({
  profile: OPA_PROFILE,
  formats: [
    "decision log JSON arrays as the HTTP upload sends them (gzip ok)",
    'NDJSON from the console decision logger (msg "Decision Log")',
  ],
  detect: (probe) => {
    const s = meanScore(probe.records, scoreRecord);
    return s > 0 && /decision|opa/i.test(probe.fileName) ? s + 0.05 : s;
  },
  normalize: (record) => normalizeOpa(record),
});
