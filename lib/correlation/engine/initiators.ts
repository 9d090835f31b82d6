import type { SessionOut } from "../types";
import type { CorrelationState } from "./state";

// Phase 6: who initiated each session. A session where a record names who acted through the identity
// (extra.initiator, e.g. Salesforce Login-As) was initiated by that person. Otherwise up the chain of proven
// upstream sessions (the session that minted its credential, else the IdP session whose single sign-on opened
// it, else the same session seen first on another platform) to the first one with none: its identity initiated
// them all. A session with no provable upstream was initiated by its own identity.

const UPSTREAM_RULE = { credential_lineage: "credential_lineage", idp_to_app: "idp_sso", same_session: "same_session" } as const;

export function findInitiators(st: CorrelationState): void {
  const { n, sessions, links, evSeg, evInitiator, evInitiatorVia } = st;
  const ns = sessions.length;
  const incoming = new Map<string, { from: string; kind: keyof typeof UPSTREAM_RULE }>();
  for (const kind of ["credential_lineage", "idp_to_app", "same_session"] as const) {
    for (const l of links) if (l.kind === kind && !incoming.has(l.to)) incoming.set(l.to, { from: l.from, kind });
  }
  const sessionDelegation = new Map<string, { identityId: string; via: string }>();
  if (st.anyDelegation)
    for (let i = 0; i < n; i++) {
      const acc = evInitiator[i];
      const sid = evSeg[i] >= 0 ? sessions[evSeg[i]].id : null;
      if (acc?.identityId && sid && !sessionDelegation.has(sid))
        sessionDelegation.set(sid, { identityId: acc.identityId, via: evInitiatorVia[i]! });
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
        rule ??= UPSTREAM_RULE[up.kind];
        cur = sessionById.get(up.from)!;
      }
    }
    s.initiatorIdentityId = cur.identityId;
    s.initiatorRule = cur.identityId ? (cur === s ? "same_identity" : rule) : null;
  }
}
