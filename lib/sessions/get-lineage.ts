import { pool } from "@/lib/db";
import type { LineageEdge, LineageEdgeType, LineageGraph, LineageNode } from "./types";
import { kindLabel, platformLabel } from "./words";

// The lineage graph around one credential or one identity: nodes are identities, credentials and sessions; edges
// are only those the correlation proved, each with its rule:
//   holds       identity -> credential   the credential's events were made by that identity (credential.identityId)
//   parent_of   credential -> credential the child was minted with / declared under the parent (credential.parentRule)
//   used_by     credential -> session    the session ran on that credential (session.credentialId)
//   session_of  identity -> session      a session with no credential, run by that identity
//   linked_to   session -> session       a cross-session link (session_link: its rule and confidence)
// The walk is breadth-first, one set-based query per node type per hop, up to `depth` hops and `limit` nodes
// (`truncated` says when the limit cut it). Identities other than the start are shown (who holds a credential, who
// ran a session) but not expanded: expanding a person would pull in everything they ever did, which is the
// identity view's job, not this chain's.

type Input = { credentialId?: string; identityId?: string; depth?: number; limit?: number; tenantId?: string };

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

const CRED_COLS = `c.id, c.kind::text AS kind, c.platform, c."externalId", c."identityId", c."parentId", c."parentRule", c."firstSeenAt", c."lastUsedAt"`;
const SESS_COLS = `s.id, s.platform, s."sessionKey", s."keyType", s.rule, s.confidence, s."identityId", s."credentialId", s."startedAt", s."endedAt",
  s."eventCount", (SELECT i."displayName" FROM identity i WHERE i.id = s."identityId") AS "identityName"`;
const ID_COLS = `i.id, i.kind::text AS kind, i."displayName", i."primaryEmail", i."lastSeenAt"`;

const short = (s: string, n = 24) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export async function getLineage({ credentialId, identityId, depth = 6, limit = 2000, tenantId = "default" }: Input): Promise<LineageGraph | null> {
  const rootId = credentialId ?? identityId;
  if (!rootId || !UUID.test(rootId)) return null;
  const c = pool();
  const nodes = new Map<string, LineageNode>();
  const edges = new Map<string, LineageEdge>();
  let truncated = false;

  const frontier = { credential: [] as string[], session: [] as string[], identity: [] as string[] };
  let next = { credential: [] as string[], session: [] as string[], identity: [] as string[] };
  let hop = 0;

  const add = (n: LineageNode): boolean => {
    if (nodes.has(n.id)) return true;
    if (nodes.size >= limit) {
      truncated = true;
      return false;
    }
    nodes.set(n.id, n);
    if (n.type !== "identity") next[n.type].push(n.id);
    return true;
  };
  const addCred = (r: CredRow) =>
    add({
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
  const addSess = (r: SessRow) =>
    add({
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

  // The start node.
  if (credentialId) {
    const r = (await c.query<CredRow>(`SELECT ${CRED_COLS} FROM credential c WHERE c.id = $1 AND c."tenantId" = $2`, [credentialId, tenantId])).rows[0];
    if (!r) return null;
    addCred(r);
  } else {
    const r = (await c.query<IdRow>(`SELECT ${ID_COLS} FROM identity i WHERE i.id = $1 AND i."tenantId" = $2`, [identityId, tenantId])).rows[0];
    if (!r) return null;
    addId(r);
    next.identity.push(r.id);
  }

  // Rows beyond what the limit can still take are not fetched; a full batch means more may exist.
  const cap = () => Math.max(limit - nodes.size, 0) + 1;
  const capped = <T>(rows: T[], n: number) => {
    if (rows.length >= n) truncated = true;
    return rows;
  };

  while (hop < depth && !truncated) {
    frontier.credential = next.credential;
    frontier.session = next.session;
    frontier.identity = next.identity;
    next = { credential: [], session: [], identity: [] };
    if (!frontier.credential.length && !frontier.session.length && !frontier.identity.length) break;
    hop++;

    if (frontier.identity.length) {
      const n = cap();
      const creds = capped((await c.query<CredRow>(`SELECT ${CRED_COLS} FROM credential c WHERE c."identityId" = ANY($1::uuid[]) ORDER BY c."firstSeenAt", c.id LIMIT ${n}`, [frontier.identity])).rows, n);
      for (const r of creds) if (addCred(r)) edge(r.identityId!, r.id, "holds", "credential_events_by_identity");
      const m = cap();
      const sess = capped(
        (await c.query<SessRow>(`SELECT ${SESS_COLS} FROM session s WHERE s."identityId" = ANY($1::uuid[]) AND s."credentialId" IS NULL ORDER BY s."startedAt", s.id LIMIT ${m}`, [frontier.identity])).rows,
        m,
      );
      for (const r of sess) if (addSess(r)) edge(r.identityId!, r.id, "session_of", r.rule, r.confidence);
    }

    if (frontier.credential.length) {
      const ids = frontier.credential;
      const parents = (await c.query<CredRow>(`SELECT ${CRED_COLS} FROM credential c WHERE c.id IN (SELECT "parentId" FROM credential WHERE id = ANY($1::uuid[]))`, [ids])).rows;
      for (const r of parents) addCred(r);
      const n = cap();
      const children = capped((await c.query<CredRow>(`SELECT ${CRED_COLS} FROM credential c WHERE c."parentId" = ANY($1::uuid[]) ORDER BY c."firstSeenAt", c.id LIMIT ${n}`, [ids])).rows, n);
      for (const r of children) addCred(r);
      const m = cap();
      const sess = capped((await c.query<SessRow>(`SELECT ${SESS_COLS} FROM session s WHERE s."credentialId" = ANY($1::uuid[]) ORDER BY s."startedAt", s.id LIMIT ${m}`, [ids])).rows, m);
      for (const r of sess) addSess(r);
      // Holders of the credentials in view (shown, not expanded).
      const holders = (
        await c.query<IdRow>(`SELECT ${ID_COLS} FROM identity i WHERE i.id IN (SELECT "identityId" FROM credential WHERE id = ANY($1::uuid[]))`, [ids])
      ).rows;
      for (const r of holders) addId(r);
      const own = (await c.query<CredRow>(`SELECT ${CRED_COLS} FROM credential c WHERE c.id = ANY($1::uuid[])`, [ids])).rows;
      for (const r of [...own, ...children]) {
        if (r.parentId) edge(r.parentId, r.id, "parent_of", r.parentRule ?? "parent");
        if (r.identityId) edge(r.identityId, r.id, "holds", "credential_events_by_identity");
      }
      for (const r of sess) if (r.credentialId) edge(r.credentialId, r.id, "used_by", "session_ran_on_credential", r.confidence);
    }

    if (frontier.session.length) {
      const ids = frontier.session;
      const n = cap();
      const links = capped(
        (
          await c.query<{ from: string; to: string; kind: string; rule: string; confidence: number }>(
            `SELECT "fromSessionId" AS from, "toSessionId" AS to, kind, rule, confidence FROM session_link
              WHERE "fromSessionId" = ANY($1::uuid[]) OR "toSessionId" = ANY($1::uuid[]) ORDER BY "createdAt", id LIMIT ${n}`,
            [ids],
          )
        ).rows,
        n,
      );
      const others = [...new Set(links.flatMap((l) => [l.from, l.to]))].filter((id) => !nodes.has(id));
      if (others.length) for (const r of (await c.query<SessRow>(`SELECT ${SESS_COLS} FROM session s WHERE s.id = ANY($1::uuid[]) ORDER BY s."startedAt", s.id`, [others])).rows) addSess(r);
      for (const l of links) edge(l.from, l.to, "linked_to", `${l.kind}: ${l.rule}`, l.confidence);
      // The sessions' own credentials (walking back from a linked session to the chain it ran on) and, for
      // sessions without one, the identity that ran them.
      const own = (await c.query<SessRow>(`SELECT ${SESS_COLS} FROM session s WHERE s.id = ANY($1::uuid[])`, [ids])).rows;
      const credIds = [...new Set(own.map((s) => s.credentialId).filter((x): x is string => Boolean(x)))];
      if (credIds.length) for (const r of (await c.query<CredRow>(`SELECT ${CRED_COLS} FROM credential c WHERE c.id = ANY($1::uuid[])`, [credIds])).rows) addCred(r);
      const idIds = [...new Set(own.filter((s) => !s.credentialId && s.identityId).map((s) => s.identityId!))];
      if (idIds.length) for (const r of (await c.query<IdRow>(`SELECT ${ID_COLS} FROM identity i WHERE i.id = ANY($1::uuid[])`, [idIds])).rows) addId(r);
      for (const s of own) {
        if (s.credentialId) edge(s.credentialId, s.id, "used_by", "session_ran_on_credential", s.confidence);
        else if (s.identityId) edge(s.identityId, s.id, "session_of", s.rule, s.confidence);
      }
    }
  }
  return {
    root: credentialId ? { type: "credential", id: credentialId } : { type: "identity", id: identityId! },
    nodes: [...nodes.values()],
    edges: [...edges.values()],
    depth,
    limit,
    truncated,
    // Nodes reached on the last hop, not expanded: the graph may go on past the depth.
    unexpanded: next.credential.length + next.session.length,
  };
}
