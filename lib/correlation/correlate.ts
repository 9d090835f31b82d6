import * as nodeCrypto from "node:crypto";
import type { ActorKind, CredentialKind, NormalizedEventJson } from "@/lib/events/schema";
import { appPlatform, PLATFORM_RULES, TOKEN_GAP_MS } from "./engine/platform-rules";
import type {
  AliasOut,
  CorrelationEvent,
  CorrelationResult,
  CredentialOut,
  IdentityKind,
  IdentityOut,
  LinkOut,
  SessionOut,
} from "./types";

// The correlation engine: normalized events in, identities, credentials with their lineage, sessions and
// cross-session links out. Deterministic (same events, same output, same ids: ids are derived from the keys)
// and explainable: every merge, parent edge, session and link names the rule and the fields that made it.
// Precision beats recall: where the logs do not prove a join, there is none, or a lower confidence says so.
//
// Rules, in order:
//  1. Accounts: one per platform actor (platform + actor id, else login, else name).
//  2. Identities: accounts merged when they share an email (actor email or an email-shaped login) or, on one
//     platform, a login. Kind: the most frequent kind_hint of its events (unknown hints do not vote).
//  3. Credentials: every credential key an event used or minted; a parent edge only where a record proves it
//     (a minting event's calling key, a declared parent such as an Entra service principal's secret).
//  4. Sessions: first the platform's own key (one session per key, joined by keyless events that share the
//     platform's flow id with a keyed one, e.g. Snowflake LOGIN_HISTORY.EVENT_ID = SESSIONS.LOGIN_EVENT_ID; GitHub token hashes split where activity
//     pauses for more than TOKEN_GAP, since a token outlives any one session); then, for events without a
//     key, the heuristic identity + client + IP + user agent with a gap of at most HEURISTIC_GAP, marked as
//     heuristic with a lower confidence. Two concurrent sessions of one person keep their own keys (or their
//     own IP / user agent), and people behind one address stay apart because identity is part of every key.
//  5. Links: the same session key seen on two platforms (Entra sessionId = M365 AADSessionId); IdP single
//     sign-on events (Okta user.authentication.sso, Entra sign-ins to an app) to the app session the person
//     opened right after; credential lineage (a session minted the credential another session used).
//  6. Initiator: a session where the record names who acted through the identity (extra.initiator, e.g.
//     Salesforce Login-As) was initiated by that person; a session running on a credential minted in (or
//     derived from the credential of) another session — else one opened by an IdP single sign-on, else one
//     seen first on another platform under the same key — was initiated by whoever initiated that one, up the
//     chain; a session with no provable upstream was initiated by its own identity.

export const HEURISTIC_GAP_MS = 30 * 60_000;
export { appPlatform, TOKEN_GAP_MS };
/** An app session that starts this long before or after the IdP's SSO event can be the one it opened. */
export const SSO_WINDOW_BEFORE_MS = 2 * 60_000;
export const SSO_WINDOW_AFTER_MS = 10 * 60_000;
const { idpSso, tokenKeyTypes } = PLATFORM_RULES;

// SHA-256 of the key in one native call (crypto.hash, Node >= 20.12; createHash before), laid out as a version 5
// UUID. Ids are computed once per identity, credential and session, never per event. The UUID is written into one
// reused byte buffer and read out as one flat string: built by slicing and concatenating, each of the million
// ids would be a tree of string pieces several times its size.
const sha256Hex: (s: string) => string =
  typeof nodeCrypto.hash === "function" ? (s) => nodeCrypto.hash("sha256", s, "hex") : (s) => nodeCrypto.createHash("sha256").update(s).digest("hex");
const UUID_VARIANT = "89ab";
/** Where the 32 hex digits of the first 16 bytes go in the 36-character UUID (dashes at 8, 13, 18, 23). */
const UUID_POS = [0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 14, 15, 16, 17, 19, 20, 21, 22, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35];
const uuidBuf = Buffer.alloc(36, "-");

/** A UUID derived from its parts (SHA-256, version 5 layout), so the same key always gets the same id. */
export function stableId(...parts: string[]): string {
  const x = sha256Hex(parts.join("\u0000"));
  for (let j = 0; j < 32; j++) uuidBuf[UUID_POS[j]] = x.charCodeAt(j);
  // Version nibble 5; variant bits 10 (the first digit of the fourth group becomes 8, 9, a or b).
  uuidBuf[14] = 0x35;
  uuidBuf[19] = UUID_VARIANT.charCodeAt(parseInt(x[16], 16) & 3);
  return uuidBuf.toString("latin1", 0, 36);
}

const lower = (s: string | null) => (s ? s.toLowerCase() : null);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type Account = {
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

/** Counts `n` votes for `v` (nulls do not vote). */
const add = <K>(m: Map<K, number>, v: K | null, n: number) => {
  if (v !== null && n > 0) m.set(v, (m.get(v) ?? 0) + n);
};
/** Counts the votes an account still holds back. */
function flushVotes(acc: Account): void {
  add(acc.names, acc.nameV, acc.nameN);
  add(acc.emails, acc.emailV, acc.emailN);
  add(acc.kinds, acc.kindV, acc.kindN);
  acc.nameN = acc.emailN = acc.kindN = 0;
}

/** An account's key: platform|id|actor id, else platform|login|lowercased login, else platform|name|name. */
const ACCOUNT_KEY_TYPES = ["id", "login", "name"] as const;

const bump = <K>(m: Map<K, number>, k: K | null) => {
  if (k !== null) m.set(k, (m.get(k) ?? 0) + 1);
};
/** The most frequent key; ties go to the first in `order` (or the smallest key), so the result is deterministic. */
function top<K extends string>(m: Map<K, number>, order: readonly K[] = []): K | null {
  let best: K | null = null;
  let bestN = 0;
  const rank = (k: K) => {
    const i = order.indexOf(k);
    return i < 0 ? order.length : i;
  };
  for (const [k, n] of m) {
    if (n > bestN || (n === bestN && best !== null && (rank(k) < rank(best) || (rank(k) === rank(best) && k < best)))) {
      best = k;
      bestN = n;
    }
  }
  return best;
}

class UnionFind {
  private parent = new Map<string, string>();
  find(x: string): string {
    let p = this.parent.get(x) ?? x;
    if (p === x) return x;
    p = this.find(p);
    this.parent.set(x, p);
    return p;
  }
  /** Joins two sets; the smaller root (string order) stays root, for determinism. */
  union(a: string, b: string): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return false;
    if (ra < rb) this.parent.set(rb, ra);
    else this.parent.set(ra, rb);
    return true;
  }
}

// The session's key as stored (unique per platform): the platform's own key when it alone names the session;
// a token hash split by pauses gets its segment number; a key that two key types share on one platform gets
// its key type; heuristic sessions keep their grouping key. (Computed in step 4.)

const KIND_ORDER: readonly IdentityKind[] = ["human", "service_account", "oauth_app", "bot", "ai_agent", "workload", "api_token", "system", "unknown"];

const cmpId = (a: CorrelationEvent, b: CorrelationEvent) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The input positions in time order, ties by id (string order). When the times span few enough milliseconds,
 * each (time, position) pair is packed into one float, exact below 2^53, and the floats are sorted natively,
 * without a comparator; runs of equal times are then put in id order. Otherwise (or with an unreadable time)
 * the comparator sort.
 */
function timeOrder(input: readonly CorrelationEvent[], times: Float64Array): ArrayLike<number> {
  const n = input.length;
  let sorted = true;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = times[i];
    if (Number.isNaN(t)) {
      min = NaN;
      break;
    }
    if (t < min) min = t;
    if (t > max) max = t;
    if (i > 0 && sorted) {
      const d = times[i - 1] - t;
      sorted = d < 0 || (d === 0 && input[i - 1].id < input[i].id);
    }
  }
  // Events usually arrive in time order already (loaded by id, ingested by time): then there is nothing to sort.
  if (sorted && !Number.isNaN(min)) return Uint32Array.from({ length: n }, (_, i) => i);
  const slots = 2 ** Math.ceil(Math.log2(Math.max(2, n)));
  if (Number.isNaN(min) || (max - min + 1) * slots > Number.MAX_SAFE_INTEGER) {
    const perm = Array.from({ length: n }, (_, i) => i);
    perm.sort((a, b) => times[a] - times[b] || cmpId(input[a], input[b]));
    return perm;
  }
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = (times[i] - min) * slots + i;
  keys.sort();
  const perm = new Uint32Array(n);
  for (let i = 0; i < n; i++) perm[i] = keys[i] % slots;
  // Equal times: id order (a stable sort, as the comparator sort leaves equal ids in input order).
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && times[perm[j]] === times[perm[i]]) j++;
    if (j - i > 1) {
      const run = Array.from(perm.subarray(i, j)).sort((a, b) => cmpId(input[a], input[b]));
      perm.set(run, i);
    }
    i = j;
  }
  return perm;
}

/** Optional hooks for measuring the engine (scripts/bench/correlate.ts prints the time of each phase). */
export type CorrelateOptions = { onPhase?: (phase: string, ms: number) => void };

/** The value with the most votes (nulls do not vote), ties to the smallest: what top() gives, without a map when all agree. */
function majority(idx: Int32Array, from: number, to: number, values: readonly (string | null)[]): string | null {
  let v0: string | null = null;
  let mixed = false;
  for (let j = from; j < to; j++) {
    const v = values[idx[j]];
    if (v === null) continue;
    if (v0 === null) v0 = v;
    else if (v !== v0) {
      mixed = true;
      break;
    }
  }
  if (!mixed) return v0;
  const m = new Map<string, number>();
  for (let j = from; j < to; j++) bump(m, values[idx[j]]);
  return top(m);
}

export function correlate(input: readonly CorrelationEvent[], options: CorrelateOptions = {}): CorrelationResult {
  let phaseStart = performance.now();
  const phase = (name: string) => {
    if (!options.onPhase) return;
    const now = performance.now();
    options.onPhase(name, now - phaseStart);
    phaseStart = now;
  };
  // Time order (then id) makes every later step deterministic. Times are parsed once; the sort compares numbers,
  // and ids only on ties. From here on an event is its index in this order, and per-event facts live in arrays
  // (typed arrays where they are numbers), so the engine allocates per account, credential and session, not per event.
  const n = input.length;
  const inputTimes = new Float64Array(n);
  for (let i = 0; i < n; i++) inputTimes[i] = Date.parse(input[i].data.time);
  const perm = timeOrder(input, inputTimes);
  const events: CorrelationEvent[] = new Array<CorrelationEvent>(n);
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    events[i] = input[perm[i]];
    times[i] = inputTimes[perm[i]];
  }
  phase("sort");

  // 1. Accounts, found by platform, then actor id, login or name (no key string built per event).
  const accounts = new Map<string, Account>();
  const accountIndex = new Map<string, [Map<string, Account>, Map<string, Account>, Map<string, Account>]>();
  const findAccount = (platform: string, externalId: string | null, login: string | null, name: string | null, time: string): Account | null => {
    let kind: 0 | 1 | 2;
    let value: string;
    if (externalId) {
      kind = 0;
      value = externalId;
    } else if (login) {
      kind = 1;
      value = login.toLowerCase();
    } else if (name) {
      kind = 2;
      value = name;
    } else return null;
    let index = accountIndex.get(platform);
    if (!index) accountIndex.set(platform, (index = [new Map(), new Map(), new Map()]));
    let acc = index[kind].get(value);
    if (!acc) {
      const key = `${platform}|${ACCOUNT_KEY_TYPES[kind]}|${value}`;
      acc = accounts.get(key);
      if (!acc) {
        acc = { key, platform, externalId, login, names: new Map(), emails: new Map(), kinds: new Map(), first: time, last: time, identityId: null, memoEmail: null, memoLogin: null, memoOut: null, memoSet: false, nameV: null, nameN: 0, emailV: null, emailN: 0, kindV: null, kindN: 0 };
        accounts.set(key, acc);
      }
      index[kind].set(value, acc);
    }
    return acc;
  };
  // 3. Credentials, found by platform then key (no key string built per event); ids are hashed once per credential.
  // They are collected in the same pass over the events as the accounts (and the flow ids and single sign-on
  // events the later steps need): each pass over a million scattered event objects costs its memory traffic.
  // A credential's record holds, beside its output, what later steps ask of it (no map keyed by credential).
  type Cred = {
    out: CredentialOut;
    /** The account of the first event that used it: its identity becomes the credential's. */
    account: Account | null;
    /** Which event (index) minted it, for session lineage; -1 when none did. */
    minted: number;
  };
  const credRecs: Cred[] = [];
  const credByPlatform = new Map<string, Map<string, Cred>>();
  const touchCred = (platform: string, key: string, kind: CredentialKind, keyType: string | null, time: string | null, used: boolean): Cred => {
    let byKey = credByPlatform.get(platform);
    if (!byKey) credByPlatform.set(platform, (byKey = new Map()));
    let rec = byKey.get(key);
    if (!rec) {
      const out: CredentialOut = { id: stableId("credential", platform, key), kind, platform, externalId: key, keyType, identityId: null, parentId: null, parentRule: null, parentEvidence: null, firstSeenAt: time, lastUsedAt: null };
      rec = { out, account: null, minted: -1 };
      byKey.set(key, rec);
      credRecs.push(rec);
    }
    const c = rec.out;
    if (c.kind === "unknown" && kind !== "unknown") c.kind = kind;
    c.keyType ??= keyType;
    if (used && time) c.lastUsedAt = time;
    return rec;
  };
  // The rule is its prefix and detail, joined only when the edge is set (most events repeat a known edge).
  const setParent = (child: CredentialOut, parent: CredentialOut, rulePrefix: string, ruleDetail: string, eventId: string, fieldName: string) => {
    if (child.parentId || child === parent) return; // the first proof wins; never a self-loop
    child.parentId = parent.id;
    child.parentRule = `${rulePrefix}:${ruleDetail}`;
    child.parentEvidence = { eventId, field: fieldName };
  };
  const evCred: (Cred | null)[] = new Array<Cred | null>(n).fill(null);
  const evCredId: (string | null)[] = new Array<string | null>(n).fill(null);
  // A keyless event that shares the platform's own flow id (correlation_id) with a keyed event belongs to that
  // event's session: Snowflake's LOGIN_HISTORY row (EVENT_ID) and its SESSIONS row (LOGIN_EVENT_ID, SESSION_ID).
  // Most keyed events carry a flow id (a request id) that no keyless event asks for, so the pass only notes
  // both kinds of event, and the map is built afterwards from the keyed events whose flow id is asked for.
  const sessionByFlow = new Map<string, Map<string, NonNullable<NormalizedEventJson["session"]>>>();
  const flowKeyed: number[] = [];
  const flowKeyless: number[] = [];
  // IdP single sign-on events (step 5b), with the app they name and its platform.
  const ssoCandidates: { i: number; appName: string; rule: string; target: string }[] = [];
  const appTargets = new Map<string, string | null>();
  const delegating: number[] = [];
  const evAccount: (Account | null)[] = new Array<Account | null>(n).fill(null);
  for (let i = 0; i < n; i++) {
    const ev = events[i];
    const e = ev.data;
    const actor = e.actor;
    const acc = findAccount(e.platform, actor.external_id, actor.login, actor.name, e.time);

    const cr = e.credential;
    if (cr?.key) {
      const c = touchCred(e.platform, cr.key, cr.kind, cr.key_type, e.time, true);
      evCred[i] = c;
      evCredId[i] = c.out.id;
      if (acc && c.account === null) c.account = acc;
      if (cr.parent_key) {
        const p = touchCred(e.platform, cr.parent_key, cr.parent_kind ?? "unknown", cr.parent_key_type, null, false);
        setParent(c.out, p.out, "declared_parent", cr.key_type ?? "key", ev.id, "credential.parent_key");
      }
    }
    const issued = e.issued_credentials;
    for (let k = 0; k < issued.length; k++) {
      const ic = issued[k];
      const child = touchCred(e.platform, ic.key, ic.kind, ic.key_type, e.time, false);
      if (child.minted < 0) child.minted = i;
      if (ic.parent_key) {
        const p = touchCred(e.platform, ic.parent_key, "unknown", ic.parent_key_type, null, false);
        setParent(child.out, p.out, "issued_by", e.event_name, ev.id, "issued_credentials.parent_key");
      }
    }

    if (e.correlation_id) {
      const sk = e.session;
      if (!sk?.key) flowKeyless.push(i);
      else if (!tokenKeyTypes.has(sk.key_type)) flowKeyed.push(i);
    }

    const sso = idpSso.get(e.platform);
    if (sso !== undefined && e.status !== "failure") {
      const appName = sso.appName(e);
      if (appName) {
        let target = appTargets.get(appName);
        if (target === undefined) appTargets.set(appName, (target = appPlatform(appName)));
        if (target && target !== e.platform) ssoCandidates.push({ i, appName, rule: sso.rule, target });
      }
    }

    const ini = e.extra?.initiator;
    if (ini && typeof ini === "object" && !Array.isArray(ini)) delegating.push(i);

    if (!acc) continue;
    evAccount[i] = acc;
    acc.last = e.time;
    acc.login ??= actor.login;
    const name = actor.name ?? actor.login;
    if (name === acc.nameV) acc.nameN++;
    else {
      add(acc.names, acc.nameV, acc.nameN);
      acc.nameV = name;
      acc.nameN = 1;
    }
    if (!acc.memoSet || acc.memoEmail !== actor.email || acc.memoLogin !== actor.login) {
      acc.memoOut = lower(actor.email) ?? (actor.login && EMAIL.test(actor.login) ? actor.login.toLowerCase() : null);
      acc.memoEmail = actor.email;
      acc.memoLogin = actor.login;
      acc.memoSet = true;
    }
    if (acc.memoOut === acc.emailV) acc.emailN++;
    else {
      add(acc.emails, acc.emailV, acc.emailN);
      acc.emailV = acc.memoOut;
      acc.emailN = 1;
    }
    if (actor.kind_hint !== "unknown") {
      if (actor.kind_hint === acc.kindV) acc.kindN++;
      else {
        add(acc.kinds, acc.kindV, acc.kindN);
        acc.kindV = actor.kind_hint;
        acc.kindN = 1;
      }
    }
  }
  for (const acc of accounts.values()) flushVotes(acc);
  // The flow ids keyless events ask for, then the first keyed event (time order) of each.
  if (flowKeyless.length > 0) {
    const asked = new Map<string, Set<string>>();
    for (const i of flowKeyless) {
      const e = events[i].data;
      let ids = asked.get(e.platform);
      if (!ids) asked.set(e.platform, (ids = new Set()));
      ids.add(e.correlation_id!);
    }
    for (const i of flowKeyed) {
      const e = events[i].data;
      if (!asked.get(e.platform)?.has(e.correlation_id!)) continue;
      let byId = sessionByFlow.get(e.platform);
      if (!byId) sessionByFlow.set(e.platform, (byId = new Map()));
      if (!byId.has(e.correlation_id!)) byId.set(e.correlation_id!, e.session!);
    }
  }
  // Delegation: a source that knows who acted through the actor's identity (Salesforce Login-As) names that
  // person in extra.initiator {external_id, login, name, via}. They become an account of their own.
  const evInitiator: (Account | null)[] = new Array<Account | null>(n).fill(null);
  const evInitiatorVia: (string | null)[] = new Array<string | null>(n).fill(null);
  let anyDelegation = false;
  for (const i of delegating) {
    const e = events[i].data;
    const ini = e.extra.initiator as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
    const actor = { external_id: str(ini.external_id), login: str(ini.login), name: str(ini.name) };
    const acc = findAccount(e.platform, actor.external_id, actor.login, actor.name, e.time);
    if (!acc) continue;
    bump(acc.names, actor.name ?? actor.login);
    bump(acc.emails, actor.login && EMAIL.test(actor.login) ? actor.login.toLowerCase() : null);
    evInitiator[i] = acc;
    evInitiatorVia[i] = str(ini.via) ?? "delegation";
    anyDelegation = true;
  }
  phase("accounts, credentials");

  // 2. Identities: union accounts by shared email, and by login within one platform.
  const uf = new UnionFind();
  const mergeRule = new Map<string, { rule: string; evidence: Record<string, string> }>();
  const byEmail = new Map<string, string>();
  const byLogin = new Map<string, string>();
  for (const acc of [...accounts.values()].sort((a, b) => (a.key < b.key ? -1 : 1))) {
    for (const email of [...acc.emails.keys()].sort()) {
      const other = byEmail.get(email);
      if (other === undefined) byEmail.set(email, acc.key);
      else if (uf.union(other, acc.key) && !mergeRule.has(acc.key)) mergeRule.set(acc.key, { rule: "same_email", evidence: { email, with: other } });
    }
    if (acc.login) {
      const lk = `${acc.platform}|${acc.login.toLowerCase()}`;
      const other = byLogin.get(lk);
      if (other === undefined) byLogin.set(lk, acc.key);
      else if (uf.union(other, acc.key) && !mergeRule.has(acc.key)) mergeRule.set(acc.key, { rule: "same_platform_login", evidence: { login: acc.login, with: other } });
    }
  }
  const groups = new Map<string, Account[]>();
  for (const acc of accounts.values()) {
    const root = uf.find(acc.key);
    const g = groups.get(root);
    if (g) g.push(acc);
    else groups.set(root, [acc]);
  }
  const identities: IdentityOut[] = [];
  const accountIdentity = new Map<string, string>();
  for (const [root, accs] of [...groups.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    accs.sort((a, b) => (a.key < b.key ? -1 : 1));
    const id = stableId("identity", root);
    const kinds = new Map<IdentityKind, number>();
    const names = new Map<string, number>();
    const emails = new Map<string, number>();
    let first = accs[0].first;
    let last = accs[0].last;
    const aliases: AliasOut[] = [];
    for (const acc of accs) {
      accountIdentity.set(acc.key, id);
      for (const [k, n] of acc.kinds) kinds.set(k as IdentityKind, (kinds.get(k as IdentityKind) ?? 0) + n);
      for (const [k, n] of acc.names) names.set(k, (names.get(k) ?? 0) + n);
      for (const [k, n] of acc.emails) emails.set(k, (emails.get(k) ?? 0) + n);
      if (acc.first < first) first = acc.first;
      if (acc.last > last) last = acc.last;
      const how = acc.key === root ? { rule: "first_seen", evidence: {} } : (mergeRule.get(acc.key) ?? { rule: "transitive", evidence: { via: root } });
      const [, type, value] = acc.key.split("|", 3);
      const aliasValue = acc.key.slice(acc.platform.length + type.length + 2);
      aliases.push({ platform: acc.platform, aliasType: type === "id" ? "user_id" : type, externalId: aliasValue || value, rule: how.rule, evidence: how.evidence });
    }
    const primaryEmail = top(emails);
    // No event says what the actor is: it stays unknown (an email-shaped login alone does not make a person).
    const kind = top(kinds, KIND_ORDER) ?? "unknown";
    identities.push({ id, kind, displayName: top(names) ?? primaryEmail ?? aliases[0].externalId, primaryEmail, aliases, firstSeenAt: first, lastSeenAt: last });
  }
  for (const acc of accounts.values()) acc.identityId = accountIdentity.get(acc.key)!;
  const evIdentity: (string | null)[] = new Array<string | null>(n);
  for (let i = 0; i < n; i++) evIdentity[i] = evAccount[i]?.identityId ?? null;
  for (const c of credRecs) if (c.account) c.out.identityId = c.account.identityId;
  const credList = credRecs.map((c) => c.out);
  phase("identities");

  // 4. Sessions. A session under construction is an index into parallel arrays; an event records its session
  // index, and each session's events are gathered afterwards by a counting sort (time order kept), so there is
  // no growing array per session.
  // One entry per grouping key: its current segment (a new one starts after a pause longer than the gap). The key
  // is the string platform|key type|key, or platform|heuristic|identity|client|IP|user agent, from which the
  // session id is derived. Events find their entry through maps keyed by the key's parts, so no key string is
  // built per event (only once per session, in the next step). That equals grouping by the string as long as the
  // string splits back into its parts the one way: no "|" in a part but the last. Should a part hold one, the
  // grouping runs again by the strings themselves.
  // The key's parts: native a = key type, b = key; heuristic a = identity, b = client, c = IP, d = user agent.
  type Open = { heuristic: boolean; platform: string; a: string; b: string; c: string; d: string; n: number; last: number; cur: number };
  const baseOf = (o: Open) => (o.heuristic ? `${o.platform}|heuristic|${o.a}|${o.b}|${o.c}|${o.d}` : `${o.platform}|${o.a}|${o.b}`);
  type Nested<V> = Map<string, V>;
  const sub = <V>(m: Nested<Nested<V>>, k: string): Nested<V> => {
    let x = m.get(k);
    if (!x) m.set(k, (x = new Map()));
    return x;
  };
  let bOpen: Open[] = [];
  let bRule: string[] = [];
  let bSegment: (number | null)[] = [];
  let bConfidence: number[] = [];
  let bRef: NormalizedEventJson["session"][] = [];
  const evSeg = new Int32Array(n).fill(-1);
  const gapRules = new Map<string, string>();
  /** Groups the events into sessions; false when a key part holds the separator (then call again with byString). */
  const group = (byString: boolean): boolean => {
    bOpen = [];
    bRule = [];
    bSegment = [];
    bConfidence = [];
    bRef = [];
    const byBase = new Map<string, Open>();
    const nativeOpen: Nested<Nested<Nested<Open>>> = new Map();
    const heuristicOpen: Nested<Nested<Nested<Nested<Nested<Open>>>>> = new Map();
    const fresh = (heuristic: boolean, platform: string, a: string, b: string, c = "", d = ""): Open => {
      const o: Open = { heuristic, platform, a, b, c, d, n: -1, last: 0, cur: -1 };
      if (!byString) return o;
      const base = baseOf(o);
      const known = byBase.get(base);
      if (known) return known;
      byBase.set(base, o);
      return o;
    };
    for (let i = 0; i < n; i++) {
      const e = events[i].data;
      const t = times[i];
      let o: Open | undefined;
      let rule: string;
      let confidence: number;
      let gap: number;
      const viaFlow = !e.session?.key && e.correlation_id ? sessionByFlow.get(e.platform)?.get(e.correlation_id) : undefined;
      const keyed = viaFlow ?? (e.session?.key ? e.session : null);
      if (keyed) {
        rule = keyed.key_type;
        confidence = 1;
        gap = -1;
        if (!viaFlow && tokenKeyTypes.has(keyed.key_type)) {
          gap = TOKEN_GAP_MS;
          rule = gapRules.get(keyed.key_type) ?? `${keyed.key_type}+gap`;
          gapRules.set(keyed.key_type, rule);
          confidence = 0.9;
        }
        if (byString) o = byBase.get(`${e.platform}|${keyed.key_type}|${keyed.key}`);
        else {
          const byKey = sub(sub(nativeOpen, e.platform), keyed.key_type);
          o = byKey.get(keyed.key);
          if (!o) {
            if (e.platform.includes("|") || keyed.key_type.includes("|")) return false;
            byKey.set(keyed.key, (o = fresh(false, e.platform, keyed.key_type, keyed.key)));
          }
        }
        o ??= fresh(false, e.platform, keyed.key_type, keyed.key);
      } else {
        const who = evIdentity[i];
        if (!who) continue;
        const ip = e.src_endpoint.ip ?? "";
        const ua = e.user_agent ?? "";
        const client = e.client?.app_id ?? "";
        rule = "heuristic:identity+client+ip+user_agent,gap<=30m";
        confidence = ip || ua ? 0.6 : 0.4;
        gap = HEURISTIC_GAP_MS;
        if (byString) o = byBase.get(`${e.platform}|heuristic|${who}|${client}|${ip}|${ua}`);
        else {
          const byUa = sub(sub(sub(sub(heuristicOpen, e.platform), who), client), ip);
          o = byUa.get(ua);
          if (!o) {
            if (e.platform.includes("|") || who.includes("|") || client.includes("|") || ip.includes("|")) return false;
            byUa.set(ua, (o = fresh(true, e.platform, who, client, ip, ua)));
          }
        }
        o ??= fresh(true, e.platform, who, client, ip, ua);
      }
      if (o.cur < 0 || (gap >= 0 && t - o.last > gap)) {
        const segNo = o.n + 1;
        o.n = segNo;
        o.cur = bOpen.length;
        bOpen.push(o);
        bRule.push(rule);
        bSegment.push(gap >= 0 ? segNo : null);
        bConfidence.push(confidence);
        bRef.push(viaFlow ?? e.session);
      }
      o.last = t;
      evSeg[i] = o.cur;
    }
    return true;
  };
  if (!group(false)) group(true);
  phase("sessions.group");

  const ns = bOpen.length;
  // Events of session s: segEvents[segStart[s] .. segStart[s + 1]), in time order.
  const segStart = new Int32Array(ns + 1);
  for (let i = 0; i < n; i++) if (evSeg[i] >= 0) segStart[evSeg[i] + 1]++;
  for (let s = 0; s < ns; s++) segStart[s + 1] += segStart[s];
  const fill = segStart.slice(0, ns);
  const segEvents = new Int32Array(segStart[ns]);
  for (let i = 0; i < n; i++) if (evSeg[i] >= 0) segEvents[fill[evSeg[i]]++] = i;

  const sessions: SessionOut[] = new Array<SessionOut>(ns);
  const sessionCred: (Cred | null)[] = new Array<Cred | null>(ns);
  const sessionStart = new Float64Array(ns);
  /** An event's session id (events without a session have none). */
  const evSession = (i: number): string | null => (evSeg[i] >= 0 ? sessions[evSeg[i]].id : null);
  // Native sessions by their key value, for shared keys across platforms (a list only where a value repeats).
  const sessionByKeyValue = new Map<string, SessionOut | SessionOut[]>();
  // Stored native keys already taken, per platform (a native key that another key type already uses gets its
  // type). Heuristic keys are not kept: they all hold "|heuristic|", so only a native key that does can equal one,
  // and then the earlier heuristic sessions are searched.
  // A stored native key is the platform's key, then "#segment" where pauses split it, then " (key type)" where
  // taken. While no platform key holds "#" or " (" (the usual case: plainKeys), two stored keys are equal only
  // if their platform keys are, so the earlier sessions with the same platform key (sessionByKeyValue, which
  // step 5a needs anyway) tell whether a key is taken; otherwise every stored key is kept in usedKeys.
  let plainKeys = true;
  for (let s = 0; s < ns && plainKeys; s++) {
    const ref = bRef[s];
    if (!bOpen[s].heuristic && (!ref || ref.key.includes("#") || ref.key.includes(" ("))) plainKeys = false;
  }
  const usedKeys = new Map<string, Set<string>>();
  const takenBySameKey = (seen: SessionOut | SessionOut[] | undefined, platform: string, key: string) => {
    if (seen === undefined) return false;
    if (!Array.isArray(seen)) return seen.platform === platform && seen.sessionKey === key;
    for (const x of seen) if (x.platform === platform && x.sessionKey === key) return true;
    return false;
  };
  const takenByHeuristic = (platform: string, key: string, before: number) => {
    if (!key.includes("|heuristic|")) return false;
    for (let k = 0; k < before; k++) if (sessions[k].keyType === "heuristic" && sessions[k].platform === platform && sessions[k].sessionKey === key) return true;
    return false;
  };
  for (let s = 0; s < ns; s++) {
    const from = segStart[s];
    const to = segStart[s + 1];
    const o = bOpen[s];
    const platform = o.platform;
    const heuristic = o.heuristic;
    const segment = bSegment[s];
    // The grouping key, with its segment number where pauses split it.
    const key = segment !== null ? `${baseOf(o)}#${segment}` : baseOf(o);
    const id = stableId("session", key);
    const ref = bRef[s];
    // Distinct source addresses: one in the common case; a set (then sorted) only when there are several.
    let ip0: string | null = null;
    let ips: Set<string> | null = null;
    const eventIds: string[] = new Array<string>(to - from);
    for (let j = from; j < to; j++) {
      const i = segEvents[j];
      const ev = events[i];
      eventIds[j - from] = ev.id;
      const ip = ev.data.src_endpoint.ip;
      if (!ip) continue;
      if (ip0 === null) ip0 = ip;
      else if (ip !== ip0) (ips ??= new Set([ip0])).add(ip);
      else if (ips) ips.add(ip);
    }
    let sessionKey = key;
    const seen = !heuristic && ref ? sessionByKeyValue.get(ref.key) : undefined;
    if (!heuristic) {
      if (ref) {
        sessionKey = segment !== null ? `${ref.key}#${segment}` : ref.key;
        const taken = plainKeys ? takenBySameKey(seen, platform, sessionKey) : usedKeys.get(platform)?.has(sessionKey);
        if (taken || takenByHeuristic(platform, sessionKey, s)) sessionKey = `${sessionKey} (${ref.key_type})`;
      }
      if (!plainKeys) {
        let used = usedKeys.get(platform);
        if (!used) usedKeys.set(platform, (used = new Set()));
        used.add(sessionKey);
      }
    }
    const single = to - from === 1;
    const credentialId = single ? evCredId[segEvents[from]] : majority(segEvents, from, to, evCredId);
    const out: SessionOut = {
      id,
      platform,
      sessionKey,
      keyType: heuristic ? "heuristic" : "native",
      rule: bRule[s],
      confidence: bConfidence[s],
      identityId: single ? evIdentity[segEvents[from]] : majority(segEvents, from, to, evIdentity),
      initiatorIdentityId: null,
      initiatorRule: null,
      credentialId,
      startedAt: events[segEvents[from]].data.time,
      endedAt: events[segEvents[to - 1]].data.time,
      eventIds,
      srcIps: ips ? [...ips].sort() : ip0 !== null ? [ip0] : [],
    };
    sessions[s] = out;
    sessionStart[s] = times[segEvents[from]];
    // The session's credential object: the majority id is one of its events' credentials.
    let cred: Cred | null = null;
    if (credentialId !== null)
      for (let j = from; j < to && !cred; j++) if (evCredId[segEvents[j]] === credentialId) cred = evCred[segEvents[j]];
    sessionCred[s] = cred;
    if (!heuristic && ref) {
      if (seen === undefined) sessionByKeyValue.set(ref.key, out);
      else if (Array.isArray(seen)) seen.push(out);
      else sessionByKeyValue.set(ref.key, [seen, out]);
    }
  }
  phase("sessions.build");

  // 5. Links.
  const links: LinkOut[] = [];
  const linkSeen = new Set<string>();
  const addLink = (l: LinkOut) => {
    const k = `${l.from}|${l.to}|${l.kind}`;
    if (l.from === l.to || linkSeen.has(k)) return;
    linkSeen.add(k);
    links.push(l);
  };
  // 5a. One key, two platforms: the same session seen by both (Entra sessionId in M365 AppAccessContext).
  for (const [value, list] of sessionByKeyValue) {
    if (!Array.isArray(list)) continue;
    const platforms = new Set(list.map((s) => s.platform));
    if (platforms.size < 2) continue;
    const sorted = [...list].sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.id < b.id ? -1 : 1));
    for (const s of sorted.slice(1)) {
      if (s.platform === sorted[0].platform) continue;
      addLink({ from: sorted[0].id, to: s.id, kind: "same_session", rule: "shared_session_key", matchedFields: { sessionKey: value }, confidence: 1 });
    }
  }
  // 5b. IdP single sign-on → the app session it opened. The SSO events are found first; the app sessions are
  // indexed (platform, identity → session indexes by start) only when there is one.
  const ssoEvents = ssoCandidates.filter((x) => evSeg[x.i] >= 0 && evIdentity[x.i] !== null);
  if (ssoEvents.length > 0) {
    const targets = new Set(ssoEvents.map((x) => x.target));
    const appSessions = new Map<string, Map<string, number[]>>(); // platform → identity → sessions by start
    for (let s = 0; s < ns; s++) {
      const ss = sessions[s];
      if (!ss.identityId || !targets.has(ss.platform)) continue;
      let byWho = appSessions.get(ss.platform);
      if (!byWho) appSessions.set(ss.platform, (byWho = new Map()));
      const list = byWho.get(ss.identityId);
      if (list) list.push(s);
      else byWho.set(ss.identityId, [s]);
    }
    for (const { i, appName, rule, target } of ssoEvents) {
      const e = events[i].data;
      const from = evSession(i)!;
      const who = evIdentity[i]!;
      const t = times[i];
      let best = -1;
      let bestDelta = Infinity;
      for (const s of appSessions.get(target)?.get(who) ?? []) {
        const d = sessionStart[s] - t;
        if (d < -SSO_WINDOW_BEFORE_MS || d > SSO_WINDOW_AFTER_MS) continue;
        if (Math.abs(d) < bestDelta) {
          best = s;
          bestDelta = Math.abs(d);
        }
      }
      if (best < 0) continue;
      const to = sessions[best];
      const ip = e.src_endpoint.ip;
      const ipMatch = ip !== null && to.srcIps.includes(ip);
      addLink({
        from,
        to: to.id,
        kind: "idp_to_app",
        rule,
        matchedFields: { identity: who, app: appName, secondsAfterSso: Math.round((sessionStart[best] - t) / 1000), ...(ipMatch ? { ip: ip } : {}) },
        confidence: ipMatch ? 0.95 : 0.8,
      });
    }
  }
  // 5c. Credential lineage: the session that minted (or used the parent of) the credential another session runs on.
  // Only the first session on a credential that is someone's parent is ever needed.
  const parentIds = new Set<string>();
  for (const c of credList) if (c.parentId) parentIds.add(c.parentId);
  const firstSessionOn = new Map<string, string>();
  if (parentIds.size > 0)
    for (let s = 0; s < ns; s++) {
      const cid = sessions[s].credentialId;
      if (cid && parentIds.has(cid) && !firstSessionOn.has(cid)) firstSessionOn.set(cid, sessions[s].id);
    }
  for (let s = 0; s < ns; s++) {
    const rec = sessionCred[s];
    if (!rec) continue;
    const c = rec.out;
    const minted = rec.minted;
    const fromSession = minted >= 0 ? evSession(minted) : c.parentId ? firstSessionOn.get(c.parentId) : undefined;
    const to = sessions[s];
    if (!fromSession || fromSession === to.id) continue;
    addLink({
      from: fromSession,
      to: to.id,
      kind: "credential_lineage",
      rule: minted >= 0 ? "credential_minted_in_session" : "parent_credential_session",
      matchedFields: { credential: c.externalId, ...(c.parentRule ? { parentRule: c.parentRule } : {}) },
      confidence: minted >= 0 ? 1 : 0.9,
    });
  }
  phase("links");

  // 6. Initiators: up the lineage chain to the first session that has no provable upstream.
  // The proven upstream of a session: the session that minted its credential, else the IdP session whose
  // single sign-on opened it, else the same session seen first on another platform.
  const incoming = new Map<string, { from: string; kind: LinkOut["kind"] }>();
  for (const kind of ["credential_lineage", "idp_to_app", "same_session"] as const) {
    for (const l of links) if (l.kind === kind && !incoming.has(l.to)) incoming.set(l.to, { from: l.from, kind });
  }
  const upstreamRule = { credential_lineage: "credential_lineage", idp_to_app: "idp_sso", same_session: "same_session" } as const;
  const sessionDelegation = new Map<string, { identityId: string; via: string }>();
  if (anyDelegation)
    for (let i = 0; i < n; i++) {
      const acc = evInitiator[i];
      const sid = evSession(i);
      if (acc?.identityId && sid && !sessionDelegation.has(sid)) sessionDelegation.set(sid, { identityId: acc.identityId, via: evInitiatorVia[i]! });
    }
  let sessionById: Map<string, SessionOut> | null = null;
  for (let k = 0; k < ns; k++) {
    const s = sessions[k];
    const delegated = sessionDelegation.size > 0 ? sessionDelegation.get(s.id) : undefined;
    if (delegated) {
      s.initiatorIdentityId = delegated.identityId;
      s.initiatorRule = `delegation:${delegated.via}`;
      continue;
    }
    let cur = s;
    let rule: string | null = null;
    let up = incoming.size > 0 ? incoming.get(s.id) : undefined;
    if (up) {
      sessionById ??= new Map(sessions.map((x) => [x.id, x]));
      const seen = new Set<string>([s.id]);
      for (; up && !seen.has(up.from); up = incoming.get(cur.id)) {
        seen.add(up.from);
        rule ??= upstreamRule[up.kind];
        cur = sessionById.get(up.from)!;
      }
    }
    s.initiatorIdentityId = cur.identityId;
    s.initiatorRule = cur.identityId ? (cur === s ? "same_identity" : rule) : null;
  }
  phase("initiators");

  const eventIds = new Array<string>(n);
  const eventSession = new Array<string | null>(n);
  for (let i = 0; i < n; i++) {
    eventIds[i] = events[i].id;
    eventSession[i] = evSession(i);
  }
  phase("event assignments");
  return { identities, credentials: credList, sessions, links, eventIds, eventIdentity: evIdentity, eventSession };
}

/** A result's per-event identity and session as maps by event id, for lookups (events without one are absent). */
export function eventAssignments(res: Pick<CorrelationResult, "eventIds" | "eventIdentity" | "eventSession">): { identity: Map<string, string>; session: Map<string, string> } {
  const identity = new Map<string, string>();
  const session = new Map<string, string>();
  res.eventIds.forEach((id, k) => {
    const who = res.eventIdentity[k];
    if (who) identity.set(id, who);
    const sid = res.eventSession[k];
    if (sid) session.set(id, sid);
  });
  return { identity, session };
}
