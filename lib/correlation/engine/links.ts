import type { LinkOut } from "../types";
import { sessionIdOf, type CorrelationState } from "./state";

// Phase 5: links between sessions, each with its rule, the fields that matched and a confidence.
//  a. one key, two platforms: the same session seen by both (Entra sessionId in M365 AppAccessContext);
//  b. an IdP single sign-on event to the app session the person opened right after;
//  c. credential lineage: a session minted the credential another session used (or its parent).
// A link between two sessions is kept once per kind (the first found), never from a session to itself.

/** An app session that starts this long before or after the IdP's SSO event can be the one it opened. */
const SSO_WINDOW_BEFORE_MS = 2 * 60_000;
const SSO_WINDOW_AFTER_MS = 10 * 60_000;

type Links = { list: LinkOut[]; seen: Set<string> };

function addLink(links: Links, l: LinkOut): void {
  const k = `${l.from}|${l.to}|${l.kind}`;
  if (l.from === l.to || links.seen.has(k)) return;
  links.seen.add(k);
  links.list.push(l);
}

export function linkSessions(st: CorrelationState): void {
  const links: Links = { list: st.links, seen: new Set() };
  sharedKeyLinks(st, links);
  ssoLinks(st, links);
  lineageLinks(st, links);
}

/** a. One key, two platforms. */
function sharedKeyLinks(st: CorrelationState, links: Links): void {
  for (const [value, list] of st.sessionByKeyValue) {
    if (!Array.isArray(list)) continue;
    const platforms = new Set(list.map((s) => s.platform));
    if (platforms.size < 2) continue;
    const sorted = [...list].sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.id < b.id ? -1 : 1));
    for (const s of sorted.slice(1)) {
      if (s.platform === sorted[0].platform) continue;
      addLink(links, {
        from: sorted[0].id,
        to: s.id,
        kind: "same_session",
        rule: "shared_session_key",
        matchedFields: { sessionKey: value },
        confidence: 1,
      });
    }
  }
}

/**
 * b. IdP single sign-on to the app session it opened. The SSO events were found by phase 1; the app sessions
 * are indexed (platform, identity → session numbers by start) only when there is one.
 */
function ssoLinks(st: CorrelationState, links: Links): void {
  const { events, times, evSeg, evIdentity, sessions, sessionStart } = st;
  const ssoEvents = st.ssoCandidates.filter((x) => evSeg[x.i] >= 0 && evIdentity[x.i] !== null);
  if (ssoEvents.length === 0) return;
  const targets = new Set(ssoEvents.map((x) => x.target));
  const appSessions = new Map<string, Map<string, number[]>>(); // platform → identity → sessions by start
  for (let s = 0; s < sessions.length; s++) {
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
    const from = sessionIdOf(st, i)!;
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
    addLink(links, {
      from,
      to: to.id,
      kind: "idp_to_app",
      rule,
      matchedFields: {
        identity: who,
        app: appName,
        secondsAfterSso: Math.round((sessionStart[best] - t) / 1000),
        ...(ipMatch ? { ip: ip } : {}),
      },
      confidence: ipMatch ? 0.95 : 0.8,
    });
  }
}

/**
 * c. Credential lineage: the session that minted (or used the parent of) the credential another session runs
 * on. Only the first session on a credential that is someone's parent is ever needed.
 */
function lineageLinks(st: CorrelationState, links: Links): void {
  const { sessions, sessionCred } = st;
  const ns = sessions.length;
  const parentIds = new Set<string>();
  for (const c of st.credentials) if (c.parentId) parentIds.add(c.parentId);
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
    const fromSession = minted >= 0 ? sessionIdOf(st, minted) : c.parentId ? firstSessionOn.get(c.parentId) : undefined;
    const to = sessions[s];
    if (!fromSession || fromSession === to.id) continue;
    addLink(links, {
      from: fromSession,
      to: to.id,
      kind: "credential_lineage",
      rule: minted >= 0 ? "credential_minted_in_session" : "parent_credential_session",
      matchedFields: { credential: c.externalId, ...(c.parentRule ? { parentRule: c.parentRule } : {}) },
      confidence: minted >= 0 ? 1 : 0.9,
    });
  }
}
