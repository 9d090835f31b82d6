import { PLATFORM_LABELS, UNKNOWN_PLATFORM, UNKNOWN_PLATFORM_LABEL } from "@/lib/sources/labels";

// Plain-word labels shared by the lib answers and the pages (no server imports: client components use it too).
// Platform names come from lib/sources/labels.ts, the client-safe copy of the profiles' display names.

const KIND_LABELS: Record<string, string> = {
  human: "person",
  service_account: "service account",
  oauth_app: "OAuth app",
  api_token: "API token",
  bot: "bot",
  ai_agent: "AI agent",
  workload: "workload",
  system: "platform system",
  unknown: "unknown kind",
};

export const platformLabel = (p: string | null | undefined): string =>
  p ? (PLATFORM_LABELS[p] ?? (p === UNKNOWN_PLATFORM ? UNKNOWN_PLATFORM_LABEL : p)) : "—";
export const kindLabel = (k: string | null | undefined): string => (k ? (KIND_LABELS[k] ?? k.replace(/_/g, " ")) : "—");

/** Why a session's initiator is who it is, per the correlation's initiator rule. */
export const INITIATOR_RULES: Record<string, string> = {
  same_identity: "no upstream session is proven, so the session's own identity is its initiator",
  credential_lineage: "the session's credential was minted in (or derived from the credential of) a session this identity initiated",
  idp_sso: "the identity provider's single sign-on by this identity opened the session",
  same_session: "the same session began on another platform (shared session key) under this identity",
  "delegation:login_as": "the record names this person as acting through the session's identity (Login-As)",
};

/** What each link kind means. */
export const LINK_KINDS: Record<string, string> = {
  idp_to_app: "single sign-on: the identity provider's sign-in opened this app session",
  credential_lineage: "credential lineage: one session minted the credential the other used",
  same_session: "the same session key seen on two platforms",
  token_reuse: "the same token used again after a long pause, from a new network or from a new client: a new session",
  session_key_reuse: "the same platform session key seen again past the platform's idle gap or maximum session span",
  human_behind_nhi: "a person's session minted or used the credential this non-human identity's session then used",
  oidc_federation: "a CI job's OIDC token was exchanged for this cloud session (workload identity federation)",
  same_source_ip: "both sessions began from the same address within minutes (low confidence: a hint, not proof)",
};

/** What each lineage edge type means. */
export const EDGE_LABELS: Record<string, string> = {
  holds: "holds",
  parent_of: "parent of",
  used_by: "used by",
  session_of: "session of",
  linked_to: "linked to",
  performed: "performed",
};
