import { pool } from "@/lib/db";
import { DEFAULT_TENANT } from "@/lib/context/request-context";

// The sessions report: each session as an auditable transaction (who initiated it, which identity or NHI,
// with which credential, what was done, what changed, which raw records prove it, how it links to other
// sessions), plus the credentials and their parents. `npm run cli -- sessions --json` prints exactly this
// shape; later tools depend on it, so fields are only ever added.

type IdentityRef = { kind: string; id: string; name: string };
type SessionReport = {
  id: string;
  platforms: string[];
  startedAt: string;
  endedAt: string;
  initiator: IdentityRef | null;
  identity: IdentityRef | null;
  credential: { id: string; kind: string; externalId: string } | null;
  actions: string[];
  objectsChanged: { type: string; id: string }[];
  events: { source: { file: string; index: number }; nativeId: string | null }[];
  links: { to: string; kind: string; rule: string; confidence: number }[];
};
type CredentialReport = { id: string; kind: string; platform: string; externalId: string; parentId: string | null };
export type SessionsReport = { sessions: SessionReport[]; credentials: CredentialReport[] };

/** Activities that read, sign in or decide rather than change a business object. */
export const NON_CHANGING_ACTIVITIES: ReadonlySet<string> = new Set([
  "read",
  "list",
  "query",
  "search",
  "view",
  "preview",
  "download",
  "export",
  "logon",
  "logoff",
  "authenticate",
  "policy_evaluation",
  "detect",
  "request",
  "request_privileges",
]);

/** Whether a resource of a changing event is an object it changed: a target, not a container or a related object. */
export function isChangedObject(r: { role?: string | null }): boolean {
  return r.role == null;
}

type Row = {
  sessionId: string;
  eventName: string;
  activity: string;
  status: string | null;
  nativeId: string | null;
  fileName: string;
  position: string;
  resources: { type: string; id: string | null; name: string | null; role?: string | null }[] | null;
};

export async function getSessionsReport(): Promise<SessionsReport> {
  const client = await pool().connect();
  try {
    const sessions = await client.query<{
      id: string;
      platform: string;
      startedAt: Date;
      endedAt: Date;
      iId: string | null;
      iKind: string | null;
      iName: string | null;
      nId: string | null;
      nKind: string | null;
      nName: string | null;
      cId: string | null;
      cKind: string | null;
      cExt: string | null;
    }>(
      `SELECT s.id, s.platform, s."startedAt", s."endedAt",
              i.id AS "iId", i.kind::text AS "iKind", i."displayName" AS "iName",
              n.id AS "nId", n.kind::text AS "nKind", n."displayName" AS "nName",
              c.id AS "cId", c.kind::text AS "cKind", c."externalId" AS "cExt"
         FROM session s
         LEFT JOIN identity i ON i.id = s."identityId"
         LEFT JOIN identity n ON n.id = s."initiatorIdentityId"
         LEFT JOIN credential c ON c.id = s."credentialId"
        WHERE s."tenantId" = $1
        ORDER BY s."startedAt", s.id`,
      [DEFAULT_TENANT],
    );
    const events = await client.query<Row>(
      `SELECT e."sessionId", COALESCE(e."eventName", e.data->>'event_name') AS "eventName", e.activity, e.status, e."nativeId", r."fileName",
              r.position::text AS position, e.data->'resources' AS resources
         FROM event e JOIN raw_record r ON r.id = e."rawRecordId"
        WHERE e."tenantId" = $1 AND e."sessionId" IS NOT NULL
        ORDER BY e.time, e.id`,
      [DEFAULT_TENANT],
    );
    const links = await client.query<{ from: string; to: string; kind: string; rule: string; confidence: number }>(
      `SELECT "fromSessionId" AS from, "toSessionId" AS to, kind, rule, confidence FROM session_link ORDER BY "fromSessionId", "toSessionId", kind`,
    );
    const byId = new Map<string, SessionReport>();
    const out: SessionReport[] = sessions.rows.map((s) => {
      const r: SessionReport = {
        id: s.id,
        platforms: [s.platform],
        startedAt: s.startedAt.toISOString(),
        endedAt: s.endedAt.toISOString(),
        initiator: s.nId ? { kind: s.nKind!, id: s.nId, name: s.nName! } : null,
        identity: s.iId ? { kind: s.iKind!, id: s.iId, name: s.iName! } : null,
        credential: s.cId ? { id: s.cId, kind: s.cKind!, externalId: s.cExt! } : null,
        actions: [],
        objectsChanged: [],
        events: [],
        links: [],
      };
      byId.set(s.id, r);
      return r;
    });
    const seenAction = new Map<string, Set<string>>();
    const seenObject = new Map<string, Set<string>>();
    for (const e of events.rows) {
      const s = byId.get(e.sessionId);
      if (!s) continue;
      s.events.push({ source: { file: e.fileName, index: Number(e.position) }, nativeId: e.nativeId });
      const actions = seenAction.get(s.id) ?? new Set<string>();
      seenAction.set(s.id, actions);
      if (!actions.has(e.eventName)) {
        actions.add(e.eventName);
        s.actions.push(e.eventName);
      }
      if (e.status === "failure" || NON_CHANGING_ACTIVITIES.has(e.activity)) continue;
      const objects = seenObject.get(s.id) ?? new Set<string>();
      seenObject.set(s.id, objects);
      for (const res of e.resources ?? []) {
        const id = res.id ?? res.name;
        if (!id || !isChangedObject(res)) continue;
        const k = `${res.type}\u0000${id}`;
        if (objects.has(k)) continue;
        objects.add(k);
        s.objectsChanged.push({ type: res.type, id });
      }
    }
    for (const l of links.rows) byId.get(l.from)?.links.push({ to: l.to, kind: l.kind, rule: l.rule, confidence: l.confidence });
    const creds = await client.query<CredentialReport>(
      `SELECT id, kind::text AS kind, platform, "externalId", "parentId" FROM credential WHERE "tenantId" = $1 ORDER BY platform, "externalId", id`,
      [DEFAULT_TENANT],
    );
    return { sessions: out, credentials: creds.rows };
  } finally {
    client.release();
  }
}
