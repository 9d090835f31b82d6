import { describe, expect, it } from "vitest";
import { correlate, eventAssignments } from "./correlate";
import { correlationKeyStrings } from "./correlation-keys";
import { keyScenarios } from "./testing/key-scenarios";
import type { CorrelationEvent, CorrelationResult } from "./types";

// The property incremental correlation rests on: for any event, the engine over the closure of its correlation
// keys gives, for the events in that closure, exactly what the engine over everything gives. The scenarios join
// events through each kind of key WITHOUT a shared identity (an identity alone would pull both in), so leaving a
// key kind out of correlation-keys.ts fails here.

function closureOf(all: CorrelationEvent[], start: CorrelationEvent): CorrelationEvent[] {
  const keysOf = new Map(all.map((e) => [e.id, correlationKeyStrings(e.data)]));
  const inSet = new Set([start.id]);
  const seenKeys = new Set<string>();
  let frontier = [...keysOf.get(start.id)!];
  while (frontier.length) {
    const next: string[] = [];
    for (const k of frontier) {
      if (seenKeys.has(k)) continue;
      seenKeys.add(k);
      for (const e of all)
        if (!inSet.has(e.id) && keysOf.get(e.id)!.includes(k)) {
          inSet.add(e.id);
          next.push(...keysOf.get(e.id)!);
        }
    }
    frontier = next;
  }
  return all.filter((e) => inSet.has(e.id));
}

/** The full result restricted to the rows derived from `ids` (what an incremental write replaces). */
function restrict(full: CorrelationResult, sub: CorrelationResult, ids: Set<string>) {
  const sessions = full.sessions.filter((s) => s.eventIds.some((e) => ids.has(e)));
  const sids = new Set(sessions.map((s) => s.id));
  const fullOf = eventAssignments(full);
  const identityIds = new Set([...ids].map((e) => fullOf.identity.get(e)).filter(Boolean));
  for (const s of sessions) for (const i of [s.identityId, s.initiatorIdentityId]) if (i) identityIds.add(i);
  const credIds = new Set(sub.credentials.map((c) => c.id));
  return {
    identities: full.identities.filter((i) => identityIds.has(i.id)),
    credentials: full.credentials.filter((c) => credIds.has(c.id)),
    sessions,
    links: full.links.filter((l) => sids.has(l.from) || sids.has(l.to)),
    eventIdentity: [...ids].map((e) => fullOf.identity.get(e) ?? null),
    eventSession: [...ids].map((e) => fullOf.session.get(e) ?? null),
  };
}
const shape = (r: CorrelationResult, ids: Set<string>) => {
  const of = eventAssignments(r);
  return {
    identities: r.identities,
    credentials: r.credentials,
    sessions: r.sessions,
    links: r.links,
    eventIdentity: [...ids].map((e) => of.identity.get(e) ?? null),
    eventSession: [...ids].map((e) => of.session.get(e) ?? null),
  };
};

describe("correlation keys cover every join of the engine", () => {
  for (const [name, make] of Object.entries(keyScenarios)) {
    it(`${name}: the closure of any one event correlates as in a full pass`, () => {
      const all = make("");
      const full = correlate(all);
      for (const start of all) {
        const closure = closureOf(all, start);
        const ids = new Set(closure.map((e) => e.id));
        const sub = correlate(closure);
        expect(shape(sub, ids), `${name}, starting from event ${start.id}`).toEqual(restrict(full, sub, ids));
      }
    });
  }
});
