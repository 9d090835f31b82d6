import type { NormalizedEventJson } from "@/lib/events/schema";
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
  const { tokenKeyTypes, tokenGapMs } = st.rules;
  const segOpen: Open[] = (st.segOpen = []);
  const segRule: string[] = (st.segRule = []);
  const segNumber: (number | null)[] = (st.segNumber = []);
  const segConfidence: number[] = (st.segConfidence = []);
  const segRef: NormalizedEventJson["session"][] = (st.segRef = []);
  const gapRules = new Map<string, string>();
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
        gap = tokenGapMs;
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
      o.cur = segOpen.length;
      segOpen.push(o);
      segRule.push(rule);
      segNumber.push(gap >= 0 ? segNo : null);
      segConfidence.push(confidence);
      segRef.push(viaFlow ?? e.session);
    }
    o.last = t;
    evSeg[i] = o.cur;
  }
  return true;
}
