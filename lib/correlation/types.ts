import type { ActorKind, CredentialKind, NormalizedEventJson } from "@/lib/events/schema";

// The correlation engine's input and output. The engine itself (correlate.ts) is a pure function over
// normalized events, so that its rules can be tested on small crafted sets and measured against the demo
// dataset's ground truth; persist.ts writes its output to the identity / credential / session tables.

/** One normalized event with where it came from. */
export type CorrelationEvent = {
  /** The event row id (text form of the bigint). */
  id: string;
  /** The file the raw record arrived in, and its 0-based position there. */
  file: string;
  index: number;
  /**
   * The normalized event. Loaded from the database it is projected to the fields correlation reads
   * (engine/projection.ts: no vendor `extra` beyond extra.initiator, no message, policy, auth, ...).
   */
  data: NormalizedEventJson;
};

/** The kinds an identity can have: the actor kinds ("unknown" when none of its events says). */
export type IdentityKind = ActorKind;

export type AliasOut = {
  platform: string;
  /** user_id | login | email | name */
  aliasType: string;
  externalId: string;
  /** The rule that merged this alias into its identity ("first_seen" for the alias that founded it). */
  rule: string;
  evidence: Record<string, string>;
};

export type IdentityOut = {
  id: string;
  kind: IdentityKind;
  displayName: string;
  primaryEmail: string | null;
  aliases: AliasOut[];
  firstSeenAt: string;
  lastSeenAt: string;
};

export type CredentialOut = {
  id: string;
  kind: CredentialKind;
  platform: string;
  externalId: string;
  keyType: string | null;
  identityId: string | null;
  parentId: string | null;
  /** Why parentId is set: the rule and the event that proves it. */
  parentRule: string | null;
  parentEvidence: { eventId: string; field: string } | null;
  firstSeenAt: string | null;
  lastUsedAt: string | null;
};

export type SessionOut = {
  id: string;
  platform: string;
  sessionKey: string;
  /** native: the platform's own session key; heuristic: grouped by the documented heuristic. */
  keyType: "native" | "heuristic";
  /** The rule that built the session (key type, or the heuristic's name). */
  rule: string;
  confidence: number;
  identityId: string | null;
  initiatorIdentityId: string | null;
  /** How the initiator was found (same identity, credential lineage, delegation). */
  initiatorRule: string | null;
  credentialId: string | null;
  startedAt: string;
  endedAt: string;
  eventIds: string[];
  srcIps: string[];
};

type LinkKind =
  | "idp_to_app"
  | "credential_lineage"
  | "same_session"
  | "token_reuse"
  | "session_key_reuse"
  | "human_behind_nhi"
  | "oidc_federation"
  | "same_source_ip";

export type LinkOut = {
  from: string;
  to: string;
  kind: LinkKind;
  rule: string;
  /** The fields that matched, with their values, shown next to the link. */
  matchedFields: Record<string, string | number>;
  confidence: number;
};

export type CorrelationResult = {
  identities: IdentityOut[];
  credentials: CredentialOut[];
  sessions: SessionOut[];
  links: LinkOut[];
  /**
   * Every input event's identity and session, as three parallel arrays in the engine's order (time, then id):
   * `eventIdentity[k]` and `eventSession[k]` belong to the event `eventIds[k]`; null where the event has none
   * (no actor, or no session). Arrays rather than maps by event id: a million-entry map costs a second to
   * build, and the writer sends every event anyway (eventAssignments() in correlate.ts gives maps for lookups).
   */
  eventIds: string[];
  eventIdentity: (string | null)[];
  eventSession: (string | null)[];
};
