import { z } from "zod";
import { pageResult } from "@/lib/list-result";

// The shapes the Sessions, Identities and Lineage views read (lib/sessions/*, GET /api/v1/sessions|identities|lineage).
// Query parameter schemas live here too, so that the route handlers, the pages and the tests parse the same way.
// Answers are zod schemas with their types inferred from them: the route contracts (<verb>-<noun>.types.ts), the
// client's fetchers and the OpenAPI description read the same schema the lib functions are typed by. No server
// imports here: client components import this module.

export const IDENTITY_KINDS = [
  "human",
  "service_account",
  "oauth_app",
  "api_token",
  "bot",
  "ai_agent",
  "workload",
  "system",
  "unknown",
] as const;
const RISK_LEVELS = ["low", "medium", "high", "critical"] as const;
const SESSION_SORTS = ["start", "end", "events", "identity", "platform"] as const;

export type IdentityKind = (typeof IDENTITY_KINDS)[number];
export type SessionSort = (typeof SESSION_SORTS)[number];

const optText = z
  .string()
  .trim()
  .max(200)
  .optional()
  .transform((v) => (v ? v : undefined));
const optDate = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return undefined;
    const d = new Date(v);
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: "custom", message: "not a date (use ISO 8601, e.g. 2025-03-04 or 2025-03-04T13:15:00Z)" });
      return z.NEVER;
    }
    return d;
  });
const optUuid = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined))
  .pipe(z.guid({ message: "not an id" }).optional());

/** GET /api/v1/sessions and the Sessions page's URL. */
export const sessionsQuery = z
  .object({
    from: optDate,
    to: optDate,
    platform: optText,
    kind: z.enum(IDENTITY_KINDS).optional(),
    identityId: optUuid,
    risk: z.enum([...RISK_LEVELS, "none"]).optional(),
    q: optText,
    sort: z.enum(SESSION_SORTS).default("start"),
    dir: z.enum(["asc", "desc"]).default("desc"),
    offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: "from is after to", path: ["to"] });
export type SessionsQuery = z.infer<typeof sessionsQuery>;

const isoTime = z.string();
const count = z.number().int().min(0);

export const identityRef = z.object({ id: z.string(), kind: z.enum(IDENTITY_KINDS), name: z.string(), email: z.string().nullable() });
export type IdentityRef = z.infer<typeof identityRef>;

/** What the list and the session page both show of a session. */
const sessionSummary = z.object({
  id: z.string(),
  platform: z.string(),
  sessionKey: z.string(),
  keyType: z.string(),
  rule: z.string(),
  confidence: z.number(),
  startedAt: isoTime,
  endedAt: isoTime,
  eventCount: count,
  srcIps: z.array(z.string()),
  riskLevel: z.string().nullable(),
  riskScore: z.number(),
  identity: identityRef.nullable(),
  initiator: identityRef.nullable(),
  /** One sentence written from the session's evidence (lib/sessions/session-headline.ts): who did what to which objects, from where, with which client. */
  headline: z.string(),
});

export const sessionListItem = sessionSummary.extend({
  /** The first actions of the session (platform event names), from the correlation digest. */
  actions: z.array(z.string()),
  objects: z.array(z.object({ type: z.string(), id: z.string() })),
  links: count,
});
export type SessionListItem = z.infer<typeof sessionListItem>;

/** One page of a counted list (lib/list-result.ts pageResult). */
export type Page<T> = { items: T[]; total: number; offset: number; limit: number };
export const sessionsPage = pageResult(sessionListItem);

/** GET /api/v1/sessions/{id}: which slice of the session's events to return. */
export const sessionDetailQuery = z.object({
  eventsOffset: z.coerce.number().int().min(0).default(0),
  eventsLimit: z.coerce.number().int().min(1).max(5000).default(1000),
});

const proofStatus = z.discriminatedUnion("status", [
  z.object({
    status: z.literal("included"),
    checkpointId: z.string(),
    treeSize: count,
    leafIndex: count,
    checkpointAt: isoTime,
    text: z.string(),
  }),
  z.object({ status: z.literal("pending"), leafIndex: count, text: z.string() }),
  z.object({ status: z.literal("purged"), leafIndex: count, purgedAt: isoTime, checkpointId: z.string().nullable(), text: z.string() }),
  z.object({ status: z.literal("missing"), text: z.string() }),
]);
export type ProofStatus = z.infer<typeof proofStatus>;

/**
 * How much of each raw record the session page and API carry: a record can be tens of megabytes (a 60 MB record
 * made a 126 MB page), so a longer one is cut and downloaded whole from GET /api/v1/events/{id}/raw.
 */
export const RAW_PREVIEW_BYTES = 64 * 1024;

const sessionEvent = z.object({
  id: z.string(),
  time: isoTime,
  platform: z.string(),
  eventName: z.string(),
  activity: z.string(),
  status: z.string().nullable(),
  privileged: z.boolean(),
  actorName: z.string().nullable(),
  srcIp: z.string().nullable(),
  /** The OAuth client / connected app: its name, else its id (normalized client.app_name / app_id). */
  client: z.string().nullable(),
  userAgent: z.string().nullable(),
  target: z.string().nullable(),
  /** The normalized event exactly as stored in event.data. */
  normalized: z.unknown(),
  raw: z.object({
    id: z.string(),
    fileName: z.string(),
    /** 0-based position of the record in its file (line / array element / CSV data row). */
    position: count,
    leafIndex: count,
    /** The stored payload bytes as UTF-8 text, at most RAW_PREVIEW_BYTES of them; null once retention purged it. */
    payload: z.string().nullable(),
    /** The whole payload's size in bytes (null once purged). */
    payloadBytes: count.nullable(),
    /** The payload is longer than what `payload` holds: the whole record is at GET /api/v1/events/{id}/raw. */
    truncated: z.boolean(),
    /** The CSV header row of the record's batch, for CSV records. */
    header: z.string().nullable(),
    receivedAt: isoTime,
  }),
  proof: proofStatus,
});
export type SessionEvent = z.infer<typeof sessionEvent>;

const credentialLink = z.object({
  id: z.string(),
  kind: z.string(),
  platform: z.string(),
  externalId: z.string(),
  /** Why this credential has its parent (the rule that proved the edge); null for the chain's root. */
  parentRule: z.string().nullable(),
  firstSeenAt: isoTime.nullable(),
  lastUsedAt: isoTime.nullable(),
});
export type CredentialLink = z.infer<typeof credentialLink>;

const linkedSession = z.object({
  /** outgoing: this session led to the other; incoming: the other led to this one. */
  direction: z.enum(["outgoing", "incoming"]),
  kind: z.string(),
  rule: z.string(),
  matchedFields: z.record(z.string(), z.unknown()),
  confidence: z.number(),
  session: z.object({
    id: z.string(),
    platform: z.string(),
    sessionKey: z.string(),
    startedAt: isoTime,
    endedAt: isoTime,
    eventCount: count,
    identity: identityRef.nullable(),
  }),
});
export type LinkedSession = z.infer<typeof linkedSession>;

const timelineEvent = z.object({
  id: z.string(),
  sessionId: z.string(),
  time: isoTime,
  platform: z.string(),
  eventName: z.string(),
  status: z.string().nullable(),
});
export type TimelineEvent = z.infer<typeof timelineEvent>;

export const sessionDetail = sessionSummary.extend({
  initiatorRule: z.string().nullable(),
  /** The four answers in plain words, each with the facts behind it. */
  answers: z.object({ initiator: z.string(), identity: z.string(), actions: z.string(), objects: z.string() }),
  actions: z.array(z.object({ name: z.string(), count, failures: count })),
  objectsChanged: z.array(z.object({ type: z.string(), id: z.string(), name: z.string().nullable() })),
  /** The session's credential and its chain up to the root (credential first, root last). */
  credentialChain: z.array(credentialLink),
  links: z.array(linkedSession),
  events: z.array(sessionEvent),
  eventsOffset: count,
  /** Events of the linked sessions, for their lanes on the timeline (at most LINKED_EVENTS_LIMIT). */
  linkedEvents: z.array(timelineEvent),
  linkedEventsTruncated: z.boolean(),
});
export type SessionDetail = z.infer<typeof sessionDetail>;

/** GET /api/v1/identities */
export const identitiesQuery = z.object({
  q: optText,
  kind: z.enum(IDENTITY_KINDS).optional(),
  platform: optText,
  sort: z.enum(["name", "kind", "sessions", "lastSeen"]).default("lastSeen"),
  dir: z.enum(["asc", "desc"]).default("desc"),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type IdentitiesQuery = z.infer<typeof identitiesQuery>;

export const identityListItem = z.object({
  id: z.string(),
  kind: z.enum(IDENTITY_KINDS),
  displayName: z.string(),
  primaryEmail: z.string().nullable(),
  platforms: z.array(z.string()),
  aliases: count,
  sessions: count,
  firstSeenAt: isoTime.nullable(),
  lastSeenAt: isoTime.nullable(),
});
export type IdentityListItem = z.infer<typeof identityListItem>;
export const identitiesPage = pageResult(identityListItem);

export const identityDetail = identityListItem.extend({
  owner: identityRef.nullable(),
  owned: z.array(identityRef),
  aliasList: z.array(
    z.object({
      platform: z.string(),
      aliasType: z.string(),
      externalId: z.string(),
      rule: z.string().nullable(),
      evidence: z.record(z.string(), z.unknown()).nullable(),
    }),
  ),
  sessionsByPlatform: z.array(z.object({ platform: z.string(), sessions: count, events: count, firstAt: isoTime, lastAt: isoTime })),
  /** The most recent sessions (at most 500; `sessions` is the total). */
  recentSessions: z.array(
    z.object({
      id: z.string(),
      platform: z.string(),
      startedAt: isoTime,
      endedAt: isoTime,
      eventCount: count,
      actions: z.array(z.string()),
      links: count,
    }),
  ),
  credentials: z.array(credentialLink.extend({ parentId: z.string().nullable(), sessions: count })),
});
export type IdentityDetail = z.infer<typeof identityDetail>;

export const LINEAGE_NODE_TYPES = ["identity", "credential", "session", "action"] as const;
/** Hops a lineage walk may take: enough for any real refresh / delegation / role chain, bounded so a cycle-free but
 * pathological chain cannot keep a request busy. */
export const LINEAGE_MAX_DEPTH = 64;
/** Node types to leave out of a lineage graph, as a list or as the URL's comma-separated string. */
export const lineageHide = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (typeof v === "string" ? v.split(",") : (v ?? [])).map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(z.enum(LINEAGE_NODE_TYPES)).max(LINEAGE_NODE_TYPES.length));

/** GET /api/v1/lineage */
export const lineageQuery = z
  .object({
    credentialId: optUuid,
    identityId: optUuid,
    depth: z.coerce.number().int().min(1).max(LINEAGE_MAX_DEPTH).default(12),
    limit: z.coerce.number().int().min(1).max(5000).default(2000),
    /** Node types the analyst filtered out: "session,action" in the URL. */
    hide: lineageHide,
  })
  .refine((v) => Boolean(v.credentialId) !== Boolean(v.identityId), {
    message: "give exactly one of credentialId or identityId",
    path: ["credentialId"],
  });

export type LineageNodeType = (typeof LINEAGE_NODE_TYPES)[number];
const LINEAGE_EDGE_TYPES = ["holds", "parent_of", "used_by", "session_of", "linked_to", "performed"] as const;
export type LineageEdgeType = (typeof LINEAGE_EDGE_TYPES)[number];
const lineageRootRef = z.object({ type: z.enum(["identity", "credential"]), id: z.string() });

const lineageNode = z.object({
  id: z.string(),
  type: z.enum(LINEAGE_NODE_TYPES),
  label: z.string(),
  /** identity kind, credential kind, the session's key type, or "action" */
  kind: z.string(),
  platform: z.string().nullable(),
  /** Hops from the start node. */
  depth: count,
  time: isoTime.nullable(),
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
});
export type LineageNode = z.infer<typeof lineageNode>;
const lineageEdge = z.object({
  id: z.string(),
  source: z.string(),
  target: z.string(),
  type: z.enum(LINEAGE_EDGE_TYPES),
  rule: z.string(),
  confidence: z.number(),
});
export type LineageEdge = z.infer<typeof lineageEdge>;
export const lineageGraph = z.object({
  root: lineageRootRef,
  nodes: z.array(lineageNode),
  edges: z.array(lineageEdge),
  depth: count,
  limit: count,
  /** Node types left out (the analyst's filters). */
  hide: z.array(z.enum(LINEAGE_NODE_TYPES)),
  /** True when the node limit stopped the walk; nodes past it are not shown. */
  truncated: z.boolean(),
  /** Nodes on the last hop that were not expanded (the graph may continue past `depth`). */
  unexpanded: count,
});
export type LineageGraph = z.infer<typeof lineageGraph>;

export const lineageRootsQuery = z.object({
  q: z.string().trim().min(1).max(200),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export const lineageRoot = lineageRootRef.extend({
  label: z.string(),
  kind: z.string(),
  platform: z.string().nullable(),
  detail: z.string().nullable(),
});
export type LineageRoot = z.infer<typeof lineageRoot>;
