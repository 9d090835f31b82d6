import type { CorrelationResult } from "../types";
import type { CorrelationState } from "./state";

// Phase 7: the result, with every event's identity and session as arrays in the engine's order.

export function collectResult(st: CorrelationState): CorrelationResult {
  const { n, events, evSeg, sessions } = st;
  const eventIds = new Array<string>(n);
  const eventSession = new Array<string | null>(n);
  for (let i = 0; i < n; i++) {
    eventIds[i] = events[i].id;
    eventSession[i] = evSeg[i] >= 0 ? sessions[evSeg[i]].id : null;
  }
  return {
    identities: st.identities,
    credentials: st.credentials,
    sessions,
    links: st.links,
    eventIds,
    eventIdentity: st.evIdentity,
    eventSession,
  };
}
