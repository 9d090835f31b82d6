import type { PoolClient } from "pg";
import { DEFAULT_TENANT } from "@/lib/context/request-context";
import { eventKeys, hashKey, storedKeys } from "./correlation-keys";
import type { CorrelationEvent } from "./types";

// Which stored events a batch of new events touches: the closure over shared correlation keys (correlation-keys.ts).
// Start from the new events' keys; find every stored event that has one of them (through correlation_key, the
// event's own session and credential key columns, and whole identities); add those events' keys; repeat until
// nothing new appears. The engine over that closure gives, for those events, what a full pass gives: nothing
// outside it shares a key with anything inside. Identity merges (one email on several platforms) can reach far,
// so the search stops once the closure passes `cap` events and the caller does a full pass instead.

export type LoadEvents = (client: PoolClient, ids: string[]) => Promise<CorrelationEvent[]>;

export type Closure = { events: CorrelationEvent[]; rounds: number } | { events: null; rounds: number; reason: string };

type Frontier = { hashed: number[]; sessionKeys: string[]; credentialKeys: string[]; identities: string[] };

export async function findAffectedEvents({
  client,
  newEvents,
  cap,
  loadEvents,
}: {
  client: PoolClient;
  newEvents: CorrelationEvent[];
  /** Give up (full pass) once the closure holds more events than this. */
  cap: number;
  loadEvents: LoadEvents;
}): Promise<Closure> {
  const byId = new Map(newEvents.map((e) => [e.id, e]));
  const seen = new Set<string>();
  let frontier: Frontier = { hashed: [], sessionKeys: [], credentialKeys: [], identities: [] };
  const once = (k: string) => (seen.has(k) ? false : (seen.add(k), true));
  const addKeys = (evs: CorrelationEvent[]) => {
    for (const e of evs) {
      const k = eventKeys(e.data);
      // An identity key finds its representative (and through it the identity) and the events naming it as initiator.
      for (const x of [...k.identity, ...k.initiator])
        for (const y of [x, `ini|${x}`]) if (once(`h|${y}`)) frontier.hashed.push(hashKey(y));
      if (k.flow && once(`h|${k.flow}`)) frontier.hashed.push(hashKey(k.flow));
      for (const x of k.linkKeys) if (once(`h|${x}`)) frontier.hashed.push(hashKey(x));
      for (const c of k.credentials) {
        if (once(`h|${c}`)) frontier.hashed.push(hashKey(c));
        const raw = c.slice(c.indexOf("|", 5) + 1); // cred|<platform>|<key>
        if (once(`c|${raw}`)) frontier.credentialKeys.push(raw);
      }
      if (k.sessionKey && once(`s|${k.sessionKey}`)) frontier.sessionKeys.push(k.sessionKey);
    }
  };
  const addIdentities = async (ids: string[]) => {
    if (ids.length === 0) return;
    const r = await client.query<{ i: string }>(
      `SELECT DISTINCT "identityId"::text AS i FROM event WHERE id = ANY($1::bigint[]) AND "identityId" IS NOT NULL`,
      [ids],
    );
    for (const { i } of r.rows) if (once(`i|${i}`)) frontier.identities.push(i);
  };
  addKeys(newEvents);
  // Events an earlier run already correlated but could not mark as done (an ingest was still running) have an
  // identity: take it whole too, since their identity keys may be the stored representatives.
  await addIdentities(newEvents.map((e) => e.id));
  let rounds = 0;
  const tooMany = () => ({ events: null, rounds, reason: `the new events touch more than ${cap} events` }) as const;
  while (frontier.hashed.length + frontier.sessionKeys.length + frontier.credentialKeys.length + frontier.identities.length > 0) {
    rounds++;
    if (byId.size > cap) return tooMany();
    const f = frontier;
    frontier = { hashed: [], sessionKeys: [], credentialKeys: [], identities: [] };
    const r = await client.query<{ id: string }>(
      `SELECT k."eventId"::text AS id FROM correlation_key k WHERE k.key = ANY($1::bigint[])
       UNION SELECT e.id::text FROM event e WHERE e."sessionKey" = ANY($2::text[]) AND e."tenantId" = $5
       UNION SELECT e.id::text FROM event e WHERE e."credentialKey" = ANY($3::text[]) AND e."tenantId" = $5
       UNION SELECT e.id::text FROM event e WHERE e."identityId" = ANY($4::uuid[]) AND e."tenantId" = $5`,
      [f.hashed, f.sessionKeys, f.credentialKeys, f.identities, DEFAULT_TENANT],
    );
    const ids = r.rows.map((x) => x.id).filter((id) => !byId.has(id));
    if (ids.length === 0) continue;
    if (byId.size + ids.length > cap) return tooMany();
    const loaded = await loadEvents(client, ids);
    for (const e of loaded) byId.set(e.id, e);
    addKeys(loaded);
    // Every event of an identity shares its identity keys: take the whole identity of each event found.
    await addIdentities(loaded.map((e) => e.id));
  }
  return { events: [...byId.values()], rounds };
}

/** Stores the keys of events not keyed before (rows are never changed: events never change). */
export async function insertCorrelationKeys(client: PoolClient, events: CorrelationEvent[]): Promise<void> {
  const keys: number[] = [];
  const ids: string[] = [];
  const repKeys: number[] = [];
  const repIds: string[] = [];
  const repSeen = new Set<number>();
  for (const e of events) {
    const s = storedKeys(e.data);
    for (const k of s.perEvent) {
      keys.push(k);
      ids.push(e.id);
    }
    for (const k of s.representative) {
      if (repSeen.has(k)) continue;
      repSeen.add(k);
      repKeys.push(k);
      repIds.push(e.id);
    }
  }
  await client.query(
    `INSERT INTO correlation_key (key, "eventId") SELECT * FROM unnest($1::bigint[], $2::bigint[]) ON CONFLICT DO NOTHING`,
    [keys, ids],
  );
  // One representative per identity key: only keys no stored event holds yet.
  await client.query(
    `INSERT INTO correlation_key (key, "eventId")
     SELECT u.k, u.e FROM unnest($1::bigint[], $2::bigint[]) AS u(k, e)
      WHERE NOT EXISTS (SELECT 1 FROM correlation_key c WHERE c.key = u.k)
     ON CONFLICT DO NOTHING`,
    [repKeys, repIds],
  );
}
