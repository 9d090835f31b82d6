import { pool } from "@/lib/db";
import type { LineageEdge, LineageEdgeType, LineageGraph, LineageNode, LineageNodeType } from "./types";
import { kindLabel, platformLabel } from "./words";
import { DEFAULT_TENANT } from "@/lib/context/request-context";

// The lineage graph around one credential or one identity: nodes are identities, credentials, sessions and the
// actions done in them; edges are only those the correlation proved, each with its rule:
//   holds       identity -> credential   the credential's events were made by that identity (credential.identityId)
//   parent_of   credential -> credential the child was minted with / declared under the parent (credential.parentRule):
//                                        refresh, delegation, AssumeRole chains, to any depth the `depth` allows
//   used_by     credential -> session    the session ran on that credential (session.credentialId)
//   session_of  identity -> session      a session with no credential, run by that identity
//   linked_to   session -> session       a cross-session link (session_link: its rule and confidence)
//   performed   session -> action        an action the session's events did (the session digest that the correlation
//                                        stores from its events: lib/correlation/session-digest.ts)
// The walk is breadth-first over hops, one set-based query per node type per hop (never one per node), up to
// `depth` hops and `limit` nodes (`truncated` says when the limit cut it). From a credential it walks up the parent
// chain and down to every descendant; from an identity it expands the identity's credentials and everything they
// lead to. Identities other than the start are shown (who holds a credential, who ran a session) but not expanded:
// expanding a person would pull in everything they ever did, which is the identity view's job, not this chain's.
// `hide` drops node types (and their edges) from the result, as the analyst's filters on the Lineage page do; a
// case snapshot keeps the same filters. Hidden actions are not even read.

type Input = {
  credentialId?: string;
  identityId?: string;
  depth?: number;
  limit?: number;
  hide?: LineageNodeType[];
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type CredRow = {
  id: string;
  kind: string;
  platform: string;
  externalId: string;
  identityId: string | null;
  parentId: string | null;
  parentRule: string | null;
  firstSeenAt: Date | null;
  lastUsedAt: Date | null;
};
type SessRow = {
  id: string;
  platform: string;
  sessionKey: string;
  keyType: string;
  rule: string;
  confidence: number;
  identityId: string | null;
  credentialId: string | null;
  startedAt: Date;
  endedAt: Date;
  eventCount: number;
  identityName: string | null;
};
type IdRow = { id: string; kind: string; displayName: string; primaryEmail: string | null; lastSeenAt: Date | null };
type LinkRow = { from: string; to: string; kind: string; rule: string; confidence: number };
type ActionRow = { sessionId: string; action: string; ord: string };

const CRED_COLS = `c.id, c.kind::text AS kind, c.platform, c."externalId", c."identityId", c."parentId", c."parentRule", c."firstSeenAt", c."lastUsedAt"`;
const SESS_FROM = `SELECT s.id, s.platform, s."sessionKey", s."keyType", s.rule, s.confidence, s."identityId", s."credentialId", s."startedAt",
  s."endedAt", s."eventCount", si."displayName" AS "identityName" FROM session s LEFT JOIN identity si ON si.id = s."identityId"`;
const ID_COLS = `i.id, i.kind::text AS kind, i."displayName", i."primaryEmail", i."lastSeenAt"`;

const short = (s: string, n = 24) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export async function getLineage({ credentialId, identityId, depth = 12, limit = 2000, hide = [] }: Input): Promise<LineageGraph | null> {
  const rootId = credentialId ?? identityId;
  if (!rootId || !UUID.test(rootId)) return null;
  const c = pool();
  const q = async <T extends object>(sql: string, params: unknown[]) => (await c.query<T>(sql, params)).rows;
  const nodes = new Map<string, LineageNode>();
  const edges = new Map<string, LineageEdge>();
  // What later hops need of the credentials and sessions in view (their parent, holder, credential), kept small.
  const credOf = new Map<string, { parentId: string | null; parentRule: string | null; identityId: string | null }>();
  const sessOf = new Map<string, { identityId: string | null; credentialId: string | null; rule: string; confidence: number }>();
  const skipActions = hide.includes("action");
  let truncated = false;

  let next = { credential: [] as string[], session: [] as string[] };
  let hop = 0;

  const add = (n: LineageNode): boolean => {
    if (nodes.has(n.id)) return true;
    if (nodes.size >= limit) {
      truncated = true;
      return false;
    }
    nodes.set(n.id, n);
    if (n.type === "credential" || n.type === "session") next[n.type].push(n.id);
    return true;
  };
  const addCred = (r: CredRow) => {
    credOf.set(r.id, { parentId: r.parentId, parentRule: r.parentRule, identityId: r.identityId });
    return add({
      id: r.id,
      type: "credential",
      label: `${kindLabel(r.kind)} ${short(r.externalId)}`,
      kind: r.kind,
      platform: r.platform,
      depth: hop,
      time: r.firstSeenAt?.toISOString() ?? null,
      detail: {
        externalId: r.externalId,
        firstSeenAt: r.firstSeenAt?.toISOString() ?? null,
        lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
        parentRule: r.parentRule,
      },
    });
  };
  const addSess = (r: SessRow) => {
    sessOf.set(r.id, { identityId: r.identityId, credentialId: r.credentialId, rule: r.rule, confidence: r.confidence });
    return add({
      id: r.id,
      type: "session",
      label: `${platformLabel(r.platform)} session ${r.startedAt.toISOString().slice(0, 16).replace("T", " ")}`,
      kind: r.keyType,
      platform: r.platform,
      depth: hop,
      time: r.startedAt.toISOString(),
      detail: {
        sessionKey: r.sessionKey,
        rule: r.rule,
        confidence: r.confidence,
        events: r.eventCount,
        startedAt: r.startedAt.toISOString(),
        endedAt: r.endedAt.toISOString(),
        identity: r.identityName,
      },
    });
  };
  const addId = (r: IdRow) =>
    add({
      id: r.id,
      type: "identity",
      label: r.displayName,
      kind: r.kind,
      platform: null,
      depth: hop,
      time: r.lastSeenAt?.toISOString() ?? null,
      detail: { kind: kindLabel(r.kind), email: r.primaryEmail, lastSeenAt: r.lastSeenAt?.toISOString() ?? null },
    });
  const edge = (source: string, target: string, type: LineageEdgeType, rule: string, confidence = 1) => {
    if (!nodes.has(source) || !nodes.has(target)) return;
    const id = `${type}:${source}:${target}`;
    if (!edges.has(id)) edges.set(id, { id, source, target, type, rule, confidence });
  };
  const credEdges = (id: string) => {
    const m = credOf.get(id);
    if (!m) return;
    if (m.parentId) edge(m.parentId, id, "parent_of", m.parentRule ?? "parent");
    if (m.identityId) edge(m.identityId, id, "holds", "credential_events_by_identity");
  };
  const sessEdges = (id: string) => {
    const m = sessOf.get(id);
    if (!m) return;
    if (m.credentialId) edge(m.credentialId, id, "used_by", "session_ran_on_credential", m.confidence);
    else if (m.identityId) edge(m.identityId, id, "session_of", m.rule, m.confidence);
  };
  const missing = (ids: Iterable<string | null>) => [...new Set([...ids].filter((x): x is string => Boolean(x) && !nodes.has(x!)))];

  // Rows beyond what the limit can still take are not fetched; a full batch means more may exist.
  const cap = () => Math.max(limit - nodes.size, 0) + 1;
  const capped = <T>(rows: T[], n: number) => {
    if (rows.length >= n) truncated = true;
    return rows;
  };

  // The start node, and for an identity its own first hop (its credentials and its credential-less sessions).
  if (credentialId) {
    const r = (
      await q<CredRow>(`SELECT ${CRED_COLS} FROM credential c WHERE c.id = $1 AND c."tenantId" = $2`, [credentialId, DEFAULT_TENANT])
    )[0];
    if (!r) return null;
    addCred(r);
  } else {
    const r = (await q<IdRow>(`SELECT ${ID_COLS} FROM identity i WHERE i.id = $1 AND i."tenantId" = $2`, [identityId, DEFAULT_TENANT]))[0];
    if (!r) return null;
    addId(r);
    if (depth >= 1) {
      hop = 1;
      let n = cap();
      for (const r of capped(
        await q<CredRow>(`SELECT ${CRED_COLS} FROM credential c WHERE c."identityId" = $1 ORDER BY c."firstSeenAt", c.id LIMIT ${n}`, [
          identityId,
        ]),
        n,
      )) {
        if (addCred(r)) credEdges(r.id);
      }
      n = cap();
      const own = capped(
        await q<SessRow>(`${SESS_FROM} WHERE s."identityId" = $1 AND s."credentialId" IS NULL ORDER BY s."startedAt", s.id LIMIT ${n}`, [
          identityId,
        ]),
        n,
      );
      for (const r of own) if (addSess(r)) sessEdges(r.id);
    }
  }

  while (hop < depth && !truncated) {
    const frontier = next;
    next = { credential: [], session: [] };
    if (!frontier.credential.length && !frontier.session.length) break;
    hop++;

    if (frontier.credential.length) {
      const ids = frontier.credential;
      // Up the chain (where the credential came from) and down it (what was minted from it).
      const parentIds = missing(ids.map((id) => credOf.get(id)?.parentId ?? null));
      if (parentIds.length)
        for (const r of await q<CredRow>(`SELECT ${CRED_COLS} FROM credential c WHERE c.id = ANY($1::uuid[])`, [parentIds])) addCred(r);
      let n = cap();
      const children = capped(
        await q<CredRow>(
          `SELECT ${CRED_COLS} FROM credential c WHERE c."parentId" = ANY($1::uuid[]) ORDER BY c."firstSeenAt", c.id LIMIT ${n}`,
          [ids],
        ),
        n,
      );
      for (const r of children) addCred(r);
      n = cap();
      const sess = capped(
        await q<SessRow>(`${SESS_FROM} WHERE s."credentialId" = ANY($1::uuid[]) ORDER BY s."startedAt", s.id LIMIT ${n}`, [ids]),
        n,
      );
      for (const r of sess) addSess(r);
      // Holders of the credentials in view (shown, not expanded).
      const holderIds = missing([...ids, ...children.map((r) => r.id)].map((id) => credOf.get(id)?.identityId ?? null));
      if (holderIds.length)
        for (const r of await q<IdRow>(`SELECT ${ID_COLS} FROM identity i WHERE i.id = ANY($1::uuid[])`, [holderIds])) addId(r);
      for (const id of ids) credEdges(id);
      for (const r of children) credEdges(r.id);
      for (const id of parentIds) credEdges(id);
      for (const r of sess) sessEdges(r.id);
    }

    if (frontier.session.length) {
      const ids = frontier.session;
      const n = cap();
      const links = capped(
        await q<LinkRow>(
          `SELECT "fromSessionId" AS from, "toSessionId" AS to, kind, rule, confidence FROM session_link
            WHERE "fromSessionId" = ANY($1::uuid[]) OR "toSessionId" = ANY($1::uuid[]) ORDER BY "createdAt", id LIMIT ${n}`,
          [ids],
        ),
        n,
      );
      const others = missing(links.flatMap((l) => [l.from, l.to]));
      if (others.length)
        for (const r of await q<SessRow>(`${SESS_FROM} WHERE s.id = ANY($1::uuid[]) ORDER BY s."startedAt", s.id`, [others])) addSess(r);
      for (const l of links) edge(l.from, l.to, "linked_to", `${l.kind}: ${l.rule}`, l.confidence);
      // The sessions' own credentials (walking back from a linked session to the chain it ran on) and, for
      // sessions without one, the identity that ran them.
      const credIds = missing(ids.map((id) => sessOf.get(id)?.credentialId ?? null));
      if (credIds.length)
        for (const r of await q<CredRow>(`SELECT ${CRED_COLS} FROM credential c WHERE c.id = ANY($1::uuid[])`, [credIds])) addCred(r);
      const idIds = missing(ids.map((id) => (sessOf.get(id)?.credentialId ? null : (sessOf.get(id)?.identityId ?? null))));
      if (idIds.length) for (const r of await q<IdRow>(`SELECT ${ID_COLS} FROM identity i WHERE i.id = ANY($1::uuid[])`, [idIds])) addId(r);
      for (const id of ids) sessEdges(id);
      for (const id of credIds) credEdges(id);
      // What each session did: the distinct actions of its digest, in the order they first happened.
      if (!skipActions && !truncated) {
        const m = cap();
        const actions = capped(
          await q<ActionRow>(
            `SELECT s.id AS "sessionId", a.action, a.ord FROM session s
               CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN jsonb_typeof(s.summary -> 'actions') = 'array' THEN s.summary -> 'actions' ELSE '[]'::jsonb END)
                 WITH ORDINALITY AS a(action, ord)
              WHERE s.id = ANY($1::uuid[]) ORDER BY s."startedAt", s.id, a.ord LIMIT ${m}`,
            [ids],
          ),
          m,
        );
        for (const a of actions) {
          const id = `action:${a.sessionId}:${a.action}`;
          const s = nodes.get(a.sessionId);
          const ok = add({
            id,
            type: "action",
            label: short(a.action, 40),
            kind: "action",
            platform: s?.platform ?? null,
            depth: hop,
            time: null,
            detail: { action: a.action, session: s?.label ?? null, order: Number(a.ord) },
          });
          if (ok) edge(a.sessionId, id, "performed", "session_digest_action");
        }
      }
    }
  }

  const hidden = new Set(hide);
  const outNodes = hidden.size ? [...nodes.values()].filter((n) => !hidden.has(n.type)) : [...nodes.values()];
  const outEdges = hidden.size
    ? [...edges.values()].filter((e) => !hidden.has(nodes.get(e.source)!.type) && !hidden.has(nodes.get(e.target)!.type))
    : [...edges.values()];
  return {
    root: credentialId ? { type: "credential", id: credentialId } : { type: "identity", id: identityId! },
    nodes: outNodes,
    edges: outEdges,
    depth,
    limit,
    hide: [...hidden],
    truncated,
    // Nodes reached on the last hop, not expanded: the graph may go on past the depth.
    unexpanded: next.credential.length + next.session.length,
  };
}
