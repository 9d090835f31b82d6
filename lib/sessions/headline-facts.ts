import { pool } from "@/lib/db";
import { NON_CHANGING_ACTIVITIES } from "@/lib/correlation/sessions-report";
import { changedObjectsSql } from "./session-answers";
import { STATUS_LABEL, type CheckStatus } from "@/lib/governance/types";
import { sessionHeadline, type HeadlineFacts } from "./session-headline";
import { VOLUME_FIELDS } from "./volume-fields";

// The facts a session's headline is written from (session-headline.ts), for several sessions at once: the sessions
// list asks for one page's ids, the session page for one. One query per kind of fact, each over the sessions' events
// through the (sessionId, time) index.
//  - volumes: per activity, the rows counted by the vendor's own field (volume-fields.ts) and the objects named
//    (resources with a name: the sObject type or table, not a bare record id);
//  - the client app, user agent and source address most of the events carry;
//  - the network is "new" when none of the identity's earlier sessions came from that address (their srcIps) and
//    none of this session's earlier events did (the address's first use in the session is the reference), and
//    unknown when the identity made no earlier call;
//  - the identity's last call before that first use (its time and address), in this session or an earlier one;
//  - privileged actions with their governance verdict (governance_check of each event).

const OBJECTS_PER_VOLUME = 3;
const PRIVILEGED_GROUPS = 6;
const CHANGED_OBJECTS = 6;
const CLIENT_SAMPLE = 2000;

/** What the caller already computed over the sessions' events (the session page's answers): not read again. */
export type KnownFacts = Map<string, Pick<HeadlineFacts, "actions" | "objectsChanged">>;

/** Headline facts per session id (ids that are not sessions are absent). */
export async function headlineFacts({ ids, known }: { ids: string[]; known?: KnownFacts }): Promise<Map<string, HeadlineFacts>> {
  const out = new Map<string, HeadlineFacts>();
  if (ids.length === 0) return out;
  const c = pool();
  const none = Promise.resolve({ rows: [] as never[] });
  const [base, volumes, actions, objects, privileged] = await Promise.all([
    c.query<{
      id: string;
      actor: string | null;
      actorIsId: boolean;
      eventCount: number;
      startedAt: Date;
      client: string | null;
      userAgent: string | null;
      srcIp: string | null;
      ipSince: Date | null;
      seenIp: boolean | null;
      prevAt: Date | null;
      prevIp: string | null;
    }>(
      `SELECT s.id, coalesce(i."displayName", a."actorName") AS actor,
              -- The correlation names an identity after its user id when no event names it (identities.ts): the
              -- client acting as it reads better than the id.
              EXISTS (SELECT 1 FROM identity_alias x WHERE x."identityId" = i.id AND x."aliasType" = 'user_id' AND x."externalId" = i."displayName") AS "actorIsId",
              s."eventCount", s."startedAt", m.client, m."userAgent", ip."srcIp", ip."ipSince",
              CASE WHEN s."identityId" IS NULL OR ip."srcIp" IS NULL THEN NULL
                   ELSE EXISTS (SELECT 1 FROM session p WHERE p."identityId" = s."identityId" AND p."startedAt" < ip."ipSince" AND p.id <> s.id
                                   AND ip."srcIp" = ANY(p."srcIps")) END AS "seenIp",
              prev.time AS "prevAt", prev."srcIp" AS "prevIp"
         FROM session s
         LEFT JOIN identity i ON i.id = s."identityId"
         LEFT JOIN LATERAL (SELECT e."actorName" FROM event e
               WHERE e."sessionId" = s.id AND e."actorName" IS NOT NULL ORDER BY e.time LIMIT 1) a ON true
         CROSS JOIN LATERAL (SELECT
             -- The client: the app id most events carry (an indexed column, no JSON read), named from one of its
             -- events: the app's name, else the name the caller gave itself (Salesforce EventLogFile CLIENT_NAME, the
             -- optional client of the API call's CallOptions header), else the id. Clients recorded by name only
             -- (no app id) are looked for in the session's first ${CLIENT_SAMPLE} events.
             coalesce(
               (SELECT coalesce(f.data->'client'->>'app_name', f.data->'extra'->>'CLIENT_NAME', c."clientAppId")
                  FROM (SELECT e."clientAppId", min(e.id) AS first FROM event e WHERE e."sessionId" = s.id AND e."clientAppId" IS NOT NULL
                         GROUP BY 1 ORDER BY count(*) DESC, min(e.time) LIMIT 1) c
                  JOIN event f ON f.id = c.first),
               (SELECT coalesce(x.data->'client'->>'app_name', x.data->'extra'->>'CLIENT_NAME')
                  FROM (SELECT e.data, e.time FROM event e WHERE e."sessionId" = s.id ORDER BY e.time LIMIT ${CLIENT_SAMPLE}) x
                 WHERE coalesce(x.data->'client'->>'app_name', x.data->'extra'->>'CLIENT_NAME') IS NOT NULL
                 GROUP BY 1 ORDER BY count(*) DESC, min(x.time) LIMIT 1)) AS client,
             (SELECT e."userAgent" FROM event e WHERE e."sessionId" = s.id AND e."userAgent" IS NOT NULL
               GROUP BY 1 ORDER BY count(*) DESC, min(e.time) LIMIT 1) AS "userAgent") m
         -- The address most of the session's events came from, and when the session first used it.
         LEFT JOIN LATERAL (SELECT e."srcIp", min(e.time) AS "ipSince" FROM event e WHERE e."sessionId" = s.id AND e."srcIp" IS NOT NULL
               GROUP BY 1 ORDER BY count(*) DESC, min(e.time) LIMIT 1) ip ON true
         -- The identity's last call before the session's address was first used (in this session or an earlier one).
         LEFT JOIN LATERAL (SELECT x.time, x."srcIp" FROM event x
               WHERE s."identityId" IS NOT NULL AND x."identityId" = s."identityId" AND x.time < coalesce(ip."ipSince", s."startedAt")
               ORDER BY x.time DESC LIMIT 1) prev ON true
        WHERE s.id = ANY($1::uuid[])`,
      [ids],
    ),
    // The first volume field present on an event (one that counts more than zero rows first), with whether the call
    // was query-shaped (Salesforce METHOD_NAME / URI / Operation) to name its unit.
    c.query<{ sessionId: string; activity: string; unit: string; query: boolean; rows: number; events: number; objects: string[] | null }>(
      `WITH ev AS (
         SELECT e."sessionId", e.activity, v.unit, v.n, e.data->'resources' AS res,
                coalesce(e.data->'extra'->>'METHOD_NAME' ~* 'query' OR e.data->'extra'->>'URI' ~* '/query'
                         OR e.data->'extra'->>'Operation' ~* '^query', false) AS query
           FROM event e
           CROSS JOIN LATERAL (
             SELECT vf.unit, (e.data->'extra'->>vf.field)::numeric AS n
               FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS vf(platform, field, unit, ord)
              WHERE vf.platform = e.platform AND json_typeof(e.data->'extra'->vf.field) = 'number'
              ORDER BY (e.data->'extra'->>vf.field)::numeric > 0 DESC, vf.ord LIMIT 1) v
          WHERE e."sessionId" = ANY($1::uuid[]) AND e.platform = ANY($2::text[]) AND e.status IS DISTINCT FROM 'failure'),
       g AS (SELECT "sessionId", activity, unit, bool_and(query) AS query, sum(n)::float8 AS rows, count(*)::int AS events FROM ev GROUP BY 1, 2, 3)
       SELECT g.*, ARRAY(
                SELECT DISTINCT r->>'name' FROM ev CROSS JOIN LATERAL json_array_elements(ev.res) r
                 WHERE ev."sessionId" = g."sessionId" AND ev.activity = g.activity AND ev.unit = g.unit
                   AND (r->>'role' IS NULL OR r->>'role' = 'container') AND r->>'name' IS NOT NULL
                 LIMIT ${OBJECTS_PER_VOLUME}) AS objects
         FROM g`,
      [ids, VOLUME_FIELDS.map((f) => f.platform), VOLUME_FIELDS.map((f) => f.field), VOLUME_FIELDS.map((f) => f.unit)],
    ),
    known
      ? none
      : c.query<{ sessionId: string; name: string; count: number }>(
          `SELECT "sessionId", COALESCE("eventName", data->>'event_name') AS name, count(*)::int AS count
         FROM event WHERE "sessionId" = ANY($1::uuid[]) GROUP BY 1, 2 ORDER BY 1, 3 DESC, min(time), 2`,
          [ids],
        ),
    known
      ? none
      : c.query<{ sessionId: string; type: string; id: string; name: string | null }>(changedObjectsSql(CHANGED_OBJECTS), [
          ids,
          [...NON_CHANGING_ACTIVITIES],
        ]),
    c.query<{ sessionId: string; name: string; status: string | null; approvalRef: string | null; count: number }>(
      `SELECT e."sessionId", COALESCE(e."eventName", e.data->>'event_name') AS name, g.status, g."approvalRef", count(*)::int AS count
         FROM event e LEFT JOIN governance_check g ON g."eventId" = e.id
        WHERE e."sessionId" = ANY($1::uuid[]) AND e.privileged
        GROUP BY 1, 2, 3, 4 ORDER BY 1, min(e.time), 2, 3`,
      [ids],
    ),
  ]);
  const group = <T extends { sessionId: string }>(rows: T[]) => {
    const m = new Map<string, T[]>();
    for (const r of rows) m.set(r.sessionId, [...(m.get(r.sessionId) ?? []), r]);
    return m;
  };
  const volumesOf = group(volumes.rows);
  const actionsOf = group(actions.rows);
  const objectsOf = group(objects.rows);
  const privilegedOf = group(privileged.rows);
  for (const s of base.rows) {
    out.set(s.id, {
      actor: s.actor,
      eventCount: s.eventCount,
      actions: known?.get(s.id)?.actions ?? (actionsOf.get(s.id) ?? []).map(({ name, count }) => ({ name, count })),
      volumes: (volumesOf.get(s.id) ?? []).map((v) => ({
        activity: v.activity,
        rows: v.rows,
        events: v.events,
        unit: v.query ? "queries" : v.unit,
        objects: v.objects ?? [],
      })),
      objectsChanged: known?.get(s.id)?.objectsChanged ?? (objectsOf.get(s.id) ?? []).map(({ type, id, name }) => ({ type, id, name })),
      client: s.client,
      userAgent: s.userAgent,
      srcIp: s.srcIp,
      actorIsId: s.actorIsId,
      // New only against a known past: an identity with no earlier call has nothing to compare with.
      newNetwork: s.prevAt && s.seenIp !== null ? !s.seenIp : null,
      previous: s.prevAt ? { at: s.prevAt.toISOString(), ip: s.prevIp } : null,
      startedAt: (s.ipSince ?? s.startedAt).toISOString(),
      privileged: (privilegedOf.get(s.id) ?? []).slice(0, PRIVILEGED_GROUPS).map((p) => ({
        name: p.name,
        count: p.count,
        verdict: verdictText(p.status, p.approvalRef),
      })),
    });
  }
  return out;
}

/** A governance check's status in words: "approved by CHG0041001" when it passed, the failing status's label otherwise. */
function verdictText(status: string | null, approvalRef: string | null): string | null {
  if (status === null) return null;
  if (status === "ok") return approvalRef ? `approved by ${approvalRef}` : "approved";
  return STATUS_LABEL[status as CheckStatus] ?? status.replace(/_/g, " ");
}

/** Headline sentences per session id. */
export async function sessionHeadlines({ ids, known }: { ids: string[]; known?: KnownFacts }): Promise<Map<string, string>> {
  const facts = await headlineFacts({ ids, known });
  return new Map([...facts].map(([id, f]) => [id, sessionHeadline(f)]));
}
