import { buildSessions } from "./engine/sessions";
import { collectResult } from "./engine/result";
import { findInitiators } from "./engine/initiators";
import { groupSessions } from "./engine/segments";
import { linkSessions } from "./engine/links";
import { mergeIdentities } from "./engine/identities";
import { orderEvents } from "./engine/order";
import { PLATFORM_RULES, type PlatformRules } from "./engine/platform-rules";
import { scanEvents } from "./engine/scan";
import { createState } from "./engine/state";
import type { CorrelationEvent, CorrelationResult } from "./types";

// The correlation engine: normalized events in, identities, credentials with their lineage, sessions and
// cross-session links out. Deterministic (same events, same output, same ids: ids are derived from the keys)
// and explainable: every merge, parent edge, session and link names the rule and the fields that made it.
// Precision beats recall: where the logs do not prove a join, there is none, or a lower confidence says so.
//
// The phases, in order, each a module under engine/ with one function over one CorrelationState (engine/state.ts):
//  0. order       events in time order (then id); from here on an event is its index in that order.
//  1. scan        one pass over the events: accounts (one per platform actor: platform + actor id, else login,
//                 else name; engine/account-keys.ts); credentials, with a parent edge only where a record proves
//                 it (a minting event's calling key, a declared parent such as an Entra service principal's
//                 secret); the flow ids, IdP single sign-on events and delegation evidence later phases use.
//  2. identities  accounts merged when they share an email (actor email or an email-shaped login) or, on one
//                 platform, a login. Kind: the most frequent kind_hint of its events (unknown hints do not vote).
//                 A token a person minted that only something else uses (engine/delegated-tokens.ts) is its own
//                 identity (api_token), apart from the person.
//  3. segments    events grouped into sessions: the platform's own key first (keyless events join through the
//                 platform's flow id; token keys split where activity pauses), else the heuristic identity +
//                 client + IP + user agent with a gap, marked as heuristic with a lower confidence.
//  4. sessions    the session records: stored key, identity, credential, time span, addresses.
//  5. links       the same session key on two platforms; an IdP single sign-on to the app session it opened;
//                 credential lineage (a session minted the credential another session used).
//  6. initiators  who initiated each session: the person a record names as acting through the identity, else
//                 up the chain of proven upstream sessions, else the session's own identity.
//  7. result      the rows, and every event's identity and session.
// What is particular to one platform (IdP sign-on events, app names, token session keys) is data in each platform's
// profile (lib/sources/<platform>/profile.ts), gathered into PLATFORM_RULES (engine/platform-rules.ts) by the source
// registry; the phases read it through the state.

export { stableId } from "./engine/ids";

export type CorrelateOptions = {
  /** Called after each phase with its time (scripts/bench/correlate.ts prints them). */
  onPhase?: (phase: string, ms: number) => void;
  /** What the engine knows about particular platforms; PLATFORM_RULES unless given. */
  rules?: PlatformRules;
};

export function correlate(input: readonly CorrelationEvent[], options: CorrelateOptions = {}): CorrelationResult {
  let phaseStart = performance.now();
  const phase = (name: string) => {
    if (!options.onPhase) return;
    const now = performance.now();
    options.onPhase(name, now - phaseStart);
    phaseStart = now;
  };
  const state = createState(input.length, options.rules ?? PLATFORM_RULES);
  orderEvents(state, input);
  phase("sort");
  scanEvents(state);
  phase("accounts, credentials");
  mergeIdentities(state);
  phase("identities");
  groupSessions(state);
  phase("sessions.group");
  buildSessions(state);
  phase("sessions.build");
  linkSessions(state);
  phase("links");
  findInitiators(state);
  phase("initiators");
  const result = collectResult(state);
  phase("event assignments");
  return result;
}

/** A result's per-event identity and session as maps by event id, for lookups (events without one are absent). */
export function eventAssignments(res: Pick<CorrelationResult, "eventIds" | "eventIdentity" | "eventSession">): {
  identity: Map<string, string>;
  session: Map<string, string>;
} {
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
