import type { SessionOut } from "../types";
import { stableId } from "./ids";
import { baseOf, type CorrelationState, type Cred } from "./state";
import { majority } from "./tally";

// Phase 4: the session records. Each session's events are gathered by a counting sort (time order kept); its id
// comes from its grouping key, its identity and credential from its events' majority. The session's key as
// stored (unique per platform): the platform's own key when it alone names the session; a token key split by
// pauses gets its segment number; a key that two key types share on one platform gets its key type; heuristic
// sessions keep their grouping key.

export function buildSessions(st: CorrelationState): void {
  const { n, events, times, evSeg, evIdentity, evCred, evCredId, segOpen, segNumber, segRef, segRule, segConfidence, sessionByKeyValue } =
    st;
  const ns = segOpen.length;
  // Events of session s: segEvents[segStart[s] .. segStart[s + 1]), in time order.
  const segStart = new Int32Array(ns + 1);
  for (let i = 0; i < n; i++) if (evSeg[i] >= 0) segStart[evSeg[i] + 1]++;
  for (let s = 0; s < ns; s++) segStart[s + 1] += segStart[s];
  const fill = segStart.slice(0, ns);
  const segEvents = new Int32Array(segStart[ns]);
  for (let i = 0; i < n; i++) if (evSeg[i] >= 0) segEvents[fill[evSeg[i]]++] = i;

  const sessions: SessionOut[] = (st.sessions = new Array<SessionOut>(ns));
  const sessionCred: (Cred | null)[] = (st.sessionCred = new Array<Cred | null>(ns));
  const sessionStart = (st.sessionStart = new Float64Array(ns));
  // Stored native keys already taken, per platform (a native key that another key type already uses gets its
  // type). Heuristic keys are not kept: they all hold "|heuristic|", so only a native key that does can equal one,
  // and then the earlier heuristic sessions are searched.
  // A stored native key is the platform's key, then "#segment" where pauses split it, then " (key type)" where
  // taken. While no platform key holds "#" or " (" (the usual case: plainKeys), two stored keys are equal only
  // if their platform keys are, so the earlier sessions with the same platform key (sessionByKeyValue, which
  // phase 5 needs anyway) tell whether a key is taken; otherwise every stored key is kept in usedKeys.
  let plainKeys = true;
  for (let s = 0; s < ns && plainKeys; s++) {
    const ref = segRef[s];
    if (!segOpen[s].heuristic && (!ref || ref.key.includes("#") || ref.key.includes(" ("))) plainKeys = false;
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
    for (let k = 0; k < before; k++)
      if (sessions[k].keyType === "heuristic" && sessions[k].platform === platform && sessions[k].sessionKey === key) return true;
    return false;
  };
  for (let s = 0; s < ns; s++) {
    const from = segStart[s];
    const to = segStart[s + 1];
    const o = segOpen[s];
    const platform = o.platform;
    const heuristic = o.heuristic;
    const segment = segNumber[s];
    // The grouping key, with its segment number where pauses split it.
    const key = segment !== null ? `${baseOf(o)}#${segment}` : baseOf(o);
    const id = stableId("session", key);
    const ref = segRef[s];
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
      // Keyless events joined to a keyed session (engine/segments.ts): the join's rule and confidence are the session's too.
      rule: st.segJoinRule[s] ? `${segRule[s]}+${st.segJoinRule[s]}` : segRule[s],
      confidence: Math.min(segConfidence[s], st.segJoinConfidence[s]),
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
}
