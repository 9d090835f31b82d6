import type { LinkOut } from "../types";
import { eventRepo, oidcRepo } from "./platform-rules";
import { sessionIdOf, type CorrelationState } from "./state";

// Phase 5: links between sessions, each with its rule, the fields that matched and a confidence.
//  a. one key, two platforms: the same session seen by both (Entra sessionId in M365 AppAccessContext);
//  b. an IdP single sign-on event to the app session the person opened right after;
//  c. credential lineage: a session minted the credential another session used (or its parent).
//  d. a key used again (engine/segments.ts split it): the later session to the key's first (token_reuse, session_key_reuse);
//  e. a human behind a non-human identity: a person's session minted or used the credential an NHI session uses;
//  f. OIDC federation: a CI job's token exchanged for a cloud role (GitHub Actions to AWS AssumeRoleWithWebIdentity,
//     to an Entra workload identity federation sign-in);
//  g. the same source address within minutes: a low-confidence hint between sessions of different identities or platforms,
//     never between two different people (two human identities).
// A link between two sessions is kept once per kind (the one with the strongest evidence: the highest confidence,
// the first found among equals), never from a session to itself.

/** An app session that starts this long before or after the IdP's SSO event can be the one it opened. */
const SSO_WINDOW_BEFORE_MS = 2 * 60_000;
const SSO_WINDOW_AFTER_MS = 10 * 60_000;

/** The links made so far, and where each (from, to, kind) sits in the list. */
type Links = { list: LinkOut[]; seen: Map<string, number> };

function addLink(links: Links, l: LinkOut): void {
  if (l.from === l.to) return;
  const k = `${l.from}|${l.to}|${l.kind}`;
  const at = links.seen.get(k);
  if (at === undefined) {
    links.seen.set(k, links.list.length);
    links.list.push(l);
  } else if (l.confidence > links.list[at].confidence) links.list[at] = l;
}

export function linkSessions(st: CorrelationState): void {
  const links: Links = { list: st.links, seen: new Map() };
  sharedKeyLinks(st, links);
  ssoLinks(st, links);
  lineageLinks(st, links);
  reuseLinks(st, links);
  humanBehindNhiLinks(st, links);
  oidcLinks(st, links);
  sameIpLinks(st, links);
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
      if (s === evSeg[i]) continue; // an IdP inside the app's platform: its own sign-in session is not the one it opened
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

/** d. A later session of a key that segments.ts split off (a token reused, a session key past its limits) to the key's first. */
function reuseLinks(st: CorrelationState, links: Links): void {
  const { sessions, segReuseOf, segReuseWhy, segRef, rules } = st;
  for (let s = 0; s < sessions.length; s++) {
    const first = segReuseOf[s];
    if (first < 0 || first === s) continue;
    const ref = segRef[s]!;
    const token = rules.tokenKeyTypes.has(ref.key_type);
    const to = sessions[s];
    const from = sessions[first];
    addLink(links, {
      from: from.id,
      to: to.id,
      kind: token ? "token_reuse" : "session_key_reuse",
      rule: token ? "token_reuse" : "session_key_reuse",
      matchedFields: {
        [token ? "token" : "sessionKey"]: ref.key,
        keyType: ref.key_type,
        reason: segReuseWhy[s]!,
        ...(to.srcIps[0] && !from.srcIps.includes(to.srcIps[0]) ? { newIp: to.srcIps[0] } : {}),
      },
      // The same key proves the same credential; that it is another session is what the split says.
      confidence: token ? 0.9 : 0.8,
    });
  }
}

/** Identity id → kind. */
const identityKinds = (st: CorrelationState): Map<string, string> => new Map(st.identities.map((i) => [i.id, i.kind]));

const NON_HUMAN = new Set(["service_account", "oauth_app", "api_token", "bot", "ai_agent", "workload"]);

/**
 * e. A person's session that minted the credential a non-human identity's session then uses (confidence 0.9), or
 * minted / used its parent credential (0.8), or used the credential itself first (0.7).
 */
function humanBehindNhiLinks(st: CorrelationState, links: Links): void {
  const { sessions, sessionCred, sessionStart, evSeg } = st;
  const kindOf = identityKinds(st);
  const human = (s: number) => s >= 0 && kindOf.get(sessions[s].identityId ?? "") === "human";
  const nhi = (s: number) => NON_HUMAN.has(kindOf.get(sessions[s].identityId ?? "") ?? "");
  // The earliest session of a person on each credential.
  const firstHumanOn = new Map<string, number>();
  for (let s = 0; s < sessions.length; s++) {
    const cid = sessions[s].credentialId;
    if (!cid || !human(s)) continue;
    const k = firstHumanOn.get(cid);
    if (k === undefined || sessionStart[s] < sessionStart[k]) firstHumanOn.set(cid, s);
  }
  let credById: Map<string, (typeof st.credRecs)[number]> | null = null;
  const mintedIn = (credId: string) => {
    credById ??= new Map(st.credRecs.map((r) => [r.out.id, r]));
    const c = credById.get(credId);
    return c && c.minted >= 0 ? evSeg[c.minted] : -1;
  };
  for (let s = 0; s < sessions.length; s++) {
    const rec = sessionCred[s];
    if (!rec || !nhi(s)) continue;
    const c = rec.out;
    let from = rec.minted >= 0 ? evSeg[rec.minted] : -1;
    let rule = "human_behind_nhi:minted_credential";
    let confidence = 0.9;
    if (!human(from) && c.parentId) {
      from = mintedIn(c.parentId);
      if (!human(from)) from = firstHumanOn.get(c.parentId) ?? -1;
      rule = "human_behind_nhi:parent_credential";
      confidence = 0.8;
    }
    if (!human(from)) {
      from = firstHumanOn.get(c.id) ?? -1;
      rule = "human_behind_nhi:used_credential";
      confidence = 0.7;
      if (from >= 0 && sessionStart[from] > sessionStart[s]) from = -1;
    }
    if (!human(from) || from === s) continue;
    addLink(links, {
      from: sessions[from].id,
      to: sessions[s].id,
      kind: "human_behind_nhi",
      rule,
      matchedFields: { credential: c.externalId, person: sessions[from].identityId!, nhi: sessions[s].identityId! },
      confidence,
    });
  }
}

/**
 * f. OIDC federation. AWS: an AssumeRoleWithWebIdentity whose subject names a GitHub repository, from the latest
 * workflow event of that repository before it (inside the rules' window), to the session that used the minted
 * credentials (else the exchange's own session); 0.9, the subject names the repository. Entra: a workload's
 * sign-in with a federated credential, from the latest workflow event within 10 minutes before it; 0.5 (the
 * sign-in log does not carry the token's subject).
 */
function oidcLinks(st: CorrelationState, links: Links): void {
  const { events, times, evSeg, ciJobs, sessions, sessionCred } = st;
  if (ciJobs.length === 0) return;
  const jobsByRepo = new Map<string, number[]>();
  for (const j of ciJobs) {
    if (evSeg[j] < 0) continue;
    const repo = eventRepo(events[j].data);
    if (!repo) continue;
    const list = jobsByRepo.get(repo);
    if (list) list.push(j);
    else jobsByRepo.set(repo, [j]);
  }
  /** The latest job event in list at or before t, not earlier than t - window. */
  const latest = (list: readonly number[] | undefined, t: number, window: number) => {
    let best = -1;
    for (const j of list ?? []) if (times[j] <= t && t - times[j] <= window && (best < 0 || times[j] >= times[best])) best = j;
    return best;
  };
  if (st.oidcExchanges.length > 0) {
    const sessionOnCred = new Map<string, number>();
    for (let s = 0; s < sessions.length; s++) {
      const c = sessionCred[s];
      if (c && c.minted >= 0 && !sessionOnCred.has(c.out.id)) sessionOnCred.set(c.out.id, s);
    }
    for (const x of st.oidcExchanges) {
      const e = events[x].data;
      const repo = oidcRepo(e.actor.login)!;
      const j = latest(jobsByRepo.get(repo), times[x], st.rules.oidcWindowMs);
      if (j < 0) continue;
      let to = evSeg[x];
      for (const ic of e.issued_credentials) {
        const rec = st.credByPlatform.get(e.platform)?.get(ic.key);
        const s = rec ? sessionOnCred.get(rec.out.id) : undefined;
        if (s !== undefined) {
          to = s;
          break;
        }
      }
      if (to < 0) continue;
      addLink(links, {
        from: sessions[evSeg[j]].id,
        to: sessions[to].id,
        kind: "oidc_federation",
        rule: "oidc_federation:github_actions_to_aws",
        matchedFields: { subject: e.actor.login!, repository: repo, secondsAfterJobEvent: Math.round((times[x] - times[j]) / 1000) },
        confidence: 0.9,
      });
    }
  }
  if (st.federatedSignIns.length > 0) {
    const allJobs = ciJobs.filter((j) => evSeg[j] >= 0);
    for (const x of st.federatedSignIns) {
      if (evSeg[x] < 0) continue;
      const j = latest(allJobs, times[x], ENTRA_FEDERATION_WINDOW_MS);
      if (j < 0) continue;
      addLink(links, {
        from: sessions[evSeg[j]].id,
        to: sessions[evSeg[x]].id,
        kind: "oidc_federation",
        rule: "oidc_federation:github_actions_to_entra",
        matchedFields: {
          application: events[x].data.actor.name ?? events[x].data.actor.external_id ?? "",
          repository: eventRepo(events[j].data) ?? "",
          secondsAfterJobEvent: Math.round((times[x] - times[j]) / 1000),
        },
        confidence: 0.5,
      });
    }
  }
}

/** An Entra workload sign-in with a federated credential this soon after a CI job event may be that job's token exchange. */
const ENTRA_FEDERATION_WINDOW_MS = 10 * 60_000;

/**
 * g. Sessions of different identities (or platforms) whose first addressed events come from one IP within the
 * rules' window: a low-confidence link (0.3), earlier to later. An address where more sessions than the rules
 * allow start inside the window is a shared egress (NAT, proxy): no link from it.
 */
function sameIpLinks(st: CorrelationState, links: Links): void {
  const { sessions, events, evSeg, times, n } = st;
  const { sameIpWindowMs: w, sameIpMaxSessions: max } = st.rules;
  // Each session's first event with an address (time order: the first seen is the first).
  const firstIp = new Int32Array(sessions.length).fill(-1);
  for (let i = 0; i < n; i++) {
    const s = evSeg[i];
    if (s >= 0 && firstIp[s] < 0 && events[i].data.src_endpoint.ip) firstIp[s] = i;
  }
  const byIp = new Map<string, number[]>();
  for (let s = 0; s < sessions.length; s++) {
    if (firstIp[s] < 0) continue;
    const ip = events[firstIp[s]].data.src_endpoint.ip!;
    const list = byIp.get(ip);
    if (list) list.push(s);
    else byIp.set(ip, [s]);
  }
  // Pairs another link already joins (either way): a stronger reason exists, the address adds nothing.
  // A session with a proven upstream (lineage, single sign-on, shared key, OIDC, reuse) needs no address hint either.
  const kindOf = identityKinds(st);
  const isHuman = (id: string | null) => id !== null && kindOf.get(id) === "human";
  const linked = new Set<string>();
  const explained = new Set<string>();
  for (const l of links.list) {
    linked.add(l.from < l.to ? `${l.from}|${l.to}` : `${l.to}|${l.from}`);
    explained.add(l.to);
  }
  for (const [ip, list] of byIp) {
    if (list.length < 2) continue;
    list.sort((a, b) => times[firstIp[a]] - times[firstIp[b]] || (sessions[a].id < sessions[b].id ? -1 : 1));
    let lo = 0;
    for (let k = 0; k < list.length; k++) {
      const t = times[firstIp[list[k]]];
      while (t - times[firstIp[list[lo]]] > w) lo++;
      if (k - lo + 1 > max) continue;
      const to = sessions[list[k]];
      if (explained.has(to.id)) continue;
      for (let m = lo; m < k; m++) {
        const from = sessions[list[m]];
        if (from.identityId === to.identityId && from.platform === to.platform) continue;
        // Two people the identities tell apart (an office NAT, a VPN egress): a shared address says nothing about them.
        if (from.identityId !== to.identityId && isHuman(from.identityId) && isHuman(to.identityId)) continue;
        if (linked.has(from.id < to.id ? `${from.id}|${to.id}` : `${to.id}|${from.id}`)) continue;
        addLink(links, {
          from: from.id,
          to: to.id,
          kind: "same_source_ip",
          rule: "same_source_ip",
          matchedFields: { ip, secondsApart: Math.round((t - times[firstIp[list[m]]]) / 1000) },
          confidence: 0.3,
        });
      }
    }
  }
}
