import { defineSource, meanScore } from "../define-source";
import { field, isRec } from "../util/fields";
import { pantherLogType } from "../util/panther";
import { isDigestFile, normalizeCloudTrail } from "./normalize";
import { AWS_CLOUDTRAIL_PROFILE } from "./profile";

function scoreRecord(r: unknown): number {
  if (isDigestFile(r)) return 0.95;
  const logType = pantherLogType(r);
  if (logType) return logType.startsWith("AWS.CloudTrail") ? 0.95 : 0;
  if (!isRec(r)) return 0;
  if (typeof field(r, "CloudTrailEvent") === "string" || typeof field(r, "eventJson") === "string") return 0.9;
  if (typeof field(r, "eventName") !== "string") return 0;
  let s = 0.3;
  if (typeof field(r, "eventSource") === "string" && /\.amazonaws\.com$/.test(field(r, "eventSource") as string)) s += 0.3;
  if (isRec(field(r, "userIdentity"))) s += 0.15;
  if (field(r, "awsRegion") !== undefined) s += 0.1;
  if (field(r, "eventVersion") !== undefined || field(r, "eventID") !== undefined) s += 0.1;
  return s;
}

export const awsCloudTrail = defineSource({
  profile: AWS_CLOUDTRAIL_PROFILE,
  formats: [
    'trail files as delivered to S3 ({"Records": [...]}, .json.gz)',
    'Event history JSON / lookup-events ({"Events": [...]} with CloudTrailEvent strings)',
    "CloudTrail Lake eventJson rows",
    "NDJSON of events",
    "digest files (CloudTrail-Digest/…json.gz) in the same prefix are recognised and skipped: they hold hashes, no events",
  ],
  detect: (probe) => {
    let s = meanScore(probe.records, scoreRecord);
    if (s > 0 && probe.envelopeKey === "Records") s += 0.05;
    return s > 0 && /cloudtrail/i.test(probe.fileName) ? s + 0.05 : s;
  },
  normalize: (record) => normalizeCloudTrail(record),
});
