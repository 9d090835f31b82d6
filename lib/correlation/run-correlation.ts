import type { PoolClient } from "pg";
import { auditRow } from "@/lib/audit/record-audit";
import { DEFAULT_TENANT, type RequestContext } from "@/lib/context/request-context";
import { insertAudit } from "@/lib/audit/insert-audit";
import { pool } from "@/lib/db";
import { stageRows } from "@/lib/db/pg-copy";
import { and, sql } from "@/lib/db/sql";
import { withTransaction } from "@/lib/db/transaction";
import type { NormalizedEventJson } from "@/lib/events/schema";
import { correlate } from "./correlate";
import { correlationRowTypes } from "./engine/projection";
import { findAffectedEvents, insertCorrelationKeys } from "./incremental";
import { sessionDigest } from "./session-digest";
import type { CorrelationEvent, CorrelationResult } from "./types";
import type { CorrelationMode, CorrelationSummary } from "./run-correlation.types";

// Runs the correlation engine over the stored events and writes its output: identities and their aliases,
// credentials with parent edges, sessions, session links, and each event's identity and session. Ids are
// derived from keys, so a re-run over the same events writes the same rows; rows the new result no longer
// has (an alias merged elsewhere, a session regrouped) are removed. One transaction: readers see the old
// correlation or the new one, never half of each.
//
// Two modes. full: every event. incremental: the events stored since the last run (those above
// correlation_state.keyedThrough) and the closure of stored events sharing a correlation key with them
// (incremental.ts); only the rows derived from that closure are replaced, and the result equals a full pass's
// (incremental.db.test.ts proves it on the demo dataset ingested file by file). An incremental run with
// no correlation state yet, or whose closure passes half the events, does a full pass. Every run keys the
// events it has not keyed before (correlation_key) and appends a "correlation.run" audit entry.

export type { CorrelationMode, CorrelationSummary } from "./run-correlation.types";

/** Every stored event with its raw record's file and position. */
async function loadCorrelationEvents(
  client: PoolClient,
  only: { ids: string[] } | { after: string } | null = null,
): Promise<CorrelationEvent[]> {
  // `only`: just these event ids (the incremental closure), or the events above an id (the new ones).
  const filter = only === null ? null : "ids" in only ? sql`e.id = ANY(${only.ids}::bigint[])` : sql`e.id > ${only.after}::bigint`;
  const q = sql`SELECT e.id::text AS id, r."fileName", r.position::text AS position, e.data
       FROM event e JOIN raw_record r ON r.id = e."rawRecordId"
      WHERE ${and(sql`e."tenantId" = ${DEFAULT_TENANT}`, filter)}`;
  // Each event is cut to the fields correlation reads as its row arrives (engine/projection.ts), so whole
  // normalized events are never all held at once.
  const r = await client.query<{ id: string; fileName: string; position: string; data: NormalizedEventJson }>({
    text: q.text,
    values: q.values,
    types: correlationRowTypes,
  });
  return r.rows.map((row) => ({ id: row.id, file: row.fileName, index: Number(row.position), data: row.data }));
}

const json = (v: unknown) => JSON.stringify(v);

async function upsertIdentities(client: PoolClient, res: CorrelationResult): Promise<void> {
  const ids = res.identities;
  await client.query(
    `INSERT INTO identity (id, kind, "displayName", "primaryEmail", "firstSeenAt", "lastSeenAt")
     SELECT u.id, u.kind::"IdentityKind", u.name, u.email, u.first, u.last
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[]) AS u(id, kind, name, email, first, last)
     ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, "displayName" = EXCLUDED."displayName", "primaryEmail" = EXCLUDED."primaryEmail",
       "firstSeenAt" = EXCLUDED."firstSeenAt", "lastSeenAt" = EXCLUDED."lastSeenAt"
     WHERE (identity.kind, identity."displayName", identity."primaryEmail", identity."firstSeenAt", identity."lastSeenAt")
       IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED."displayName", EXCLUDED."primaryEmail", EXCLUDED."firstSeenAt", EXCLUDED."lastSeenAt")`,
    [
      ids.map((i) => i.id),
      ids.map((i) => i.kind),
      ids.map((i) => i.displayName),
      ids.map((i) => i.primaryEmail),
      ids.map((i) => i.firstSeenAt),
      ids.map((i) => i.lastSeenAt),
    ],
  );
}

async function insertAliases(client: PoolClient, res: CorrelationResult): Promise<void> {
  const aliases = res.identities.flatMap((i) => i.aliases.map((a) => ({ ...a, identityId: i.id })));
  await client.query(
    `INSERT INTO identity_alias (id, "identityId", platform, "aliasType", "externalId", rule, evidence)
     SELECT gen_random_uuid(), u.i, u.p, u.t, u.x, u.r, u.e::jsonb
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS u(i, p, t, x, r, e)`,
    [
      aliases.map((a) => a.identityId),
      aliases.map((a) => a.platform),
      aliases.map((a) => a.aliasType),
      aliases.map((a) => a.externalId),
      aliases.map((a) => a.rule),
      aliases.map((a) => json(a.evidence)),
    ],
  );
}

// Upserts here write a row only when a value differs: a re-run mostly finds every row as it was, and rewriting a row
// costs a new version of it in every index (the session table has trigram indexes): 320,000 unchanged sessions
// took 46 s to rewrite. Rows are staged through binary COPY (stageRows) and unchanged ones left out by a join on the
// primary key before the insert (ON CONFLICT ... WHERE would still lock every conflicting row); passed as array
// parameters instead, the same 320,000 sessions took 13 s to encode, parse and compare even when none changed.
async function upsertCredentials(client: PoolClient, res: CorrelationResult): Promise<void> {
  await stageRows(
    client,
    "corr_credential_in",
    "id uuid, kind text, platform text, ext text, identity uuid, first text, last text, evidence text, parent uuid, rule text",
    res.credentials,
    (enc, c) =>
      enc
        .tuple(10)
        .uuid(c.id)
        .text(c.kind)
        .text(c.platform)
        .text(c.externalId)
        .uuid(c.identityId)
        .text(c.firstSeenAt)
        .text(c.lastUsedAt)
        .text(json({ keyType: c.keyType, parent: c.parentEvidence }))
        .uuid(c.parentId)
        .text(c.parentRule),
  );
  // Parents in the same statement: the foreign key is checked at its end, so a parent later in the list is fine.
  await client.query(
    `INSERT INTO credential (id, kind, platform, "externalId", "identityId", "firstSeenAt", "lastUsedAt", evidence, "parentId", "parentRule")
     SELECT v.* FROM (
       SELECT u.id, u.kind::"CredentialKind" AS kind, u.platform, u.ext, u.identity, u.first::timestamptz AS first, u.last::timestamptz AS last,
              u.evidence::jsonb AS evidence, u.parent, u.rule
         FROM corr_credential_in u
     ) v LEFT JOIN credential c ON c.id = v.id
     WHERE c.id IS NULL
        OR (c.kind, c."identityId", c."firstSeenAt", c."lastUsedAt", c.evidence, c."parentId", c."parentRule")
           IS DISTINCT FROM (v.kind, v.identity, v.first, v.last, v.evidence, v.parent, v.rule)
     ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, "identityId" = EXCLUDED."identityId", "firstSeenAt" = EXCLUDED."firstSeenAt",
       "lastUsedAt" = EXCLUDED."lastUsedAt", evidence = EXCLUDED.evidence, "parentId" = EXCLUDED."parentId", "parentRule" = EXCLUDED."parentRule"`,
  );
}

async function upsertSessions(client: PoolClient, res: CorrelationResult, events: CorrelationEvent[]): Promise<void> {
  // summary: how the initiator was found, plus a digest of actions and changed objects for the sessions list.
  const eventsById = new Map(events.map((e) => [e.id, e]));
  await stageRows(
    client,
    "corr_session_in",
    "id uuid, platform text, key text, kt text, rule text, conf float8, identity uuid, initiator uuid, cred uuid, started text, ended text, n int4, ips text, summary text",
    res.sessions,
    (enc, s) =>
      enc
        .tuple(14)
        .uuid(s.id)
        .text(s.platform)
        .text(s.sessionKey)
        .text(s.keyType)
        .text(s.rule)
        .float8(s.confidence)
        .uuid(s.identityId)
        .uuid(s.initiatorIdentityId)
        .uuid(s.credentialId)
        .text(s.startedAt)
        .text(s.endedAt)
        .int4(s.eventIds.length)
        .text(json(s.srcIps))
        .text(json({ initiatorRule: s.initiatorRule, ...sessionDigest(s, eventsById) })),
  );
  await client.query(
    `INSERT INTO session (id, platform, "sessionKey", "keyType", rule, confidence, "identityId", "initiatorIdentityId", "credentialId",
       "startedAt", "endedAt", "eventCount", "srcIps", summary)
     SELECT v.* FROM (
       SELECT u.id, u.platform, u.key, u.kt, u.rule, u.conf, u.identity, u.initiator, u.cred, u.started::timestamptz AS started,
              u.ended::timestamptz AS ended, u.n, ARRAY(SELECT json_array_elements_text(u.ips::json)) AS ips, u.summary::jsonb AS summary
         FROM corr_session_in u
     ) v LEFT JOIN session s ON s.id = v.id
     WHERE s.id IS NULL
        OR (s."keyType", s.rule, s.confidence, s."identityId", s."initiatorIdentityId", s."credentialId", s."startedAt", s."endedAt",
            s."eventCount", s."srcIps", s.summary)
           IS DISTINCT FROM (v.kt, v.rule, v.conf, v.identity, v.initiator, v.cred, v.started, v.ended, v.n, v.ips, v.summary)
     ON CONFLICT (id) DO UPDATE SET "keyType" = EXCLUDED."keyType", rule = EXCLUDED.rule, confidence = EXCLUDED.confidence,
       "identityId" = EXCLUDED."identityId", "initiatorIdentityId" = EXCLUDED."initiatorIdentityId", "credentialId" = EXCLUDED."credentialId",
       "startedAt" = EXCLUDED."startedAt", "endedAt" = EXCLUDED."endedAt", "eventCount" = EXCLUDED."eventCount", "srcIps" = EXCLUDED."srcIps",
       summary = EXCLUDED.summary`,
  );
}

/**
 * Points every event of the result at its identity and session (null where it has none), writing only the rows
 * whose values change: an event row is wide and indexed, and a re-run mostly gives every event what it had
 * (writing all of them, after clearing all of them, took 10.5 s of a 12.6 s full pass over 120,000 events).
 */
async function updateEvents(client: PoolClient, res: CorrelationResult): Promise<void> {
  await stageRows(client, "corr_event_in", "id int8, i uuid, s uuid", res.eventIds, (enc, id, k) =>
    enc.tuple(3).int8(id).uuid(res.eventIdentity[k]).uuid(res.eventSession[k]),
  );
  await client.query(
    `UPDATE event e SET "identityId" = u.i, "sessionId" = u.s FROM corr_event_in u
      WHERE e.id = u.id AND (e."identityId" IS DISTINCT FROM u.i OR e."sessionId" IS DISTINCT FROM u.s)`,
  );
}

async function insertLinks(client: PoolClient, res: CorrelationResult): Promise<void> {
  const ls = res.links;
  await client.query(
    `INSERT INTO session_link (id, "fromSessionId", "toSessionId", kind, rule, "matchedFields", confidence)
     SELECT gen_random_uuid(), u.f, u.t, u.k, u.r, u.m::jsonb, u.c
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::float8[]) AS u(f, t, k, r, m, c)`,
    [
      ls.map((l) => l.from),
      ls.map((l) => l.to),
      ls.map((l) => l.kind),
      ls.map((l) => l.rule),
      ls.map((l) => json(l.matchedFields)),
      ls.map((l) => l.confidence),
    ],
  );
}

/** A full pass's write: the result replaces every correlation row. */
async function writeResult(client: PoolClient, res: CorrelationResult, events: CorrelationEvent[]): Promise<void> {
  const ids = res.identities;
  const cs = res.credentials;
  const ss = res.sessions;
  await upsertIdentities(client, res);
  await client.query(`DELETE FROM identity_alias`);
  await insertAliases(client, res);
  await upsertCredentials(client, res);
  await upsertSessions(client, res, events);

  // Events point at their identity and session (the result holds every event: those it leaves
  // without one are set to null).
  await updateEvents(client, res);

  await client.query(`DELETE FROM session_link`);
  await insertLinks(client, res);

  // What the new result no longer has. Findings outlive the sessions they cite (finding.sessionId has a foreign
  // key): unlink them first; the next risk run relinks them through their proving events.
  // (Anti-joins against the kept ids: `NOT (x = ANY(array))` compared each row with the whole array, 17 s at 1M events.)
  const notIn = (col: string) => `${col} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM unnest($1::uuid[]) AS k(id) WHERE k.id = ${col})`;
  await client.query(`UPDATE finding f SET "sessionId" = NULL WHERE ${notIn('f."sessionId"')}`, [ss.map((s) => s.id)]);
  await client.query(`DELETE FROM session s WHERE ${notIn("s.id")}`, [ss.map((s) => s.id)]);
  await client.query(`UPDATE credential c SET "parentId" = NULL WHERE ${notIn('c."parentId"')}`, [cs.map((c) => c.id)]);
  await client.query(`DELETE FROM credential c WHERE ${notIn("c.id")}`, [cs.map((c) => c.id)]);
  await client.query(`UPDATE access_grant g SET "identityId" = NULL WHERE ${notIn('g."identityId"')}`, [ids.map((i) => i.id)]);
  await client.query(`UPDATE identity i SET "ownerIdentityId" = NULL WHERE ${notIn('i."ownerIdentityId"')}`, [ids.map((i) => i.id)]);
  await client.query(`DELETE FROM identity i WHERE ${notIn("i.id")}`, [ids.map((i) => i.id)]);
}

/**
 * An incremental run's write: only the rows derived from `events` (a closure: no event outside it shares a key
 * with one inside). The rows they had before are derived from the same closure (merges only grow when events
 * are added, and every old identity of these events has an alias among the new result's accounts), so
 * replacing them leaves every other row as a full pass would.
 */
async function writeSubset(client: PoolClient, res: CorrelationResult, events: CorrelationEvent[]): Promise<void> {
  const evIds = events.map((e) => e.id);
  const newSessions = res.sessions.map((s) => s.id);
  const newIdentities = res.identities.map((i) => i.id);
  const aliases = res.identities.flatMap((i) => i.aliases);
  const old = await client.query<{ sessions: string[] | null; identities: string[] | null }>(
    `SELECT (SELECT array_agg(DISTINCT "sessionId")::text[] FROM event WHERE id = ANY($1::bigint[]) AND "sessionId" IS NOT NULL) AS sessions,
            (SELECT array_agg(DISTINCT x)::text[] FROM (
               SELECT "identityId" AS x FROM event WHERE id = ANY($1::bigint[]) AND "identityId" IS NOT NULL
               UNION SELECT a."identityId" FROM identity_alias a
                 JOIN unnest($2::text[], $3::text[], $4::text[]) AS u(p, t, v) ON a.platform = u.p AND a."aliasType" = u.t AND a."externalId" = u.v
             ) o) AS identities`,
    [evIds, aliases.map((a) => a.platform), aliases.map((a) => a.aliasType), aliases.map((a) => a.externalId)],
  );
  const oldSessions = old.rows[0].sessions ?? [];
  const oldIdentities = old.rows[0].identities ?? [];
  const keepS = new Set(newSessions);
  const goneSessions = oldSessions.filter((s) => !keepS.has(s));
  const keepI = new Set(newIdentities);
  const goneIdentities = oldIdentities.filter((i) => !keepI.has(i));

  // Sessions the closure no longer has go first, so a regrouped session can take over their key (their events'
  // sessionId becomes null by the foreign key, until updateEvents below). Findings outlive the sessions they
  // cite: unlinked, the next risk run relinks them.
  await client.query(`UPDATE finding SET "sessionId" = NULL WHERE "sessionId" = ANY($1::uuid[])`, [goneSessions]);
  await client.query(`DELETE FROM session WHERE id = ANY($1::uuid[])`, [goneSessions]);

  await upsertIdentities(client, res);
  await client.query(`DELETE FROM identity_alias WHERE "identityId" = ANY($1::uuid[])`, [[...oldIdentities, ...newIdentities]]);
  await insertAliases(client, res);
  await upsertCredentials(client, res);
  await upsertSessions(client, res, events);
  await updateEvents(client, res);
  await client.query(`DELETE FROM session_link WHERE "fromSessionId" = ANY($1::uuid[]) OR "toSessionId" = ANY($1::uuid[])`, [newSessions]);
  await insertLinks(client, res);

  await client.query(`UPDATE access_grant SET "identityId" = NULL WHERE "identityId" = ANY($1::uuid[])`, [goneIdentities]);
  await client.query(`UPDATE identity SET "ownerIdentityId" = NULL WHERE "ownerIdentityId" = ANY($1::uuid[])`, [goneIdentities]);
  await client.query(`DELETE FROM identity WHERE id = ANY($1::uuid[])`, [goneIdentities]);
}

/**
 * Whether an ingest may still be adding events. Event ids come from a sequence, so a batch still writing can
 * commit ids below ones already visible; while one runs, keyedThrough does not move past what it has (the next
 * run takes those events again, which is idempotent). Batches started over six hours ago are taken as crashed.
 */
async function ingestInFlight(client: PoolClient): Promise<boolean> {
  const r = await client.query(
    `SELECT 1 FROM ingest_batch WHERE "tenantId" = $1 AND status IN ('pending', 'running') AND "startedAt" > now() - interval '6 hours' LIMIT 1`,
    [DEFAULT_TENANT],
  );
  return (r.rowCount ?? 0) > 0;
}

const CORRELATION_LOCK = 7_265_101_011;

const maxId = (events: CorrelationEvent[], floor: string) =>
  events.reduce((m, e) => (BigInt(e.id) > m ? BigInt(e.id) : m), BigInt(floor)).toString();

/**
 * Correlates the stored events and writes the result. mode "full" (the default) recomputes everything;
 * "incremental" only what the events stored since the last run touch (a full pass when it cannot). The context's
 * actor is who asked (the system for the background run after an ingest); the run is audited either way.
 */
export async function runCorrelation({
  ctx,
  mode = "full",
  fullPassAbove = 0.5,
}: {
  ctx: RequestContext;
  mode?: CorrelationMode;
  /** An incremental run whose closure passes this share of the events does a full pass (tests raise it to 1). */
  fullPassAbove?: number;
}): Promise<CorrelationSummary> {
  const started = performance.now();
  const client = await pool().connect();
  // One run at a time per database (the web server's queue and a CLI run may overlap): an incremental run reads
  // the rows another run is replacing. Session-level, released in `finally`.
  await client.query(`SELECT pg_advisory_lock($1)`, [CORRELATION_LOCK]);
  try {
    // Checked before the events are read: a batch that starts after this gets larger ids than any read below.
    const inFlight = await ingestInFlight(client);
    const state = await client.query<{ keyedThrough: string }>(
      `SELECT "keyedThrough"::text AS "keyedThrough" FROM correlation_state WHERE "tenantId" = $1`,
      [DEFAULT_TENANT],
    );
    const keyedThrough = state.rows[0]?.keyedThrough ?? null;
    let fallbackReason: string | null = null;
    let ran: CorrelationMode = "full";
    let newEvents: CorrelationEvent[] = [];
    let events: CorrelationEvent[] | null = null;
    let totalEvents = 0;
    if (mode === "incremental" && keyedThrough === null) fallbackReason = "no earlier correlation to build on";
    if (mode === "incremental" && keyedThrough !== null) {
      newEvents = await loadCorrelationEvents(client, { after: keyedThrough });
      const count = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM event WHERE "tenantId" = $1`, [DEFAULT_TENANT]);
      totalEvents = Number(count.rows[0].n);
      const closure = await findAffectedEvents({
        client,
        newEvents,
        cap: Math.floor(totalEvents * fullPassAbove),
        loadEvents: (c, ids) => loadCorrelationEvents(c, { ids }),
      });
      if (closure.events) {
        events = closure.events;
        ran = "incremental";
      } else fallbackReason = closure.reason;
    }
    if (events === null) {
      events = await loadCorrelationEvents(client);
      totalEvents = events.length;
      newEvents = keyedThrough === null ? events : events.filter((e) => BigInt(e.id) > BigInt(keyedThrough));
    }
    const res = correlate(events);
    return await withTransaction(
      async () => {
        if (ran === "full") await writeResult(client, res, events);
        else await writeSubset(client, res, events);
        await insertCorrelationKeys(client, newEvents);
        const through = inFlight ? (keyedThrough ?? "0") : maxId(newEvents, keyedThrough ?? "0");
        await client.query(
          `INSERT INTO correlation_state ("tenantId", "keyedThrough", "updatedAt") VALUES ($1, $2::bigint, now())
         ON CONFLICT ("tenantId") DO UPDATE SET "keyedThrough" = EXCLUDED."keyedThrough", "updatedAt" = now()`,
          [DEFAULT_TENANT, through],
        );
        const summary: CorrelationSummary = {
          mode: ran,
          fallbackReason,
          newEvents: newEvents.length,
          events: events.length,
          totalEvents,
          identities: res.identities.length,
          credentials: res.credentials.length,
          sessions: res.sessions.length,
          links: res.links.length,
          durationMs: Math.round(performance.now() - started),
        };
        await auditRun(client, ctx, mode, summary);
        return summary;
      },
      { client },
    );
  } finally {
    // A connection that could not unlock is closed rather than pooled (closing releases the lock).
    const unlocked = await client.query(`SELECT pg_advisory_unlock($1)`, [CORRELATION_LOCK]).then(
      () => true,
      () => false,
    );
    client.release(!unlocked);
  }
}

/** The run's audit entry, in the run's own transaction (a pg connection): the same columns as recordAudit's. */
async function auditRun(client: PoolClient, ctx: RequestContext, requested: CorrelationMode, s: CorrelationSummary): Promise<void> {
  await insertAudit(client, {
    ...auditRow(ctx, {
      type: "correlation.run",
      mode: s.mode,
      requested,
      fallbackReason: s.fallbackReason,
      newEvents: s.newEvents,
      eventsLoaded: s.events,
      totalEvents: s.totalEvents,
      identities: s.identities,
      credentials: s.credentials,
      sessions: s.sessions,
      links: s.links,
      durationMs: s.durationMs,
    }),
    resourceType: "correlation",
  });
}
