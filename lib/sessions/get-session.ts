import { pool } from "@/lib/db";
import { getInclusionProofs } from "@/lib/ledger/get-inclusion-proofs";
import type { InclusionProofResult } from "@/lib/ledger/inclusion-proof";
import { sessionHeadlines } from "./headline-facts";
import { answerSessions } from "./session-answers";
import { identityRef } from "./sql";
import {
  RAW_PREVIEW_BYTES,
  type LinkedSession,
  type ProofStatus,
  type SessionDetail,
  type SessionEvent,
  type TimelineEvent,
} from "./types";

// One session as an auditable transaction: the four answers in plain words (who initiated it, which identity or
// NHI, what was done, which business objects changed: session-answers.ts), the credential with its lineage chain, the linked sessions
// with the rule, matched fields and confidence of each link, and its events in time order, each with the
// normalized event, the raw record exactly as stored (payload bytes as UTF-8 text), its file and position, and
// whether the ledger can prove it (included in checkpoint N / not yet checkpointed / purged).
// Answers and action/object lists are computed over all of the session's events; the events themselves come
// one slice at a time (eventsOffset / eventsLimit), since a long-lived token session can hold many thousands.
// Returns null when there is no such session (the caller answers "not found").

const LINKED_EVENTS_LIMIT = 5000;

type Input = { id: string; eventsOffset?: number; eventsLimit?: number };

export async function getSession({ id, eventsOffset = 0, eventsLimit = 1000 }: Input): Promise<SessionDetail | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  const c = pool();
  const [[answered], links, events] = await Promise.all([
    answerSessions({ ids: [id] }),
    linkedSessions(id),
    sessionEvents(id, eventsOffset, eventsLimit),
  ]);
  if (!answered) return null;
  // The headline reuses the answers' actions and objects rather than reading every event for them again.
  const headlines = await sessionHeadlines({
    ids: [id],
    known: new Map([
      [id, { actions: [...answered.actions].sort((a, b) => b.count - a.count), objectsChanged: answered.objectsChanged.slice(0, 6) }],
    ]),
  });
  const s = answered.row;

  const linkedIds = [...new Set(links.map((l) => l.session.id))];
  const linked = linkedIds.length
    ? await c.query<{ id: string; sessionId: string; time: Date; platform: string; eventName: string; status: string | null }>(
        `SELECT id::text AS id, "sessionId", time, platform, COALESCE("eventName", data->>'event_name') AS "eventName", status
           FROM event WHERE "sessionId" = ANY($1::uuid[]) ORDER BY time, id LIMIT ${LINKED_EVENTS_LIMIT + 1}`,
        [linkedIds],
      )
    : { rows: [] };
  const linkedEvents: TimelineEvent[] = linked.rows.slice(0, LINKED_EVENTS_LIMIT).map((e) => ({
    id: e.id,
    sessionId: e.sessionId,
    time: e.time.toISOString(),
    platform: e.platform,
    eventName: e.eventName,
    status: e.status,
  }));

  return {
    id: s.id,
    platform: s.platform,
    sessionKey: s.sessionKey,
    keyType: s.keyType,
    rule: s.rule,
    confidence: s.confidence,
    startedAt: s.startedAt.toISOString(),
    endedAt: s.endedAt.toISOString(),
    eventCount: s.eventCount,
    srcIps: s.srcIps,
    riskLevel: s.riskLevel,
    riskScore: s.riskScore,
    identity: answered.identity,
    initiator: answered.initiator,
    headline: headlines.get(id) ?? "",
    initiatorRule: answered.initiatorRule,
    answers: answered.answers,
    actions: answered.actions,
    objectsChanged: answered.objectsChanged,
    credentialChain: answered.credentialChain,
    links,
    events,
    eventsOffset,
    linkedEvents,
    linkedEventsTruncated: linked.rows.length > LINKED_EVENTS_LIMIT,
  };
}

async function linkedSessions(id: string): Promise<LinkedSession[]> {
  const r = await pool().query<{
    direction: "outgoing" | "incoming";
    kind: string;
    rule: string;
    matchedFields: Record<string, unknown>;
    confidence: number;
    oId: string;
    platform: string;
    sessionKey: string;
    startedAt: Date;
    endedAt: Date;
    eventCount: number;
    iId: string | null;
    iKind: string | null;
    iName: string | null;
    iEmail: string | null;
  }>(
    `SELECT l.direction, l.kind, l.rule, l."matchedFields", l.confidence, o.id AS "oId", o.platform, o."sessionKey", o."startedAt", o."endedAt",
            o."eventCount", i.id AS "iId", i.kind::text AS "iKind", i."displayName" AS "iName", i."primaryEmail" AS "iEmail"
       FROM (SELECT 'outgoing' AS direction, kind, rule, "matchedFields", confidence, "toSessionId" AS other FROM session_link WHERE "fromSessionId" = $1
             UNION ALL
             SELECT 'incoming', kind, rule, "matchedFields", confidence, "fromSessionId" FROM session_link WHERE "toSessionId" = $1) l
       JOIN session o ON o.id = l.other
       LEFT JOIN identity i ON i.id = o."identityId"
      ORDER BY o."startedAt", o.id, l.kind`,
    [id],
  );
  return r.rows.map((l) => ({
    direction: l.direction,
    kind: l.kind,
    rule: l.rule,
    matchedFields: l.matchedFields,
    confidence: l.confidence,
    session: {
      id: l.oId,
      platform: l.platform,
      sessionKey: l.sessionKey,
      startedAt: l.startedAt.toISOString(),
      endedAt: l.endedAt.toISOString(),
      eventCount: l.eventCount,
      identity: identityRef(l.iId, l.iKind, l.iName, l.iEmail),
    },
  }));
}

async function sessionEvents(id: string, offset: number, limit: number): Promise<SessionEvent[]> {
  const r = await pool().query<{
    id: string;
    time: Date;
    platform: string;
    eventName: string;
    activity: string;
    status: string | null;
    privileged: boolean;
    actorName: string | null;
    srcIp: string | null;
    client: string | null;
    userAgent: string | null;
    target: string | null;
    data: unknown;
    rawId: string;
    fileName: string;
    position: string;
    leafIndex: string;
    payload: Buffer | null;
    payloadBytes: number | null;
    purgedAt: Date | null;
    receivedAt: Date;
    header: string | null;
  }>(
    `SELECT e.id::text AS id, e.time, e.platform, COALESCE(e."eventName", e.data->>'event_name') AS "eventName", e.activity, e.status, e.privileged, e."actorName",
            e."srcIp", coalesce(e.data->'client'->>'app_name', e.data->'client'->>'app_id') AS client, e."userAgent",
            coalesce(e."targetName", e."targetId") AS target, e.data,
            r.id::text AS "rawId", r."fileName", r.position::text AS position, r."leafIndex"::text AS "leafIndex",
            substring(r.payload FROM 1 FOR ${RAW_PREVIEW_BYTES}) AS payload, length(r.payload) AS "payloadBytes", r."purgedAt",
            r."receivedAt", b.header
       FROM event e
       JOIN raw_record r ON r.id = e."rawRecordId"
       LEFT JOIN ingest_batch b ON b.id = r."batchId"
      WHERE e."sessionId" = $1
      ORDER BY e.time, e.id
      OFFSET ${Number(offset)} LIMIT ${Number(limit)}`,
    [id],
  );
  let proofs: Map<string, InclusionProofResult> | Error;
  try {
    const list = await getInclusionProofs({ rawRecordIds: [...new Set(r.rows.map((e) => e.rawId))] });
    proofs = new Map(list.map((p) => [p.rawRecordId, p]));
  } catch (err) {
    // A ledger that no longer matches its checkpoint: say so on every event rather than hide the session.
    proofs = err as Error;
  }
  return r.rows.map((e) => ({
    id: e.id,
    time: e.time.toISOString(),
    platform: e.platform,
    eventName: e.eventName,
    activity: e.activity,
    status: e.status,
    privileged: e.privileged,
    actorName: e.actorName,
    srcIp: e.srcIp,
    client: e.client,
    userAgent: e.userAgent,
    target: e.target,
    normalized: e.data,
    raw: {
      id: e.rawId,
      fileName: e.fileName,
      position: Number(e.position),
      leafIndex: Number(e.leafIndex),
      payload: e.payload ? e.payload.toString("utf8") : null,
      payloadBytes: e.payloadBytes,
      truncated: e.payloadBytes !== null && e.payloadBytes > RAW_PREVIEW_BYTES,
      header: e.header,
      receivedAt: e.receivedAt.toISOString(),
    },
    proof: proofStatus(proofs instanceof Error ? proofs : proofs.get(e.rawId), e.purgedAt, Number(e.leafIndex)),
  }));
}

function proofStatus(p: InclusionProofResult | Error | undefined, purgedAt: Date | null, leafIndex: number): ProofStatus {
  if (p instanceof Error) return { status: "missing", text: `No proof can be given: ${p.message}` };
  if (!p || p.status === "not-found") return { status: "missing", text: "The raw record is missing from the ledger." };
  const checkpointId = p.status === "proved" ? p.proof.checkpoint.id : null;
  if (purgedAt) {
    return {
      status: "purged",
      leafIndex,
      purgedAt: purgedAt.toISOString(),
      checkpointId,
      text:
        `Purged by retention on ${purgedAt.toISOString()}: the payload is gone, its leaf hash (leaf ${leafIndex}) stays` +
        (checkpointId ? ` and is included in checkpoint ${checkpointId}.` : "."),
    };
  }
  if (p.status === "not-covered") return { status: "pending", leafIndex, text: `Not yet checkpointed: ${p.message}.` };
  const cp = p.proof.checkpoint;
  return {
    status: "included",
    checkpointId: cp.id,
    treeSize: cp.treeSize,
    leafIndex: p.proof.leafIndex,
    checkpointAt: cp.createdAt,
    text: `Included in checkpoint ${cp.id} (leaf ${p.proof.leafIndex} of ${cp.treeSize}, signed ${cp.createdAt}); the inclusion proof verifies.`,
  };
}
