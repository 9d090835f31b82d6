import type { CorrelationEvent, SessionOut } from "./types";
import { isChangedObject, NON_CHANGING_ACTIVITIES } from "./sessions-report";

// A short digest of what a session did, stored in session.summary at correlation time so that the sessions list
// can show and search "what was done / what changed" without reading every event of every session. The full
// answer (every action, every object) is computed from the events when one session is opened
// (lib/sessions/get-session.ts); the digest keeps the first DIGEST_LIMIT of each, in time order.

const DIGEST_LIMIT = 50;

export type SessionDigest = {
  /** Distinct platform event names, first occurrence order. */
  actions: string[];
  /** Distinct business objects changed (successful, non-read activities), first occurrence order. */
  objects: { type: string; id: string }[];
  /** Events flagged as using or changing privilege. */
  privileged: number;
  /** Events whose outcome was a failure. */
  failures: number;
};

export function sessionDigest(session: Pick<SessionOut, "eventIds">, eventsById: Map<string, CorrelationEvent>): SessionDigest {
  const actions: string[] = [];
  const seenActions = new Set<string>();
  const objects: { type: string; id: string }[] = [];
  const seenObjects = new Set<string>();
  let privileged = 0;
  let failures = 0;
  for (const id of session.eventIds) {
    const e = eventsById.get(id)?.data;
    if (!e) continue;
    if (e.privileged) privileged++;
    if (e.status === "failure") failures++;
    if (actions.length < DIGEST_LIMIT && !seenActions.has(e.event_name)) {
      seenActions.add(e.event_name);
      actions.push(e.event_name);
    }
    if (e.status === "failure" || NON_CHANGING_ACTIVITIES.has(e.activity) || objects.length >= DIGEST_LIMIT) continue;
    for (const r of e.resources) {
      const oid = r.id ?? r.name;
      if (!oid || !isChangedObject(r)) continue;
      const k = `${r.type}\u0000${oid}`;
      if (seenObjects.has(k)) continue;
      seenObjects.add(k);
      objects.push({ type: r.type, id: oid });
    }
  }
  return { actions, objects: objects.slice(0, DIGEST_LIMIT), privileged, failures };
}
