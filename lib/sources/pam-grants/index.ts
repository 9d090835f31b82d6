import { defineSource, meanScore } from "../define-source";
import { field, isRec } from "../util/fields";
import { normalizePamGrant, REQUIRED_FIELDS } from "./normalize";
import { PAM_GRANTS_PROFILE } from "./profile";
import { vendorGrantScore } from "./vendor-grants";

// A record is a grant when it has the format's own column names (docs/grant-format.md); grant_id is the one no
// vendor log uses, so without it the score stays low.
function scoreRecord(r: unknown): number {
  if (!isRec(r)) return 0;
  if (field(r, "grant_id") === undefined) return vendorGrantScore(r); // Entra PIM / AWS TEAM exports
  const has = REQUIRED_FIELDS.filter((f) => field(r, f) !== undefined).length;
  if (field(r, "grant_id") === undefined || has < 3) return 0;
  let s = 0.5 + 0.1 * has; // all four: 0.9
  if (field(r, "expires_at") !== undefined || field(r, "approved_by") !== undefined) s += 0.05;
  return s;
}

export const pamGrants = defineSource({
  profile: PAM_GRANTS_PROFILE,
  formats: [
    "JSON array, NDJSON or CSV in the Sessionproof grant format (docs/grant-format.md)",
    'Entra PIM from Microsoft Graph: roleAssignmentScheduleRequests and roleAssignmentScheduleInstances ({"value": [...]} pages)',
    "Entra PIM from the admin center: the Assignments export (CSV: Assignment State, Role Name, PrincipalName, Assignment Start/End Time (UTC))",
    "AWS TEAM (Temporary Elevated Access Management) requests (JSON items, CSV with the app's columns, or DynamoDB JSON: scan output or S3 table export)",
    "any other PAM / JIT tool's JSON or CSV export, through a declared grant mapping (--grant-mapping; docs/grant-format.md)",
  ],
  detect: (probe) => {
    const s = meanScore(probe.records, scoreRecord);
    return s > 0 && /grant/i.test(probe.fileName) ? s + 0.05 : s;
  },
  normalize: (record) => normalizePamGrant(record),
});
