import { z } from "zod";

// Shared shapes of the coverage report. Field ids are stable: lib/compliance cites them as evidence.
export const EVIDENCE_FIELDS = [
  "session_id",
  "credential_id",
  "actor_kind",
  "oauth_client",
  "ip",
  "user_agent",
  "target_object",
  "approval_ref",
  "policy_decision",
] as const;
export type EvidenceField = (typeof EVIDENCE_FIELDS)[number];

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

/** What the vendor documents it can provide: yes (always/normally), partial (some events, opt-in, or a weaker field), no. */
export type Documented = "yes" | "partial" | "no";

export type FieldCapability = {
  documented: Documented;
  /** The vendor's field name(s), as the vendor writes them; null when there is none. */
  vendorField: string | null;
  note: string;
  /** What to enable, stream or export to close the gap; null when the platform cannot provide it at all. */
  recommendation: string | null;
};

export type RetentionCapability = {
  /** The vendor's own retention in days for the log this project ingests; null when unknown or not applicable. */
  days: number | null;
  status: "documented" | "unknown" | "not_applicable";
  note: string;
  citation: string;
};

export type PlatformCapability = {
  platform: string;
  label: string;
  /** Platform audit log or a governance feed (approvals, grants, policy decisions). */
  kind: "platform" | "governance";
  fields: Record<EvidenceField, FieldCapability>;
  retention: RetentionCapability;
  /** How to keep data past the vendor's window (used in retention recommendations). */
  exportHow: string;
};

export type FieldCoverage = {
  field: EvidenceField;
  /** Events of the platform where the field is filled. */
  filled: number;
  /** filled / events, 0..1; null when the platform has no events. */
  rate: number | null;
  documented: Documented;
  vendorField: string | null;
  note: string;
};

type RetentionStatus = "ok" | "export_needed" | "unknown" | "not_applicable";

export type PlatformRetention = {
  vendorDays: number | null;
  vendorStatus: RetentionCapability["status"];
  vendorNote: string;
  citation: string;
  requiredDays: number;
  /** ISO time of the oldest and newest events held here. */
  oldestEventTime: string | null;
  newestEventTime: string | null;
  /** Whole days of history held here (newest - oldest); null without events. */
  heldDays: number | null;
  /** Whether history held here reaches back the required days from the newest event. */
  historyCoversRequired: boolean | null;
  /** newest event time + vendor days: the newest data ingested disappears from the vendor after this; export before it. */
  exportBy: string | null;
  /** The vendor keeps fewer days than required: continuous export (at least every vendorDays days) is needed. */
  vendorShort: boolean | null;
  status: RetentionStatus;
};

export type JoinAbility = {
  events: number;
  withSession: number;
  withIdentity: number;
  privileged: number;
  privilegedWithApproval: number;
  /** Shares 0..1; null when the denominator is zero (no events / no privileged events). */
  sessionRate: number | null;
  identityRate: number | null;
  approvalRate: number | null;
};

export type CoverageGap = {
  platform: string;
  label: string;
  kind: "field" | "retention" | "join";
  /** The evidence field for field gaps; "retention" / "session" / "identity" / "approval" otherwise. */
  subject: EvidenceField | "retention" | "session" | "identity" | "approval";
  severity: "high" | "medium" | "low";
  problem: string;
  recommendation: string;
};

export type PlatformCoverage = {
  platform: string;
  label: string;
  kind: PlatformCapability["kind"];
  events: number;
  firstEventTime: string | null;
  lastEventTime: string | null;
  fields: FieldCoverage[];
  join: JoinAbility;
  retention: PlatformRetention;
};

export type CoverageReport = {
  generatedAt: string;
  requiredRetentionDays: number;
  totalEvents: number;
  platforms: PlatformCoverage[];
  gaps: CoverageGap[];
};

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
