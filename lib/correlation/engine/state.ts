import type { ActorKind, NormalizedEventJson } from "@/lib/events/schema";
import type { CorrelationEvent, CredentialOut, IdentityOut, LinkOut, SessionOut } from "../types";
import type { PlatformRules } from "./platform-rules";

// The one state the engine's phases share. An event is its index in time order (phase 0); what the phases learn
// about each event sits in arrays indexed by it (typed arrays where the values are numbers), and what they learn
// about each session in arrays indexed by the session's number. So the engine allocates per account, credential
// and session, never per event. Each field names the phase that fills it; later phases only read it (the
// initiator phase completes the sessions' initiator fields).

/** A platform account (one actor on one platform) while the events are read. */
export type Account = {
  key: string;
  platform: string;
  externalId: string | null;
  login: string | null;
  names: Map<string, number>;
  emails: Map<string, number>;
  kinds: Map<ActorKind, number>;
  first: string;
  last: string;
  identityId: string | null;
  // The last email inputs (actor email, login) and the email they gave: an account's events repeat them, so the
  // email-shape test runs once per change rather than once per event.
  memoEmail: string | null;
  memoLogin: string | null;
  memoOut: string | null;
  memoSet: boolean;
  // Votes not yet counted into names / emails / kinds: the last value and how many events in a row gave it
  // (consecutive events of an account mostly repeat them, so the maps are touched once per change).
  nameV: string | null;
  nameN: number;
  emailV: string | null;
  emailN: number;
  kindV: ActorKind | null;
  kindN: number;
};

/** A new account record, seen first at `first`, with no votes counted yet. */
export function newAccount(key: string, platform: string, externalId: string | null, login: string | null, first: string): Account {
  return {
    key,
    platform,
    externalId,
    login,
    names: new Map(),
    emails: new Map(),
    kinds: new Map(),
    first,
    last: first,
    identityId: null,
    memoEmail: null,
    memoLogin: null,
    memoOut: null,
    memoSet: false,
    nameV: null,
    nameN: 0,
    emailV: null,
    emailN: 0,
    kindV: null,
    kindN: 0,
  };
}

/** Accounts of one platform by the value of their key field (actor id, lowercased login, name). */
export type AccountIndex = [Map<string, Account>, Map<string, Account>, Map<string, Account>];

/** A credential's record: its output, and what later phases ask of it (no map keyed by credential). */
export type Cred = {
  out: CredentialOut;
  /** The account of the first event that used it: its identity becomes the credential's. */
  account: Account | null;
  /** Which event (index) minted it, for session lineage; -1 when none did. */
  minted: number;
  /** The first event (index) that used it under a session key; -1 when none did. */
  keyedBy: number;
};

/** An IdP single sign-on event, with the app it names and that app's platform. */
type SsoCandidate = { i: number; appName: string; rule: string; target: string };

/**
 * One grouping key of the session phase and its current segment (a new one starts after a pause longer than the
 * gap). The key's parts: native a = key type, b = key; heuristic a = identity, b = client, c = IP, d = user agent.
 */
export type Open = {
  heuristic: boolean;
  platform: string;
  a: string;
  b: string;
  c: string;
  d: string;
  n: number;
  last: number;
  cur: number;
  /** The current segment's first time, address, network and user agent ("" until an event gives one). */
  first: number;
  ip: string;
  net: string;
  ua: string;
  /** The key's first segment (-1 before it): a later segment of a reused key is linked to it. */
  firstSeg: number;
};

/** The grouping key as a string: platform|key type|key, or platform|heuristic|identity|client|IP|user agent. */
export const baseOf = (o: Open) => (o.heuristic ? `${o.platform}|heuristic|${o.a}|${o.b}|${o.c}|${o.d}` : `${o.platform}|${o.a}|${o.b}`);

export type CorrelationState = {
  readonly n: number;
  readonly rules: PlatformRules;

  // Phase 0, order: the events in time order (then id) and their parsed times.
  events: CorrelationEvent[];
  times: Float64Array;

  // Phase 1, scan: accounts, credentials, flow ids, single sign-on events, delegation.
  /** Accounts by key, in the order first seen. */
  accounts: Map<string, Account>;
  /** Accounts by platform, then key field, then value: found without building a key string per event. */
  accountIndex: Map<string, AccountIndex>;
  /** Credentials in the order first seen, and by platform then key. */
  credRecs: Cred[];
  credByPlatform: Map<string, Map<string, Cred>>;
  evAccount: (Account | null)[];
  evCred: (Cred | null)[];
  evCredId: (string | null)[];
  /** The first keyed event (its index) per platform and flow id, for the flow ids a keyless event asks for. */
  sessionByFlow: Map<string, Map<string, number>>;
  /** Events that exchanged a CI job's OIDC token for cloud credentials (AWS AssumeRoleWithWebIdentity from GitHub Actions). */
  oidcExchanges: number[];
  /** Keyless credential exchanges by callers outside the platform (rules.exchangeCallers): they open the session they mint. */
  keylessExchanges: number[];
  /** Entra sign-ins of a workload with a federated credential (workload identity federation). */
  federatedSignIns: number[];
  /** GitHub Actions workflow events (workflows.*), the CI jobs an OIDC exchange can come from. */
  ciJobs: number[];
  ssoCandidates: SsoCandidate[];
  /** The account of the person a record names as acting through the actor's identity, and how. */
  evInitiator: (Account | null)[];
  evInitiatorVia: (string | null)[];
  anyDelegation: boolean;

  // Phase 2, identities.
  identities: IdentityOut[];
  credentials: CredentialOut[];
  evIdentity: (string | null)[];

  // Phase 3, grouping into sessions: each event's session number (-1: none), and per session number its
  // grouping key, rule, segment number (where pauses split the key), confidence and the key it was opened by.
  evSeg: Int32Array;
  segOpen: Open[];
  segRule: string[];
  segNumber: (number | null)[];
  segConfidence: number[];
  segRef: NormalizedEventJson["session"][];
  /** Per session number: the key's first session when this one is a later use of the same key (-1: none), and why. */
  segReuseOf: number[];
  segReuseWhy: (string | null)[];
  /** Per session number: the rule and confidence of keyless events joined into it (null: none joined). */
  segJoinRule: (string | null)[];
  segJoinConfidence: number[];

  // Phase 4, sessions, by session number.
  sessions: SessionOut[];
  sessionCred: (Cred | null)[];
  sessionStart: Float64Array;
  /** Native sessions by their platform key's value (a list only where a value repeats). */
  sessionByKeyValue: Map<string, SessionOut | SessionOut[]>;

  // Phase 5, links.
  links: LinkOut[];
};

export function createState(n: number, rules: PlatformRules): CorrelationState {
  return {
    n,
    rules,
    events: new Array<CorrelationEvent>(n),
    times: new Float64Array(n),
    accounts: new Map(),
    accountIndex: new Map(),
    credRecs: [],
    credByPlatform: new Map(),
    evAccount: new Array<Account | null>(n).fill(null),
    evCred: new Array<Cred | null>(n).fill(null),
    evCredId: new Array<string | null>(n).fill(null),
    sessionByFlow: new Map(),
    oidcExchanges: [],
    keylessExchanges: [],
    federatedSignIns: [],
    ciJobs: [],
    ssoCandidates: [],
    evInitiator: new Array<Account | null>(n).fill(null),
    evInitiatorVia: new Array<string | null>(n).fill(null),
    anyDelegation: false,
    identities: [],
    credentials: [],
    evIdentity: new Array<string | null>(n),
    evSeg: new Int32Array(n).fill(-1),
    segOpen: [],
    segRule: [],
    segNumber: [],
    segConfidence: [],
    segRef: [],
    segReuseOf: [],
    segReuseWhy: [],
    segJoinRule: [],
    segJoinConfidence: [],
    sessions: [],
    sessionCred: [],
    sessionStart: new Float64Array(0),
    sessionByKeyValue: new Map(),
    links: [],
  };
}

/** An event's session id (events without a session have none). */
export function sessionIdOf(st: CorrelationState, i: number): string | null {
  const s = st.evSeg[i];
  return s >= 0 ? st.sessions[s].id : null;
}
