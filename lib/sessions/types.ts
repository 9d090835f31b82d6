import { z } from "zod";

// The shapes the Sessions, Identities and Lineage views read (lib/sessions/*, GET /api/v1/sessions|identities|lineage).
// Query parameter schemas live here too, so that the route handlers, the pages and the tests parse the same way.

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

export type IdentityRef = { id: string; kind: IdentityKind; name: string; email: string | null };

export type SessionListItem = {
  id: string;
  platform: string;
  sessionKey: string;
  keyType: string;
  rule: string;
  confidence: number;
  startedAt: string;
  endedAt: string;
  eventCount: number;
  identity: IdentityRef | null;
  initiator: IdentityRef | null;
  riskLevel: string | null;
  riskScore: number;
  /** The first actions of the session (platform event names), from the correlation digest. */
  actions: string[];
  objects: { type: string; id: string }[];
  links: number;
  srcIps: string[];
};

export type Page<T> = { items: T[]; total: number; offset: number; limit: number };

/** GET /api/v1/sessions/{id}: which slice of the session's events to return. */
export const sessionDetailQuery = z.object({
  eventsOffset: z.coerce.number().int().min(0).default(0),
  eventsLimit: z.coerce.number().int().min(1).max(5000).default(1000),
});

export type ProofStatus =
  | { status: "included"; checkpointId: string; treeSize: number; leafIndex: number; checkpointAt: string; text: string }
  | { status: "pending"; leafIndex: number; text: string }
  | { status: "purged"; leafIndex: number; purgedAt: string; checkpointId: string | null; text: string }
  | { status: "missing"; text: string };

/**
 * How much of each raw record the session page and API carry: a record can be tens of megabytes (a 60 MB record
 * made a 126 MB page), so a longer one is cut and downloaded whole from GET /api/v1/events/{id}/raw.
 */
export const RAW_PREVIEW_BYTES = 64 * 1024;

export type SessionEvent = {
  id: string;
  time: string;
  platform: string;
  eventName: string;
  activity: string;
  status: string | null;
  privileged: boolean;
  actorName: string | null;
  srcIp: string | null;
  target: string | null;
  /** The normalized event exactly as stored in event.data. */
  normalized: unknown;
  raw: {
    id: string;
    fileName: string;
    /** 0-based position of the record in its file (line / array element / CSV data row). */
    position: number;
    leafIndex: number;
    /** The stored payload bytes as UTF-8 text, at most RAW_PREVIEW_BYTES of them; null once retention purged it. */
    payload: string | null;
    /** The whole payload's size in bytes (null once purged). */
    payloadBytes: number | null;
    /** The payload is longer than what `payload` holds: the whole record is at GET /api/v1/events/{id}/raw. */
    truncated: boolean;
    /** The CSV header row of the record's batch, for CSV records. */
    header: string | null;
    receivedAt: string;
  };
  proof: ProofStatus;
};

export type CredentialLink = {
  id: string;
  kind: string;
  platform: string;
  externalId: string;
  /** Why this credential has its parent (the rule that proved the edge); null for the chain's root. */
  parentRule: string | null;
  firstSeenAt: string | null;
  lastUsedAt: string | null;
};

export type LinkedSession = {
  /** outgoing: this session led to the other; incoming: the other led to this one. */
  direction: "outgoing" | "incoming";
  kind: string;
  rule: string;
  matchedFields: Record<string, unknown>;
  confidence: number;
  session: {
    id: string;
    platform: string;
    sessionKey: string;
    startedAt: string;
    endedAt: string;
    eventCount: number;
    identity: IdentityRef | null;
  };
};

export type TimelineEvent = { id: string; sessionId: string; time: string; platform: string; eventName: string; status: string | null };

export type SessionDetail = {
  id: string;
  platform: string;
  sessionKey: string;
  keyType: string;
  rule: string;
  confidence: number;
  startedAt: string;
  endedAt: string;
  eventCount: number;
  srcIps: string[];
  riskLevel: string | null;
  riskScore: number;
  identity: IdentityRef | null;
  initiator: IdentityRef | null;
  initiatorRule: string | null;
  /** The four answers in plain words, each with the facts behind it. */
  answers: {
    initiator: string;
    identity: string;
    actions: string;
    objects: string;
  };
  actions: { name: string; count: number; failures: number }[];
  objectsChanged: { type: string; id: string; name: string | null }[];
  /** The session's credential and its chain up to the root (credential first, root last). */
  credentialChain: CredentialLink[];
  links: LinkedSession[];
  events: SessionEvent[];
  eventsOffset: number;
  /** Events of the linked sessions, for their lanes on the timeline (at most LINKED_EVENTS_LIMIT). */
  linkedEvents: TimelineEvent[];
  linkedEventsTruncated: boolean;
};

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

export type IdentityListItem = {
  id: string;
  kind: IdentityKind;
  displayName: string;
  primaryEmail: string | null;
  platforms: string[];
  aliases: number;
  sessions: number;
  firstSeenAt: string | null;
  lastSeenAt: string | null;
};

export type IdentityDetail = IdentityListItem & {
  owner: IdentityRef | null;
  owned: IdentityRef[];
  aliasList: { platform: string; aliasType: string; externalId: string; rule: string | null; evidence: Record<string, unknown> | null }[];
  sessionsByPlatform: { platform: string; sessions: number; events: number; firstAt: string; lastAt: string }[];
  /** The most recent sessions (at most 500; `sessions` is the total). */
  recentSessions: {
    id: string;
    platform: string;
    startedAt: string;
    endedAt: string;
    eventCount: number;
    actions: string[];
    links: number;
  }[];
  credentials: (CredentialLink & { parentId: string | null; sessions: number })[];
};

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
export type LineageEdgeType = "holds" | "parent_of" | "used_by" | "session_of" | "linked_to" | "performed";

export type LineageNode = {
  id: string;
  type: LineageNodeType;
  label: string;
  /** identity kind, credential kind, the session's key type, or "action" */
  kind: string;
  platform: string | null;
  /** Hops from the start node. */
  depth: number;
  time: string | null;
  detail: Record<string, string | number | null>;
};
export type LineageEdge = { id: string; source: string; target: string; type: LineageEdgeType; rule: string; confidence: number };
export type LineageGraph = {
  root: { type: "identity" | "credential"; id: string };
  nodes: LineageNode[];
  edges: LineageEdge[];
  depth: number;
  limit: number;
  /** Node types left out (the analyst's filters). */
  hide: LineageNodeType[];
  /** True when the node limit stopped the walk; nodes past it are not shown. */
  truncated: boolean;
  /** Nodes on the last hop that were not expanded (the graph may continue past `depth`). */
  unexpanded: number;
};

export const lineageRootsQuery = z.object({
  q: z.string().trim().min(1).max(200),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export type LineageRoot = {
  type: "identity" | "credential";
  id: string;
  label: string;
  kind: string;
  platform: string | null;
  detail: string | null;
};
