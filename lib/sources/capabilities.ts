// What a platform documents it can provide per evidence field: the coverage data each platform's profile states
// (<platform>/profile.ts `capabilities`), read by lib/coverage (whose types.ts re-exports these). Field ids are
// stable: lib/compliance cites them as evidence. Kept here, below lib/coverage, so a profile can use the types.
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

/** What the vendor documents it can provide: yes (always/normally), partial (some events, opt-in, or a weaker field), no. */
export const DOCUMENTED = ["yes", "partial", "no"] as const;
export type Documented = (typeof DOCUMENTED)[number];

export type FieldCapability = {
  documented: Documented;
  /** The vendor's field name(s), as the vendor writes them; null when there is none. */
  vendorField: string | null;
  note: string;
  /** What to enable, stream or export to close the gap; null when the platform cannot provide it at all. */
  recommendation: string | null;
};

export const PLATFORM_KINDS = ["platform", "governance"] as const;
export type PlatformCapability = {
  platform: string;
  label: string;
  /** Platform audit log or a governance feed (approvals, grants, policy decisions). */
  kind: (typeof PLATFORM_KINDS)[number];
  fields: Record<EvidenceField, FieldCapability>;
  // The vendor's retention is not here: it lives per log type in lib/sources/<platform>/retention.ts (one home).
  /** How to keep data past the vendor's window (used in retention recommendations). */
  exportHow: string;
};
