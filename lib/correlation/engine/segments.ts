import type { NormalizedEventJson } from "@/lib/events/schema";
import { networkOf } from "./platform-rules";
import { baseOf, type CorrelationState, type Open } from "./state";

// Phase 3: events grouped into sessions. First the platform's own key (one session per key, joined by keyless
// events that share the platform's flow id with a keyed one; a key that names a token rather than a session is
// split where activity pauses longer than the rules' token gap); then, for events without a key, the heuristic
// identity + client + IP + user agent with a gap of at most HEURISTIC_GAP_MS, marked as heuristic with a lower
// confidence. Two concurrent sessions of one person keep their own keys (or their own IP / user agent), and
// people behind one address stay apart because identity is part of every key.
//
// A session is a number: an event records its session number (evSeg) and the session's facts go to parallel
// arrays, so there is no growing array per session (phase 4 gathers each session's events by a counting sort).
// One entry per grouping key (Open) holds its current segment. The key is the string platform|key type|key, or
// platform|heuristic|identity|client|IP|user agent, from which the session id is derived. Events find their
// entry through maps keyed by the key's parts, so no key string is built per event (only once per session, in
// phase 4). That equals grouping by the string as long as the string splits back into its parts the one way: no
// "|" in a part but the last. Should a part hold one, the grouping runs again by the strings themselves.

const HEURISTIC_GAP_MS = 30 * 60_000;

type Nested<V> = Map<string, V>;
const sub = <V>(m: Nested<Nested<V>>, k: string): Nested<V> => {
  let x = m.get(k);
  if (!x) m.set(k, (x = new Map()));
  return x;
};

export function groupSessions(st: CorrelationState): void {
  if (!group(st, false)) group(st, true);
}

/** Groups the events into sessions; false when a key part holds the separator (then call again with byString). */
function group(st: CorrelationState, byString: boolean): boolean {
  const { n, events, times, evSeg, evIdentity, sessionByFlow } = st;
  const { tokenKeyTypes, tokenGapMs, tokenCompanionClient, keylessJoin, sessionLimits, failedLoginNoSession, flowJoinSameUser } = st.rules;
  const segOpen: Open[] = (st.segOpen = []);
  const segRule: string[] = (st.segRule = []);
  const segNumber: (number | null)[] = (st.segNumber = []);
  const segConfidence: number[] = (st.segConfidence = []);
  const segRef: NormalizedEventJson["session"][] = (st.segRef = []);
  const segReuseOf: number[] = (st.segReuseOf = []);
  const segReuseWhy: (string | null)[] = (st.segReuseWhy = []);
  const segJoinRule: (string | null)[] = (st.segJoinRule = []);
  const segJoinConfidence: number[] = (st.segJoinConfidence = []);
  // Per session number, for keyless events that may join it: its span (keyed events only), client and user agent.
  const seg: SegFacts = { who: [], first: [], last: [], ip: [], ua: [], client: [] };
  evSeg.fill(-1);
  const gapRules = new Map<string, string>();
  const byBase = new Map<string, Open>();
  const nativeOpen: Nested<Nested<Nested<Open>>> = new Map();
  const heuristicOpen: Nested<Nested<Nested<Nested<Nested<Open>>>>> = new Map();
  // Per identity + client (its map of addresses): the addressed heuristic session it used last, and when the one
  // before it was last used. An event with neither address nor user agent joins the former when no other is open.
  const lastAddressed = new Map<Nested<Nested<Open>>, { o: Open; prevLast: number }>();
  const deferred: number[] = [];
  const viaIssued = issuedSessions(st);
  const fresh = (heuristic: boolean, platform: string, a: string, b: string, c = "", d = ""): Open => {
    const o: Open = { heuristic, platform, a, b, c, d, n: -1, last: 0, cur: -1, first: 0, ip: "", net: "", ua: "", firstSeg: -1 };
    if (!byString) return o;
    const base = baseOf(o);
    const known = byBase.get(base);
    if (known) return known;
    byBase.set(base, o);
    return o;
  };
  /** Whether e's client serves every session of its token (its user agent is not the session's client). */
  const companion = (e: NormalizedEventJson): boolean => tokenCompanionClient.get(e.platform)?.(e) === true;
  /** Opens the next segment of o at event i. */
  const open = (
    o: Open,
    i: number,
    rule: string,
    confidence: number,
    numbered: boolean,
    ref: NormalizedEventJson["session"],
    why: string | null,
  ) => {
    const e = events[i].data;
    const segNo = o.n + 1;
    o.n = segNo;
    o.cur = segOpen.length;
    if (o.firstSeg < 0) o.firstSeg = o.cur;
    o.first = times[i];
    o.ip = e.src_endpoint.ip ?? "";
    o.net = o.ip ? networkOf(o.ip) : "";
    o.ua = (companion(e) ? null : e.user_agent) ?? "";
    segOpen.push(o);
    segRule.push(rule);
    segNumber.push(numbered ? segNo : segNo > 0 ? segNo : null);
    segConfidence.push(confidence);
    segRef.push(ref);
    segReuseOf.push(why ? o.firstSeg : -1);
    segReuseWhy.push(why);
    segJoinRule.push(null);
    segJoinConfidence.push(1);
    seg.who.push(evIdentity[i] ?? "");
    seg.first.push(times[i]);
    seg.last.push(times[i]);
    seg.ip.push(o.ip);
    seg.ua.push(o.ua);
    seg.client.push(e.client?.app_id ?? "");
  };
  /** The heuristic session of event i; false when a key part holds the separator. */
  const heuristic = (i: number): boolean => {
    const e = events[i].data;
    const t = times[i];
    const who = evIdentity[i]!;
    const ip = e.src_endpoint.ip ?? "";
    const ua = e.user_agent ?? "";
    const client = e.client?.app_id ?? "";
    let o: Open | undefined;
    if (byString) o = byBase.get(`${e.platform}|heuristic|${who}|${client}|${ip}|${ua}`);
    else {
      const byIp = sub(sub(sub(heuristicOpen, e.platform), who), client);
      const recent = lastAddressed.get(byIp);
      if (!ip && !ua) {
        // Nothing to tell sessions apart (a server-side record: an Entra directory change initiated by an app): the
        // one addressed session of this identity and client open within the gap, when exactly one is.
        if (recent && t - recent.o.last <= HEURISTIC_GAP_MS && t - recent.prevLast > HEURISTIC_GAP_MS) {
          recent.o.last = t;
          evSeg[i] = recent.o.cur;
          return true;
        }
      }
      const byUa = sub(byIp, ip);
      o = byUa.get(ua);
      if (!o) {
        if (e.platform.includes("|") || who.includes("|") || client.includes("|") || ip.includes("|")) return false;
        byUa.set(ua, (o = fresh(true, e.platform, who, client, ip, ua)));
      }
    }
    o ??= fresh(true, e.platform, who, client, ip, ua);
    if (o.cur < 0 || t - o.last > HEURISTIC_GAP_MS) open(o, i, HEURISTIC_RULE, ip || ua ? 0.6 : 0.4, true, e.session, null);
    if (!byString && (ip || ua)) {
      const byIp = heuristicOpen.get(e.platform)!.get(who)!.get(client)!;
      const recent = lastAddressed.get(byIp);
      if (!recent) lastAddressed.set(byIp, { o, prevLast: -Infinity });
      else if (recent.o !== o) {
        recent.prevLast = recent.o.last;
        recent.o = o;
      }
    }
    o.last = t;
    evSeg[i] = o.cur;
    return true;
  };
  for (let i = 0; i < n; i++) {
    const e = events[i].data;
    const t = times[i];
    const keyless = !e.session?.key;
    // A failed sign-in opens no session where the platform says so (Snowflake: no SESSIONS row for a failed login).
    if (keyless && e.status === "failure" && failedLoginNoSession.has(e.platform)) continue;
    let viaFlow: NormalizedEventJson["session"] | undefined;
    if (keyless && viaIssued !== null) viaFlow = viaIssued.get(i);
    if (!viaFlow && keyless && e.correlation_id && e.status !== "failure") {
      const k = sessionByFlow.get(e.platform)?.get(e.correlation_id);
      // Where the platform names the user on both rows (Snowflake SESSIONS.USER_NAME), the rows must agree.
      if (k !== undefined && (!flowJoinSameUser.has(e.platform) || (evIdentity[i] !== null && evIdentity[i] === evIdentity[k])))
        viaFlow = events[k].data.session!;
    }
    const keyed = viaFlow ?? (keyless ? null : e.session);
    if (!keyed) {
      if (!evIdentity[i]) continue;
      if (keylessJoin.has(e.platform)) deferred.push(i);
      else if (!heuristic(i)) return false;
      continue;
    }
    let o: Open | undefined;
    let rule = keyed.key_type;
    let confidence = 1;
    const token = !viaFlow && tokenKeyTypes.has(keyed.key_type);
    if (token) {
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
    // Why a key already in use starts a new session: a token after a long pause or from a new network or client;
    // a session key past the platform's idle gap or maximum span.
    let why: string | null = null;
    if (o.cur >= 0) {
      const ip = e.src_endpoint.ip;
      const ua = e.user_agent;
      if (token) {
        if (t - o.last > tokenGapMs) why = "long_gap";
        else if (ip && ip !== o.ip) {
          if (!o.ip) o.net = networkOf((o.ip = ip));
          else if (networkOf(ip) !== o.net) why = "new_network";
        }
        if (!why && ua && ua !== o.ua && !companion(e)) {
          if (!o.ua) o.ua = ua;
          else why = "new_client";
        }
      } else {
        const limits = sessionLimits.get(e.platform);
        if (limits !== undefined) {
          if (limits.idleGapMs !== null && t - o.last > limits.idleGapMs) why = "idle_gap";
          else if (limits.maxSpanMs !== null && t - o.first > limits.maxSpanMs) why = "max_span";
        }
      }
    }
    if (o.cur < 0 || why) open(o, i, rule, confidence, token, viaFlow ?? e.session, why);
    o.last = t;
    evSeg[i] = o.cur;
    const c = o.cur;
    seg.last[c] = t;
    if (!seg.ip[c] && e.src_endpoint.ip) seg.ip[c] = e.src_endpoint.ip;
    if (!seg.ua[c] && e.user_agent) seg.ua[c] = e.user_agent;
  }
  if (deferred.length > 0) {
    joinKeyless(st, deferred, seg);
    for (const i of deferred) if (evSeg[i] < 0 && !heuristic(i)) return false;
  }
  return true;
}

/**
 * A keyless credential exchange by an outside caller (rules.exchangeCallers) → the session key of the first event
 * that used a credential it minted: the exchange opens that session. Null when there is none.
 */
function issuedSessions(st: CorrelationState): Map<number, NormalizedEventJson["session"]> | null {
  if (st.keylessExchanges.length === 0) return null;
  const out = new Map<number, NormalizedEventJson["session"]>();
  for (const x of st.keylessExchanges) {
    const e = st.events[x].data;
    if (e.status === "failure") continue;
    for (const ic of e.issued_credentials) {
      const rec = st.credByPlatform.get(e.platform)?.get(ic.key);
      if (rec && rec.keyedBy >= 0) {
        out.set(x, st.events[rec.keyedBy].data.session);
        break;
      }
    }
  }
  return out.size > 0 ? out : null;
}

const HEURISTIC_RULE = "heuristic:identity+client+ip+user_agent,gap<=30m";

/** Per session number, what a keyless event is compared with: identity of its first event, span of its keyed events, first address, user agent and client. */
type SegFacts = { who: string[]; first: number[]; last: number[]; ip: string[]; ua: string[]; client: string[] };

/**
 * Keyless events of platforms that write their session id on only some records join the keyed session of the same
 * identity whose span (first to last keyed event, with the rule's slack) holds them, when client, user agent and
 * network agree (a value missing on either side does not disagree, but the address or the user agent must match)
 * and exactly one session qualifies. The others stay unassigned (the heuristic takes them).
 */
function joinKeyless(st: CorrelationState, deferred: readonly number[], seg: SegFacts): void {
  const { events, times, evSeg, evIdentity, segOpen, segJoinRule, segJoinConfidence } = st;
  const { keylessJoin } = st.rules;
  const byWho = new Map<string, number[]>();
  for (let s = 0; s < segOpen.length; s++) {
    const o = segOpen[s];
    if (o.heuristic || !seg.who[s] || !keylessJoin.has(o.platform)) continue;
    const k = `${o.platform}\u0000${seg.who[s]}`;
    const list = byWho.get(k);
    if (list) list.push(s);
    else byWho.set(k, [s]);
  }
  if (byWho.size === 0) return;
  for (const i of deferred) {
    const e = events[i].data;
    const rule = keylessJoin.get(e.platform)!;
    const list = byWho.get(`${e.platform}\u0000${evIdentity[i]}`);
    if (!list) continue;
    const t = times[i];
    const ip = e.src_endpoint.ip ?? "";
    const ua = e.user_agent ?? "";
    const client = e.client?.app_id ?? "";
    let found = -1;
    let count = 0;
    for (const s of list) {
      if (t > seg.last[s] + rule.slackMs || t < seg.first[s] - rule.slackMs) continue;
      if (client && seg.client[s] && client !== seg.client[s]) continue;
      if (ua && seg.ua[s] && ua !== seg.ua[s]) continue;
      if (ip && seg.ip[s] && ip !== seg.ip[s] && networkOf(ip) !== networkOf(seg.ip[s])) continue;
      if (!((ip && ip === seg.ip[s]) || (ua && ua === seg.ua[s]))) continue;
      found = s;
      count++;
    }
    if (count !== 1) continue;
    evSeg[i] = found;
    segJoinRule[found] = rule.rule;
    segJoinConfidence[found] = Math.min(segJoinConfidence[found], rule.confidence);
  }
}
