import { createHash } from "node:crypto";
import type { ActorKind, CredentialKind, NormalizedEventJson } from "@/lib/events/schema";
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
export const TOKEN_GAP_MS = 2 * 60 * 60_000;
/** An app session that starts this long before or after the IdP's SSO event can be the one it opened. */
export const SSO_WINDOW_BEFORE_MS = 2 * 60_000;
export const SSO_WINDOW_AFTER_MS = 10 * 60_000;
const IDP_PLATFORMS = new Set(["okta", "entra"]);
const TOKEN_KEY_TYPES = new Set(["github.hashed_token", "github.token_id"]);

/** Which platform an IdP's application name stands for. */
const APP_PLATFORMS: [RegExp, string][] = [
  [/salesforce/i, "salesforce"],
  [/slack/i, "slack"],
  [/google|g suite|gsuite|workspace/i, "google-workspace"],
  [/amazon web services|\baws\b|iam identity center/i, "aws-cloudtrail"],
  [/atlassian|jira|confluence/i, "atlassian"],
  [/snowflake/i, "snowflake"],
  [/github/i, "github"],
  [/office 365|microsoft 365|exchange|sharepoint|onedrive|teams/i, "m365"],
];

export function appPlatform(appName: string | null): string | null {
  if (!appName) return null;
  for (const [re, p] of APP_PLATFORMS) if (re.test(appName)) return p;
  return null;
}

/** A UUID derived from its parts (SHA-256, version 5 layout), so the same key always gets the same id. */
export function stableId(...parts: string[]): string {
  const h = createHash("sha256").update(parts.join("\u0000")).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
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
};

function accountKey(e: NormalizedEventJson): string | null {
  const a = e.actor;
  if (a.external_id) return `${e.platform}|id|${a.external_id}`;
  if (a.login) return `${e.platform}|login|${a.login.toLowerCase()}`;
  if (a.name) return `${e.platform}|name|${a.name}`;
  return null;
}

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

/**
 * The session's key as stored (unique per platform): the platform's own key when it alone names the session;
 * a token hash split by pauses gets its segment number; a key that two key types share on one platform gets
 * its key type; heuristic sessions keep their grouping key.
 */
function sessionKeyOf(b: { key: string; platform: string; keyType: "native" | "heuristic"; segment: number | null }, ref: NormalizedEventJson["session"], used: Set<string>): string {
  let key = b.key;
  if (b.keyType === "native" && ref) {
    key = b.segment !== null ? `${ref.key}#${b.segment}` : ref.key;
    if (used.has(`${b.platform}|${key}`)) key = `${key} (${ref.key_type})`;
  }
  used.add(`${b.platform}|${key}`);
  return key;
}

const KIND_ORDER: readonly IdentityKind[] = ["human", "service_account", "oauth_app", "bot", "ai_agent", "workload", "api_token", "system", "unknown"];

export function correlate(input: readonly CorrelationEvent[]): CorrelationResult {
  // Time order (then id) makes every later step deterministic. Times are parsed once; the sort compares numbers,
  // and ids only on ties. From here on an event is its index in this order, and per-event facts live in arrays.
  const order = input.map((ev, i) => ({ ev, t: Date.parse(ev.data.time), i }));
  order.sort((a, b) => a.t - b.t || (a.ev.id < b.ev.id ? -1 : a.ev.id > b.ev.id ? 1 : 0));
  const events = order.map((o) => o.ev);
  const times = order.map((o) => o.t);
  const n = events.length;

  // 1. Accounts.
  const accounts = new Map<string, Account>();
  const evAccount: (Account | null)[] = new Array<Account | null>(n).fill(null);
  for (let i = 0; i < n; i++) {
    const e = events[i].data;
    const key = accountKey(e);
    if (!key) continue;
    let acc = accounts.get(key);
    if (!acc) {
      acc = { key, platform: e.platform, externalId: e.actor.external_id, login: e.actor.login, names: new Map(), emails: new Map(), kinds: new Map(), first: e.time, last: e.time, identityId: null };
      accounts.set(key, acc);
    }
    evAccount[i] = acc;
    acc.last = e.time;
    acc.login ??= e.actor.login;
    bump(acc.names, e.actor.name ?? e.actor.login);
    const email = lower(e.actor.email) ?? (e.actor.login && EMAIL.test(e.actor.login) ? e.actor.login.toLowerCase() : null);
    bump(acc.emails, email);
    if (e.actor.kind_hint !== "unknown") bump(acc.kinds, e.actor.kind_hint);
  }
  // Delegation: a source that knows who acted through the actor's identity (Salesforce Login-As) names that
  // person in extra.initiator {external_id, login, name, via}. They become an account of their own.
  const evInitiator: (Account | null)[] = new Array<Account | null>(n).fill(null);
  const evInitiatorVia: (string | null)[] = new Array<string | null>(n).fill(null);
  for (let i = 0; i < n; i++) {
    const e = events[i].data;
    const ini = e.extra.initiator;
    if (!ini || typeof ini !== "object" || Array.isArray(ini)) continue;
    const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
    const actor = { external_id: str(ini.external_id), login: str(ini.login), name: str(ini.name) };
    const key = accountKey({ ...e, actor: { ...e.actor, ...actor } });
    if (!key) continue;
    let acc = accounts.get(key);
    if (!acc) {
      acc = { key, platform: e.platform, externalId: actor.external_id, login: actor.login, names: new Map(), emails: new Map(), kinds: new Map(), first: e.time, last: e.time, identityId: null };
      accounts.set(key, acc);
    }
    bump(acc.names, actor.name ?? actor.login);
    bump(acc.emails, actor.login && EMAIL.test(actor.login) ? actor.login.toLowerCase() : null);
    evInitiator[i] = acc;
    evInitiatorVia[i] = str(ini.via) ?? "delegation";
  }

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
  const identityKind = new Map<string, IdentityKind>();
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
    identityKind.set(id, kind);
    identities.push({ id, kind, displayName: top(names) ?? primaryEmail ?? aliases[0].externalId, primaryEmail, aliases, firstSeenAt: first, lastSeenAt: last });
  }
  for (const acc of accounts.values()) acc.identityId = accountIdentity.get(acc.key)!;
  const evIdentity: (string | null)[] = evAccount.map((a) => a?.identityId ?? null);

  // 3. Credentials.
  const creds = new Map<string, CredentialOut>();
  const credIds = new Map<string, string>();
  const credId = (platform: string, key: string) => {
    const k = `${platform}\u0000${key}`;
    let id = credIds.get(k);
    if (id === undefined) credIds.set(k, (id = stableId("credential", platform, key)));
    return id;
  };
  const touchCred = (platform: string, key: string, kind: CredentialKind, keyType: string | null, time: string | null, used: boolean) => {
    const id = credId(platform, key);
    let c = creds.get(id);
    if (!c) {
      c = { id, kind, platform, externalId: key, keyType, identityId: null, parentId: null, parentRule: null, parentEvidence: null, firstSeenAt: time, lastUsedAt: null };
      creds.set(id, c);
    }
    if (c.kind === "unknown" && kind !== "unknown") c.kind = kind;
    c.keyType ??= keyType;
    if (used && time) c.lastUsedAt = time;
    return c;
  };
  const setParent = (child: CredentialOut, parent: CredentialOut, rule: string, eventId: string, fieldName: string) => {
    if (child.parentId || child.id === parent.id) return; // the first proof wins; never a self-loop
    child.parentId = parent.id;
    child.parentRule = rule;
    child.parentEvidence = { eventId, field: fieldName };
  };
  const evCred: (string | null)[] = new Array<string | null>(n).fill(null);
  /** Which event (index) minted a credential (for session lineage). */
  const mintedBy = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const ev = events[i];
    const e = ev.data;
    if (e.credential?.key) {
      const c = touchCred(e.platform, e.credential.key, e.credential.kind, e.credential.key_type, e.time, true);
      evCred[i] = c.id;
      const who = evIdentity[i];
      if (who && !c.identityId) c.identityId = who;
      if (e.credential.parent_key) {
        const p = touchCred(e.platform, e.credential.parent_key, e.credential.parent_kind ?? "unknown", e.credential.parent_key_type, null, false);
        setParent(c, p, `declared_parent:${e.credential.key_type ?? "key"}`, ev.id, "credential.parent_key");
      }
    }
    for (const ic of e.issued_credentials) {
      const child = touchCred(e.platform, ic.key, ic.kind, ic.key_type, e.time, false);
      if (!mintedBy.has(child.id)) mintedBy.set(child.id, i);
      if (ic.parent_key) {
        const p = touchCred(e.platform, ic.parent_key, "unknown", ic.parent_key_type, null, false);
        setParent(child, p, `issued_by:${e.event_name}`, ev.id, "issued_credentials.parent_key");
      }
    }
  }

  // 4. Sessions.
  type Building = { key: string; platform: string; rule: string; keyType: "native" | "heuristic"; segment: number | null; confidence: number; ref: NormalizedEventJson["session"]; events: number[] };
  // One entry per grouping key: its current segment (a new one starts after a pause longer than the gap).
  const open = new Map<string, { n: number; last: number; cur: Building }>();
  const all: Building[] = [];
  // A keyless event that shares the platform's own flow id (correlation_id) with a keyed event belongs to that
  // event's session: Snowflake's LOGIN_HISTORY row (EVENT_ID) and its SESSIONS row (LOGIN_EVENT_ID, SESSION_ID).
  const sessionByFlow = new Map<string, NonNullable<NormalizedEventJson["session"]>>();
  for (let i = 0; i < n; i++) {
    const e = events[i].data;
    if (e.session?.key && e.correlation_id && !TOKEN_KEY_TYPES.has(e.session.key_type)) {
      const k = `${e.platform}|${e.correlation_id}`;
      if (!sessionByFlow.has(k)) sessionByFlow.set(k, e.session);
    }
  }
  for (let i = 0; i < n; i++) {
    const e = events[i].data;
    const t = times[i];
    let base: string;
    let rule: string;
    let keyType: "native" | "heuristic";
    let confidence: number;
    let gap: number | null;
    const viaFlow = !e.session?.key && e.correlation_id ? sessionByFlow.get(`${e.platform}|${e.correlation_id}`) : undefined;
    if (viaFlow) {
      base = `${e.platform}|${viaFlow.key_type}|${viaFlow.key}`;
      rule = viaFlow.key_type;
      keyType = "native";
      confidence = 1;
      gap = null;
    } else if (e.session?.key) {
      base = `${e.platform}|${e.session.key_type}|${e.session.key}`;
      rule = e.session.key_type;
      keyType = "native";
      confidence = 1;
      gap = TOKEN_KEY_TYPES.has(e.session.key_type) ? TOKEN_GAP_MS : null;
      if (gap !== null) {
        rule = `${e.session.key_type}+gap`;
        confidence = 0.9;
      }
    } else {
      const who = evIdentity[i];
      if (!who) continue;
      const ip = e.src_endpoint.ip ?? "";
      const ua = e.user_agent ?? "";
      const client = e.client?.app_id ?? "";
      base = `${e.platform}|heuristic|${who}|${client}|${ip}|${ua}`;
      rule = "heuristic:identity+client+ip+user_agent,gap<=30m";
      keyType = "heuristic";
      confidence = ip || ua ? 0.6 : 0.4;
      gap = HEURISTIC_GAP_MS;
    }
    let o = open.get(base);
    if (!o || (gap !== null && t - o.last > gap)) {
      const segNo = o ? o.n + 1 : 0;
      const b: Building = { key: gap !== null ? `${base}#${segNo}` : base, platform: e.platform, rule, keyType, segment: gap !== null ? segNo : null, confidence, ref: viaFlow ?? e.session, events: [] };
      all.push(b);
      o = { n: segNo, last: t, cur: b };
      open.set(base, o);
    }
    o.last = t;
    o.cur.events.push(i);
  }
  const sessions: SessionOut[] = [];
  const evSession: (string | null)[] = new Array<string | null>(n).fill(null);
  const sessionByKeyValue = new Map<string, SessionOut[]>();
  const usedKeys = new Set<string>();
  for (const b of all) {
    const id = stableId("session", b.key);
    const single = b.events.length === 1;
    const ids = single ? null : new Map<string, number>();
    const credsUsed = single ? null : new Map<string, number>();
    const ips = new Set<string>();
    for (const i of b.events) {
      if (ids && credsUsed) {
        bump(ids, evIdentity[i]);
        bump(credsUsed, evCred[i]);
      }
      const ip = events[i].data.src_endpoint.ip;
      if (ip) ips.add(ip);
      evSession[i] = id;
    }
    const first = events[b.events[0]].data;
    const s: SessionOut = {
      id,
      platform: b.platform,
      sessionKey: sessionKeyOf(b, b.ref, usedKeys),
      keyType: b.keyType,
      rule: b.rule,
      confidence: b.confidence,
      identityId: ids ? top(ids) : evIdentity[b.events[0]],
      initiatorIdentityId: null,
      initiatorRule: null,
      credentialId: credsUsed ? top(credsUsed) : evCred[b.events[0]],
      startedAt: first.time,
      endedAt: events[b.events[b.events.length - 1]].data.time,
      eventIds: b.events.map((i) => events[i].id),
      srcIps: ips.size > 1 ? [...ips].sort() : [...ips],
    };
    sessions.push(s);
    if (b.keyType === "native" && b.ref) {
      const list = sessionByKeyValue.get(b.ref.key);
      if (list) list.push(s);
      else sessionByKeyValue.set(b.ref.key, [s]);
    }
  }
  const sessionById = new Map(sessions.map((s) => [s.id, s]));

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
    const platforms = new Set(list.map((s) => s.platform));
    if (platforms.size < 2) continue;
    const sorted = [...list].sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.id < b.id ? -1 : 1));
    for (const s of sorted.slice(1)) {
      if (s.platform === sorted[0].platform) continue;
      addLink({ from: sorted[0].id, to: s.id, kind: "same_session", rule: "shared_session_key", matchedFields: { sessionKey: value }, confidence: 1 });
    }
  }
  // 5b. IdP single sign-on → the app session it opened.
  const appSessions = new Map<string, SessionOut[]>(); // platform|identity → sessions by start
  for (const s of sessions) {
    if (!s.identityId) continue;
    const k = `${s.platform}|${s.identityId}`;
    const list = appSessions.get(k) ?? [];
    list.push(s);
    appSessions.set(k, list);
  }
  const linkedToIdp = new Set<string>();
  for (let i = 0; i < n; i++) {
    const e = events[i].data;
    if (!IDP_PLATFORMS.has(e.platform) || e.status === "failure") continue;
    let appName: string | null = null;
    let rule: string | null = null;
    if (e.platform === "okta" && e.event_name === "user.authentication.sso") {
      appName = e.resources.find((r) => r.type === "AppInstance")?.name ?? e.resources[0]?.name ?? null;
      rule = "okta_sso_event";
    } else if (e.platform === "entra" && e.class_uid === 3002 && e.client?.app_name) {
      appName = e.client.app_name;
      rule = "entra_signin_to_app";
    }
    const target = appPlatform(appName);
    const from = evSession[i];
    const who = evIdentity[i];
    if (!target || !rule || !from || !who || target === e.platform) continue;
    const t = times[i];
    let best: SessionOut | null = null;
    let bestDelta = Infinity;
    for (const s of appSessions.get(`${target}|${who}`) ?? []) {
      const d = Date.parse(s.startedAt) - t;
      if (d < -SSO_WINDOW_BEFORE_MS || d > SSO_WINDOW_AFTER_MS) continue;
      if (Math.abs(d) < bestDelta) {
        best = s;
        bestDelta = Math.abs(d);
      }
    }
    if (!best) continue;
    const ip = e.src_endpoint.ip;
    const ipMatch = ip !== null && best.srcIps.includes(ip);
    addLink({
      from,
      to: best.id,
      kind: "idp_to_app",
      rule,
      matchedFields: { identity: who, app: appName!, secondsAfterSso: Math.round((Date.parse(best.startedAt) - t) / 1000), ...(ipMatch ? { ip: ip } : {}) },
      confidence: ipMatch ? 0.95 : 0.8,
    });
    linkedToIdp.add(best.id);
  }
  // 5c. Credential lineage: the session that minted (or used the parent of) the credential another session runs on.
  const credSessions = new Map<string, string[]>();
  for (const s of sessions) {
    if (!s.credentialId) continue;
    const list = credSessions.get(s.credentialId) ?? [];
    list.push(s.id);
    credSessions.set(s.credentialId, list);
  }
  for (const s of sessions) {
    if (!s.credentialId) continue;
    const c = creds.get(s.credentialId)!;
    const minted = mintedBy.get(c.id);
    const fromSession = minted !== undefined ? evSession[minted] : c.parentId ? credSessions.get(c.parentId)?.[0] : undefined;
    if (!fromSession || fromSession === s.id) continue;
    addLink({
      from: fromSession,
      to: s.id,
      kind: "credential_lineage",
      rule: minted !== undefined ? "credential_minted_in_session" : "parent_credential_session",
      matchedFields: { credential: c.externalId, ...(c.parentRule ? { parentRule: c.parentRule } : {}) },
      confidence: minted !== undefined ? 1 : 0.9,
    });
  }

  // 6. Initiators: up the lineage chain to the first session that has no provable upstream.
  // The proven upstream of a session: the session that minted its credential, else the IdP session whose
  // single sign-on opened it, else the same session seen first on another platform.
  const incoming = new Map<string, { from: string; kind: LinkOut["kind"] }>();
  for (const kind of ["credential_lineage", "idp_to_app", "same_session"] as const) {
    for (const l of links) if (l.kind === kind && !incoming.has(l.to)) incoming.set(l.to, { from: l.from, kind });
  }
  const upstreamRule = { credential_lineage: "credential_lineage", idp_to_app: "idp_sso", same_session: "same_session" } as const;
  const sessionDelegation = new Map<string, { identityId: string; via: string }>();
  for (let i = 0; i < n; i++) {
    const acc = evInitiator[i];
    const sid = evSession[i];
    if (acc?.identityId && sid && !sessionDelegation.has(sid)) sessionDelegation.set(sid, { identityId: acc.identityId, via: evInitiatorVia[i]! });
  }
  for (const s of sessions) {
    const delegated = sessionDelegation.get(s.id);
    if (delegated) {
      s.initiatorIdentityId = delegated.identityId;
      s.initiatorRule = `delegation:${delegated.via}`;
      continue;
    }
    let cur = s;
    let rule: string | null = null;
    const seen = new Set<string>([s.id]);
    for (let up = incoming.get(cur.id); up && !seen.has(up.from); up = incoming.get(cur.id)) {
      seen.add(up.from);
      rule ??= upstreamRule[up.kind];
      cur = sessionById.get(up.from)!;
    }
    s.initiatorIdentityId = cur.identityId;
    s.initiatorRule = cur.identityId ? (cur === s ? "same_identity" : rule) : null;
  }

  const eventIdentity = new Map<string, string>();
  const eventSession = new Map<string, string>();
  for (let i = 0; i < n; i++) {
    const who = evIdentity[i];
    if (who) eventIdentity.set(events[i].id, who);
    const sid = evSession[i];
    if (sid) eventSession.set(events[i].id, sid);
  }
  return { identities, credentials: [...creds.values()], sessions, links, eventIdentity, eventSession };
}
