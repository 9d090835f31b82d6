import type { PoolClient } from "pg";
import { pool } from "@/lib/db";
import type { NormalizedEventJson } from "@/lib/events/schema";
import { correlate } from "./correlate";
import { sessionDigest } from "./session-digest";
import type { CorrelationEvent, CorrelationResult } from "./types";

// Runs the correlation engine over the stored events and writes its output: identities and their aliases,
// credentials with parent edges, sessions, session links, and each event's identity and session. Ids are
// derived from keys, so a re-run over the same events writes the same rows; rows the new result no longer
// has (an alias merged elsewhere, a session regrouped) are removed. One transaction: readers see the old
// correlation or the new one, never half of each.
//
// This first version recomputes over all events of the tenant (a full pass); re-correlating only what a new
// batch touches is the next step (docs/architecture.md).

export type CorrelationSummary = {
  events: number;
  identities: number;
  credentials: number;
  sessions: number;
  links: number;
  durationMs: number;
};

/** Every stored event with its raw record's file and position. */
export async function loadCorrelationEvents(client: PoolClient, tenantId = "default"): Promise<CorrelationEvent[]> {
  const r = await client.query<{ id: string; fileName: string; position: string; data: NormalizedEventJson }>(
    `SELECT e.id::text AS id, r."fileName", r.position::text AS position, e.data
       FROM event e JOIN raw_record r ON r.id = e."rawRecordId"
      WHERE e."tenantId" = $1`,
    [tenantId],
  );
  return r.rows.map((row) => ({ id: row.id, file: row.fileName, index: Number(row.position), data: row.data }));
}

const json = (v: unknown) => JSON.stringify(v);

async function writeResult(client: PoolClient, res: CorrelationResult, events: CorrelationEvent[]): Promise<void> {
  const ids = res.identities;
  await client.query(
    `INSERT INTO identity (id, kind, "displayName", "primaryEmail", "firstSeenAt", "lastSeenAt")
     SELECT u.id, u.kind::"IdentityKind", u.name, u.email, u.first, u.last
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[]) AS u(id, kind, name, email, first, last)
     ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, "displayName" = EXCLUDED."displayName", "primaryEmail" = EXCLUDED."primaryEmail",
       "firstSeenAt" = EXCLUDED."firstSeenAt", "lastSeenAt" = EXCLUDED."lastSeenAt"`,
    [ids.map((i) => i.id), ids.map((i) => i.kind), ids.map((i) => i.displayName), ids.map((i) => i.primaryEmail), ids.map((i) => i.firstSeenAt), ids.map((i) => i.lastSeenAt)],
  );
  const aliases = ids.flatMap((i) => i.aliases.map((a) => ({ ...a, identityId: i.id })));
  await client.query(`DELETE FROM identity_alias`);
  await client.query(
    `INSERT INTO identity_alias (id, "identityId", platform, "aliasType", "externalId", rule, evidence)
     SELECT gen_random_uuid(), u.i, u.p, u.t, u.x, u.r, u.e::jsonb
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS u(i, p, t, x, r, e)`,
    [aliases.map((a) => a.identityId), aliases.map((a) => a.platform), aliases.map((a) => a.aliasType), aliases.map((a) => a.externalId), aliases.map((a) => a.rule), aliases.map((a) => json(a.evidence))],
  );

  // Credentials: rows first, parents after (a parent may be inserted later in the list).
  const cs = res.credentials;
  await client.query(
    `INSERT INTO credential (id, kind, platform, "externalId", "identityId", "firstSeenAt", "lastUsedAt", evidence)
     SELECT u.id, u.kind::"CredentialKind", u.platform, u.ext, u.identity, u.first, u.last, u.evidence::jsonb
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::timestamptz[], $7::timestamptz[], $8::text[])
         AS u(id, kind, platform, ext, identity, first, last, evidence)
     ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, "identityId" = EXCLUDED."identityId", "firstSeenAt" = EXCLUDED."firstSeenAt",
       "lastUsedAt" = EXCLUDED."lastUsedAt", evidence = EXCLUDED.evidence, "parentId" = NULL, "parentRule" = NULL`,
    [
      cs.map((c) => c.id),
      cs.map((c) => c.kind),
      cs.map((c) => c.platform),
      cs.map((c) => c.externalId),
      cs.map((c) => c.identityId),
      cs.map((c) => c.firstSeenAt),
      cs.map((c) => c.lastUsedAt),
      cs.map((c) => json({ keyType: c.keyType, parent: c.parentEvidence })),
    ],
  );
  const withParent = cs.filter((c) => c.parentId);
  await client.query(
    `UPDATE credential c SET "parentId" = u.parent, "parentRule" = u.rule
       FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS u(id, parent, rule) WHERE c.id = u.id`,
    [withParent.map((c) => c.id), withParent.map((c) => c.parentId), withParent.map((c) => c.parentRule)],
  );

  const ss = res.sessions;
  // summary: how the initiator was found, plus a digest of actions and changed objects for the sessions list.
  const eventsById = new Map(events.map((e) => [e.id, e]));
  await client.query(
    `INSERT INTO session (id, platform, "sessionKey", "keyType", rule, confidence, "identityId", "initiatorIdentityId", "credentialId",
       "startedAt", "endedAt", "eventCount", "srcIps", summary)
     SELECT u.id, u.platform, u.key, u.kt, u.rule, u.conf, u.identity, u.initiator, u.cred, u.started, u.ended, u.n,
       ARRAY(SELECT json_array_elements_text(u.ips)), u.summary::jsonb
       FROM ROWS FROM (unnest($1::uuid[]), unnest($2::text[]), unnest($3::text[]), unnest($4::text[]), unnest($5::text[]),
         unnest($6::float8[]), unnest($7::uuid[]), unnest($8::uuid[]), unnest($9::uuid[]), unnest($10::timestamptz[]),
         unnest($11::timestamptz[]), unnest($12::int[]), json_array_elements($13::json), unnest($14::text[]))
         AS u(id, platform, key, kt, rule, conf, identity, initiator, cred, started, ended, n, ips, summary)
     ON CONFLICT (id) DO UPDATE SET "keyType" = EXCLUDED."keyType", rule = EXCLUDED.rule, confidence = EXCLUDED.confidence,
       "identityId" = EXCLUDED."identityId", "initiatorIdentityId" = EXCLUDED."initiatorIdentityId", "credentialId" = EXCLUDED."credentialId",
       "startedAt" = EXCLUDED."startedAt", "endedAt" = EXCLUDED."endedAt", "eventCount" = EXCLUDED."eventCount", "srcIps" = EXCLUDED."srcIps",
       summary = EXCLUDED.summary`,
    [
      ss.map((s) => s.id),
      ss.map((s) => s.platform),
      ss.map((s) => s.sessionKey),
      ss.map((s) => s.keyType),
      ss.map((s) => s.rule),
      ss.map((s) => s.confidence),
      ss.map((s) => s.identityId),
      ss.map((s) => s.initiatorIdentityId),
      ss.map((s) => s.credentialId),
      ss.map((s) => s.startedAt),
      ss.map((s) => s.endedAt),
      ss.map((s) => s.eventIds.length),
      json(ss.map((s) => s.srcIps)),
      ss.map((s) => json({ initiatorRule: s.initiatorRule, ...sessionDigest(s, eventsById) })),
    ],
  );

  // Events point at their identity and session.
  const evIds = [...res.eventIdentity.keys(), ...[...res.eventSession.keys()].filter((k) => !res.eventIdentity.has(k))];
  await client.query(`UPDATE event SET "identityId" = NULL, "sessionId" = NULL WHERE "identityId" IS NOT NULL OR "sessionId" IS NOT NULL`);
  await client.query(
    `UPDATE event e SET "identityId" = u.i, "sessionId" = u.s FROM unnest($1::bigint[], $2::uuid[], $3::uuid[]) AS u(id, i, s) WHERE e.id = u.id`,
    [evIds, evIds.map((k) => res.eventIdentity.get(k) ?? null), evIds.map((k) => res.eventSession.get(k) ?? null)],
  );

  await client.query(`DELETE FROM session_link`);
  const ls = res.links;
  await client.query(
    `INSERT INTO session_link (id, "fromSessionId", "toSessionId", kind, rule, "matchedFields", confidence)
     SELECT gen_random_uuid(), u.f, u.t, u.k, u.r, u.m::jsonb, u.c
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::float8[]) AS u(f, t, k, r, m, c)`,
    [ls.map((l) => l.from), ls.map((l) => l.to), ls.map((l) => l.kind), ls.map((l) => l.rule), ls.map((l) => json(l.matchedFields)), ls.map((l) => l.confidence)],
  );

  // What the new result no longer has. Findings outlive the sessions they cite (finding.sessionId has a foreign
  // key): unlink them first; the next risk run relinks them through their proving events.
  await client.query(`UPDATE finding SET "sessionId" = NULL WHERE NOT ("sessionId" = ANY($1::uuid[]))`, [ss.map((s) => s.id)]);
  await client.query(`DELETE FROM session WHERE NOT (id = ANY($1::uuid[]))`, [ss.map((s) => s.id)]);
  await client.query(`UPDATE credential SET "parentId" = NULL WHERE NOT ("parentId" = ANY($1::uuid[]))`, [cs.map((c) => c.id)]);
  await client.query(`DELETE FROM credential WHERE NOT (id = ANY($1::uuid[]))`, [cs.map((c) => c.id)]);
  await client.query(`UPDATE access_grant SET "identityId" = NULL WHERE NOT ("identityId" = ANY($1::uuid[]))`, [ids.map((i) => i.id)]);
  await client.query(`UPDATE identity SET "ownerIdentityId" = NULL WHERE NOT ("ownerIdentityId" = ANY($1::uuid[]))`, [ids.map((i) => i.id)]);
  await client.query(`DELETE FROM identity WHERE NOT (id = ANY($1::uuid[]))`, [ids.map((i) => i.id)]);
}

/** Correlates every stored event and writes the result. */
export async function runCorrelation({ tenantId = "default" }: { tenantId?: string } = {}): Promise<CorrelationSummary> {
  const started = performance.now();
  const client = await pool().connect();
  try {
    const events = await loadCorrelationEvents(client, tenantId);
    const res = correlate(events);
    await client.query("BEGIN");
    try {
      await writeResult(client, res, events);
      await client.query("COMMIT");
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    }
    return {
      events: events.length,
      identities: res.identities.length,
      credentials: res.credentials.length,
      sessions: res.sessions.length,
      links: res.links.length,
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    client.release();
  }
}
