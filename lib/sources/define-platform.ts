import type { Documented, FieldCapability, PlatformCapability } from "./capabilities";
import type { NormalizedEventJson } from "@/lib/events/schema";
import type { CatalogEntry } from "./privileged";
import type { CallerNamedActor } from "./types";
import type { LogTypeRetention } from "./vendor-retention";

// Everything Sessionproof knows about one platform apart from reading its records, in one place: each
// lib/sources/<platform>/profile.ts exports one profile built with definePlatform, its source (index.ts) carries it,
// and the registry (registry.ts) derives from the registered profiles what the rest of the app reads: the labels,
// the grant aliases (governance), the coverage capabilities and retention (coverage), and the correlation rules
// (PlatformRules, lib/correlation/engine/platform-rules.ts). Nothing outside lib/sources names a platform.

/** An identity provider's single sign-on events: the ones that sign the person into an app. */
export type IdpSsoRule = {
  /** The rule named on an idp_to_app link made from such an event. */
  rule: string;
  /** The app a successful event of this IdP signed the person into; null when it is not such an event. */
  appName: (e: NormalizedEventJson) => string | null;
  /**
   * The platform of the sessions such an event opens, when the IdP is part of that platform (AWS IAM Identity Center
   * signs people into AWS role sessions); by default the platform the app name stands for (appNames).
   */
  target?: string;
};

/** What the correlation engine needs to know about the platform (every part optional: the generic rules apply without it). */
export type CorrelationProfile = {
  /** The platform is an identity provider: how its single sign-on events are recognised. */
  idpSso?: IdpSsoRule;
  /**
   * The application names (in an IdP's sign-on events) that stand for this platform. `rank` orders the patterns of all
   * platforms (lowest tried first; the first match wins): a broad pattern of common words ranks after specific names.
   */
  appNames?: { pattern: RegExp; rank: number };
  /** Session key types that name a token, which outlives any one session (split where activity pauses too long). */
  tokenKeyTypes?: readonly string[];
  /** Events of a client that serves every session of a token beside the session's own client (never "a new client"). */
  tokenCompanionClient?: (e: NormalizedEventJson) => boolean;
  /** The platform writes its session id on only some records: a keyless event joins the keyed session around it. */
  keylessJoin?: { rule: string; confidence: number; slackMs: number };
  /** How long one session key can live (maxSpanMs) and pause (idleGapMs): beyond, the key starts a new session. */
  sessionLimits?: { maxSpanMs: number | null; idleGapMs: number | null };
  /** Actor types (verbatim) of callers who exchange an external token for platform credentials in a keyless event. */
  exchangeCallers?: readonly string[];
  /** Failed sign-ins never open a session. */
  failedLoginNoSession?: boolean;
  /** A keyless row joins a keyed row by flow id only when both name the same user. */
  flowJoinSameUser?: boolean;
  /** Events of a CI job that can request an OIDC token (the federation link's first half). */
  ciJobEvent?: (e: NormalizedEventJson) => boolean;
  /** Sign-ins made with a federated (workload identity federation) credential (the federation link's second half). */
  federatedSignIn?: (e: NormalizedEventJson) => boolean;
  /**
   * The id under which the event's used credential was issued, when the record names it beside the credential's own
   * key (the key its minting event's issued_credentials carry); null when it names none.
   */
  credentialAlias?: (e: NormalizedEventJson) => string | null;
};

/** The coverage data of a platform (lib/coverage): what it documents per evidence field, and how to keep its log. */
export type PlatformCapabilities = Omit<PlatformCapability, "platform" | "label">;

export type PlatformProfileDefinition = {
  /** Stable id, also the Source.platform column. */
  platform: string;
  /** Full name for lists, messages and the coverage report: "Okta System Log". */
  label: string;
  /** Short name in the UI: "Okta" (lib/sources/labels.ts holds the client-side copy; a test keeps them equal). */
  displayName: string;
  /** Other names a grant feed may write for this platform (grant.platform, before any ":"), lower case. */
  aliases?: readonly string[];
  /** A grant feed: a grant naming this platform's id names no target platform and covers any. */
  grantFeed?: boolean;
  capabilities: PlatformCapabilities;
  /** The privileged-action catalog (privileged.ts); [] for feeds whose records are never privileged actions. */
  privileged: readonly CatalogEntry[];
  /** The vendor's retention per log type (retention.ts); omitted for governance feeds. */
  retention?: readonly LogTypeRetention[];
  /** What the retention log types read of a stored event beyond its class: its event name, its `extra.shape`. */
  retentionReads?: { eventName?: boolean; shape?: boolean };
  callerNamedActor?: CallerNamedActor;
  correlation?: CorrelationProfile;
  /**
   * The fields of a record (event.data.extra, under the vendor's own name) that count the rows it moved, first present
   * wins; `unit` names what one such event is ("queries", "API calls"). Read by the session headline (lib/sessions).
   */
  volumeFields?: readonly { field: string; unit: string }[];
};

export type PlatformProfile = Readonly<
  Required<Omit<PlatformProfileDefinition, "callerNamedActor" | "retentionReads">> & {
    callerNamedActor?: CallerNamedActor;
    retentionReads: { eventName: boolean; shape: boolean };
  }
>;

/** One platform's profile, with its defaults filled in (no aliases, no retention table, generic correlation). */
export function definePlatform(def: PlatformProfileDefinition): PlatformProfile {
  return {
    ...def,
    aliases: def.aliases ?? [],
    grantFeed: def.grantFeed ?? false,
    retention: def.retention ?? [],
    retentionReads: { eventName: def.retentionReads?.eventName ?? false, shape: def.retentionReads?.shape ?? false },
    correlation: def.correlation ?? {},
    volumeFields: def.volumeFields ?? [],
  };
}

/** The per-platform rules of the correlation engine (lib/correlation/engine/platform-rules.ts PlatformRules), built by the registry from the profiles. */
export type ProfileRules = {
  /** Identity providers by platform, with how their single sign-on events are recognised. */
  idpSso: ReadonlyMap<string, IdpSsoRule>;
  /** Which platform an application name stands for: the first pattern that matches. */
  appPatterns: readonly (readonly [RegExp, string])[];
  /** Session key types that name a token, which outlives any one session: split where activity pauses too long (PlatformRules.tokenGapMs). */
  tokenKeyTypes: ReadonlySet<string>;
  /**
   * Per platform, events made by a client that serves every session of a token alongside the session's own client:
   * their user agent is never "a new client" of the token (nor the session's client).
   */
  tokenCompanionClient: ReadonlyMap<string, (e: NormalizedEventJson) => boolean>;
  /**
   * Platforms that write their session id on only some records: a keyless event of such a platform joins the keyed
   * session of the same identity, client / user agent and network whose span holds it (within slackMs of it).
   */
  keylessJoin: ReadonlyMap<string, { rule: string; confidence: number; slackMs: number }>;
  /** Per platform, how long one session key can live (maxSpanMs) and pause (idleGapMs): beyond, the key starts a new session. */
  sessionLimits: ReadonlyMap<string, { maxSpanMs: number | null; idleGapMs: number | null }>;
  /**
   * Per platform, the actor types of callers from outside the platform who exchange an external token for platform
   * credentials: such a keyless exchange is the first event of the session that runs on what it minted.
   */
  exchangeCallers: ReadonlyMap<string, ReadonlySet<string>>;
  /** Platforms whose failed sign-ins never open a session (a keyless failed logon gets none, and joins none by flow id). */
  failedLoginNoSession: ReadonlySet<string>;
  /** Platforms where a keyless row joins a keyed row by flow id only when both name the same user. */
  flowJoinSameUser: ReadonlySet<string>;
  /** Per platform, the events of a CI job that can request an OIDC token (first half of an oidc_federation link). */
  ciJobEvent: ReadonlyMap<string, (e: NormalizedEventJson) => boolean>;
  /** Per platform, sign-ins made with a federated workload credential (second half of an oidc_federation link). */
  federatedSignIn: ReadonlyMap<string, (e: NormalizedEventJson) => boolean>;
  /**
   * Per platform, the id under which the event's used credential was issued, when the record names it beside the
   * credential's own key (the key its minting event's issued_credentials carry); null when it names none.
   */
  credentialAlias: ReadonlyMap<string, (e: NormalizedEventJson) => string | null>;
};

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** One evidence field's capability, in the order the coverage data is written: documented, vendor field, note, recommendation. */
export const capability = (
  documented: Documented,
  vendorField: string | null,
  note: string,
  recommendation: string | null,
): FieldCapability => ({
  documented,
  vendorField,
  note,
  recommendation,
});
