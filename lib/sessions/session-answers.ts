import { pool } from "@/lib/db";
import { NON_CHANGING_ACTIVITIES } from "@/lib/correlation/sessions-report";
import { DEFAULT_TENANT } from "@/lib/context/request-context";
import { identityRef, type SessionJoinedRow } from "./sql";
import type { CredentialLink, IdentityRef, SessionDetail } from "./types";
import { INITIATOR_RULES, kindLabel, platformLabel } from "./words";

// The four answers of a session in plain words (who initiated it, which identity or NHI ran it, what was done,
// which business objects changed), with the facts behind them: the session page (get-session.ts) and the case
// report (lib/export/report) both read them from here, several sessions at a time, so that the report's answers
// are the page's answers word for word. Computed over all of a session's events; the objects changed are the targets
// of its changing events (a resource with a role, container or related, is not itself changed).

const CHAIN_DEPTH = 32;
const OBJECTS_LIMIT = 500;

/**
 * The objects each session changed ($1: session ids, $2: the activities that change nothing), first changed first,
 * at most `limit` per session: the targets of its successful changing events (a resource with a role is context,
 * not the target).
 */
export function changedObjectsSql(limit: number): string {
  return `SELECT "sessionId", type, id, name FROM (
         SELECT e."sessionId", r->>'type' AS type, coalesce(r->>'id', r->>'name') AS id, max(r->>'name') AS name,
                row_number() OVER (PARTITION BY e."sessionId" ORDER BY min(e.time), r->>'type', coalesce(r->>'id', r->>'name')) AS n
           FROM event e CROSS JOIN LATERAL json_array_elements(e.data->'resources') AS r
          WHERE e."sessionId" = ANY($1::uuid[]) AND e.status IS DISTINCT FROM 'failure' AND NOT (e.activity = ANY($2::text[]))
            AND coalesce(r->>'id', r->>'name') IS NOT NULL AND r->>'role' IS NULL
          GROUP BY 1, 2, 3) o
        WHERE n <= ${limit} ORDER BY "sessionId", n`;
}

export type SessionAnswers = SessionDetail["answers"];
type ActionRow = SessionDetail["actions"][number];
type ObjectRow = SessionDetail["objectsChanged"][number];

export type AnsweredSession = {
  row: SessionJoinedRow & { credentialId: string | null };
  identity: IdentityRef | null;
  initiator: IdentityRef | null;
  initiatorRule: string | null;
  answers: SessionAnswers;
  actions: ActionRow[];
  objectsChanged: ObjectRow[];
  /** The session's credential and its chain up to the root (credential first, root last). */
  credentialChain: CredentialLink[];
};

/** The sessions with their answers, in the order of `ids` (unknown ids are left out). One query per kind of fact. */
export async function answerSessions({ ids }: { ids: string[] }): Promise<AnsweredSession[]> {
  if (ids.length === 0) return [];
  const c = pool();
  const [sessions, actions, objects] = await Promise.all([
    c.query<SessionJoinedRow & { credentialId: string | null; summary: { initiatorRule?: string | null } | null }>(
      `SELECT s.id, s.platform, s."sessionKey", s."keyType", s.rule, s.confidence, s."startedAt", s."endedAt", s."eventCount", s."srcIps",
              s."riskLevel", s."riskScore", s."credentialId", s.summary,
              i.id AS "iId", i.kind::text AS "iKind", i."displayName" AS "iName", i."primaryEmail" AS "iEmail",
              n.id AS "nId", n.kind::text AS "nKind", n."displayName" AS "nName", n."primaryEmail" AS "nEmail"
         FROM session s
         LEFT JOIN identity i ON i.id = s."identityId"
         LEFT JOIN identity n ON n.id = s."initiatorIdentityId"
        WHERE s.id = ANY($1::uuid[]) AND s."tenantId" = $2`,
      [ids, DEFAULT_TENANT],
    ),
    c.query<ActionRow & { sessionId: string }>(
      `SELECT "sessionId", COALESCE("eventName", data->>'event_name') AS name, count(*)::int AS count, count(*) FILTER (WHERE status = 'failure')::int AS failures
         FROM event WHERE "sessionId" = ANY($1::uuid[]) GROUP BY 1, 2 ORDER BY 1, min(time), 2`,
      [ids],
    ),
    c.query<ObjectRow & { sessionId: string }>(changedObjectsSql(OBJECTS_LIMIT), [ids, [...NON_CHANGING_ACTIVITIES]]),
  ]);
  const chains = await credentialChains(sessions.rows.map((s) => s.credentialId).filter((x): x is string => !!x));
  const bySession = <T extends { sessionId: string }>(rows: T[]) => {
    const m = new Map<string, Omit<T, "sessionId">[]>();
    for (const { sessionId, ...rest } of rows) {
      const list = m.get(sessionId) ?? [];
      list.push(rest);
      m.set(sessionId, list);
    }
    return m;
  };
  const actionsOf = bySession(actions.rows);
  const objectsOf = bySession(objects.rows);
  const byId = new Map(sessions.rows.map((s) => [s.id, s]));
  return ids.flatMap((id) => {
    const s = byId.get(id);
    if (!s) return [];
    const { summary, ...row } = s;
    const facts = {
      row,
      identity: identityRef(s.iId, s.iKind, s.iName, s.iEmail),
      initiator: identityRef(s.nId, s.nKind, s.nName, s.nEmail),
      initiatorRule: summary?.initiatorRule ?? null,
      actions: (actionsOf.get(id) ?? []) as ActionRow[],
      objectsChanged: (objectsOf.get(id) ?? []) as ObjectRow[],
      credentialChain: s.credentialId ? (chains.get(s.credentialId) ?? []) : [],
    };
    return [{ ...facts, answers: answersOf(facts) }];
  });
}

function answersOf(f: Omit<AnsweredSession, "answers">): SessionAnswers {
  const { row: s, identity, initiator, initiatorRule, actions, objectsChanged: objects, credentialChain: chain } = f;
  const who = (r: IdentityRef | null) =>
    r ? `${r.name} (${kindLabel(r.kind)}${r.email && r.email !== r.name ? `, ${r.email}` : ""})` : null;
  const cred = chain[0];
  const totalFailures = actions.reduce((a, r) => a + r.failures, 0);
  const topActions = actions.slice(0, 8).map((a) => (a.count > 1 ? `${a.name} (×${a.count})` : a.name));
  return {
    initiator: initiator
      ? `${who(initiator)} initiated this session: ${INITIATOR_RULES[initiatorRule ?? ""] ?? `rule ${initiatorRule ?? "not recorded"}`}.`
      : "Not known: the logs name no identity behind this session.",
    identity: identity
      ? `It ran as ${who(identity)} on ${platformLabel(s.platform)}` +
        (cred
          ? `, with the ${cred.kind.replace(/_/g, " ")} ${cred.externalId}` +
            (chain.length > 1 ? ` (a chain of ${chain.length} credentials)` : "")
          : ", with no credential recorded") +
        "."
      : `No identity: the ${platformLabel(s.platform)} events of this session carry no actor.`,
    actions: actions.length
      ? `${s.eventCount.toLocaleString("en")} event${s.eventCount === 1 ? "" : "s"}, ${actions.length} distinct action${actions.length === 1 ? "" : "s"}: ` +
        `${topActions.join(", ")}${actions.length > topActions.length ? ", …" : ""}` +
        (totalFailures ? `. ${totalFailures} failed.` : ".")
      : "No events.",
    objects: objects.length
      ? `Changed ${objects.length}${objects.length >= OBJECTS_LIMIT ? "+" : ""} object${objects.length === 1 ? "" : "s"}: ` +
        objects
          .slice(0, 6)
          .map((o) => `${o.type} ${o.name && o.name !== o.id ? `${o.name} (${o.id})` : o.id}`)
          .join(", ") +
        (objects.length > 6 ? ", …" : ".")
      : "No business object was changed: only reads, sign-ins, decisions or failed attempts.",
  };
}

/** Per credential id: the credential and its ancestors, nearest first (cycles cannot occur by construction, the depth cap guards anyway). */
async function credentialChains(credentialIds: string[]): Promise<Map<string, CredentialLink[]>> {
  const out = new Map<string, CredentialLink[]>();
  if (credentialIds.length === 0) return out;
  const r = await pool().query<{
    root: string;
    id: string;
    kind: string;
    platform: string;
    externalId: string;
    parentRule: string | null;
    firstSeenAt: Date | null;
    lastUsedAt: Date | null;
  }>(
    `WITH RECURSIVE up(root, id, depth) AS (
       SELECT x, x, 0 FROM unnest($1::uuid[]) AS x
       UNION ALL
       SELECT up.root, c."parentId", up.depth + 1 FROM up JOIN credential c ON c.id = up.id WHERE c."parentId" IS NOT NULL AND up.depth < ${CHAIN_DEPTH}
     )
     SELECT up.root, c.id, c.kind::text AS kind, c.platform, c."externalId", c."parentRule", c."firstSeenAt", c."lastUsedAt"
       FROM up JOIN credential c ON c.id = up.id ORDER BY up.root, up.depth`,
    [[...new Set(credentialIds)]],
  );
  for (const c of r.rows) {
    const list = out.get(c.root) ?? [];
    list.push({
      id: c.id,
      kind: c.kind,
      platform: c.platform,
      externalId: c.externalId,
      parentRule: c.parentRule,
      firstSeenAt: c.firstSeenAt?.toISOString() ?? null,
      lastUsedAt: c.lastUsedAt?.toISOString() ?? null,
    });
    out.set(c.root, list);
  }
  return out;
}
