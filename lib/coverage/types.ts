import { z } from "zod";
import { DOCUMENTED, EVIDENCE_FIELDS, PLATFORM_KINDS, type EvidenceField } from "@/lib/sources/capabilities";

// Shared shapes of the coverage report. The capability data types live with the platform profiles
// (lib/sources/capabilities.ts) and are re-exported here.
export {
  EVIDENCE_FIELDS,
  type Documented,
  type EvidenceField,
  type FieldCapability,
  type PlatformCapability,
} from "@/lib/sources/capabilities";

export const EVIDENCE_FIELD_LABELS: Record<EvidenceField, string> = {
  session_id: "Session id",
  credential_id: "Credential id",
  actor_kind: "Actor kind",
  oauth_client: "OAuth client",
  ip: "IP address",
  user_agent: "User agent",
  target_object: "Target object",
  approval_ref: "Approval reference",
  policy_decision: "Policy decision",
};

const VENDOR_RETENTION_STATUSES = ["documented", "unknown", "not_applicable"] as const;

// The coverage report (GET /api/v1/coverage), as zod schemas with their types inferred from them.
const isoTime = z.string();
const count = z.number().int().min(0);
const share = z.number().min(0).max(1);

const fieldCoverage = z.object({
  field: z.enum(EVIDENCE_FIELDS),
  /** Events of the platform where the field is filled. */
  filled: count,
  /** filled / events, 0..1; null when the platform has no events. */
  rate: share.nullable(),
  documented: z.enum(DOCUMENTED),
  vendorField: z.string().nullable(),
  note: z.string(),
});
export type FieldCoverage = z.infer<typeof fieldCoverage>;

// The platform's vendor retention as one figure: its shortest-kept log type (lib/sources/vendor-retention.ts
// summarizeRetention over lib/sources/<platform>/retention.ts), named and cited; the per-log-type figures are in the
// log retention report (lib/coverage/log-retention.ts).
const platformRetention = z.object({
  /** The shortest tier of the shortest-kept log type; null when the vendor documents none (or no window applies). */
  vendorDays: z.number().nullable(),
  vendorStatus: z.enum(VENDOR_RETENTION_STATUSES),
  /** The log type the figure is for (its retention.ts id and label); null for governance and unknown platforms. */
  logType: z.string().nullable(),
  logTypeLabel: z.string().nullable(),
  /** The license tier the days are for. */
  vendorTier: z.string().nullable(),
  vendorNote: z.string(),
  /** The vendor page the figure comes from (the log type's doc); null without a retention table. */
  citation: z.string().nullable(),
  requiredDays: z.number(),
  /** ISO time of the oldest and newest events held here. */
  oldestEventTime: isoTime.nullable(),
  newestEventTime: isoTime.nullable(),
  /** Whole days of history held here (newest - oldest); null without events. */
  heldDays: z.number().nullable(),
  /** Whether history held here reaches back the required days from the newest event. */
  historyCoversRequired: z.boolean().nullable(),
  /** newest event time + vendor days: the newest data ingested disappears from the vendor after this; export before it. */
  exportBy: isoTime.nullable(),
  /** The vendor keeps fewer days than required: continuous export (at least every vendorDays days) is needed. */
  vendorShort: z.boolean().nullable(),
  status: z.enum(["ok", "export_needed", "unknown", "not_applicable"]),
});
export type PlatformRetention = z.infer<typeof platformRetention>;

const joinAbility = z.object({
  events: count,
  withSession: count,
  /** Of withSession: through a session id the platform logged (event.sessionKey), not a session grouped by time. */
  withLoggedSession: count,
  withIdentity: count,
  privileged: count,
  privilegedWithApproval: count,
  /** Shares 0..1; null when the denominator is zero (no events / no privileged events). */
  sessionRate: share.nullable(),
  loggedSessionRate: share.nullable(),
  identityRate: share.nullable(),
  approvalRate: share.nullable(),
});
export type JoinAbility = z.infer<typeof joinAbility>;

const coverageGap = z.object({
  platform: z.string(),
  label: z.string(),
  kind: z.enum(["field", "retention", "join"]),
  /** The evidence field for field gaps; "retention" / "session" / "identity" / "approval" otherwise. */
  subject: z.enum([...EVIDENCE_FIELDS, "retention", "session", "identity", "approval"]),
  severity: z.enum(["high", "medium", "low"]),
  problem: z.string(),
  recommendation: z.string(),
});
export type CoverageGap = z.infer<typeof coverageGap>;

const platformCoverage = z.object({
  platform: z.string(),
  label: z.string(),
  kind: z.enum(PLATFORM_KINDS),
  events: count,
  firstEventTime: isoTime.nullable(),
  lastEventTime: isoTime.nullable(),
  fields: z.array(fieldCoverage),
  join: joinAbility,
  retention: platformRetention,
});
export type PlatformCoverage = z.infer<typeof platformCoverage>;

export const coverageReport = z.object({
  generatedAt: isoTime,
  requiredRetentionDays: z.number().int(),
  totalEvents: count,
  platforms: z.array(platformCoverage),
  gaps: z.array(coverageGap),
  /**
   * Fields a platform's logs do not provide at all (the vendor documents none): nothing an export or a setting can
   * fix, so they are not counted as gaps; listed apart, with what to rely on instead.
   */
  limitations: z.array(coverageGap),
});
export type CoverageReport = z.infer<typeof coverageReport>;

export const REQUIRED_RETENTION_KEY = "coverage.requiredRetentionDays";
export const DEFAULT_REQUIRED_RETENTION_DAYS = 365;

/** The required-retention setting: whole days, one day to ten years. */
export const requiredRetentionInput = z.object({
  requiredRetentionDays: z.coerce
    .number()
    .int("Enter a whole number of days.")
    .min(1, "Required retention must be at least 1 day.")
    .max(3650, "Required retention can be at most 3650 days (10 years)."),
});
export type RequiredRetentionInput = z.output<typeof requiredRetentionInput>;
