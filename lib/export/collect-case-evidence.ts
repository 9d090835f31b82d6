import { pool } from "@/lib/db";
import { copyRows, int8At, type CopyPage } from "@/lib/db/pg-copy";
import { AppError } from "@/lib/errors";
import { prefetched } from "./prefetched";
import { DEFAULT_TENANT } from "@/lib/context/request-context";

// What a case export contains, decided once and documented in docs/evidence-package.md:
//   session item          the session, every event grouped into it (now, and when it was cited), its identity,
//                         initiator and credential
//   event item            that event
//   finding item          the finding (with its history), the events in finding.eventIds, and its session as above
//   identity item         the identity, its aliases and its credentials; not its events (cite sessions for those)
//   lineage_snapshot item the graph exactly as stored in the case
// plus: session links whose two ends are both cited sessions; the parent chain of every credential; the raw record
// of every event. Small things (sessions, identities, credentials, findings) are loaded as rows; events and raw
// records, which can run to millions, are kept as sorted id arrays here and streamed in pages by the generators
// below, so memory stays bounded by the page size.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PAGE = 5_000;
const RAW_PAGE = 2_000;
const RAW_PAGE_BYTES = 32 * 1024 * 1024;

type CaseRow = {
  id: string;
  number: number;
  tenantId: string;
  title: string;
  description: string | null;
  severity: string;
  status: string;
  tags: string[];
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  assigneeEmail: string | null;
  createdByEmail: string | null;
};

export type CaseEvidence = {
  case: CaseRow;
  items: Record<string, unknown>[];
  notes: Record<string, unknown>[];
  tasks: Record<string, unknown>[];
  history: Record<string, unknown>[];
  sessions: Record<string, unknown>[];
  links: Record<string, unknown>[];
  identities: Record<string, unknown>[];
  credentials: Record<string, unknown>[];
  findings: Record<string, unknown>[];
  lineageSnapshots: Record<string, unknown>[];
  /** Cited event ids, ascending. */
  eventIds: Float64Array;
  /** Raw record ids of the cited events, in leaf order, with their leaf indices. */
  rawRecordIds: Float64Array;
  leafIndices: Float64Array;
  /** Their payload sizes in bytes when collected (0 once purged): pages of raw records are cut by bytes. */
  payloadSizes: Float64Array;
  /** Item refs that no longer resolve (regrouped sessions, ...): reported in the manifest, never silently dropped. */
  missing: { itemType: string; refId: string }[];
  /** The ingest batches the cited events' raw records came from (package-context.ts adds their provenance and headers). */
  batchIds: string[];
  /** The included events flagged privileged (governance-evidence.ts looks up their checks). */
  privilegedEventIds: string[];
};

/** Finds a case by id or by number (#12, 12). */
export async function findCase({ ref }: { ref: string }): Promise<{ id: string; number: number }> {
  const r = ref.trim().replace(/^#/, "");
  const q = UUID.test(r)
    ? await pool().query<{ id: string; number: number }>(`SELECT id, number FROM "case" WHERE id = $1::uuid AND "tenantId" = $2`, [
        r,
        DEFAULT_TENANT,
      ])
    : /^\d{1,9}$/.test(r)
      ? await pool().query<{ id: string; number: number }>(`SELECT id, number FROM "case" WHERE number = $1 AND "tenantId" = $2`, [
          Number(r),
          DEFAULT_TENANT,
        ])
      : null;
  if (!q || q.rows.length === 0)
    throw new AppError("NOT_FOUND", `No case ${ref}. Give the case number (e.g. 12) or its id, as shown on the Cases page.`);
  return q.rows[0];
}

export async function collectCaseEvidence({ caseId }: { caseId: string }): Promise<CaseEvidence> {
  if (!UUID.test(caseId)) throw new AppError("NOT_FOUND", "No such case. Check the link, or find the case on the Cases page.");
  const c = pool();
  const caseRows = await c.query<CaseRow>(
    `SELECT k.id, k.number, k."tenantId", k.title, k.description, k.severity::text AS severity, k.status::text AS status, k.tags,
            k."createdAt", k."updatedAt", k."closedAt", a.email AS "assigneeEmail", COALESCE(u.email, k."createdByLabel") AS "createdByEmail"
       FROM "case" k LEFT JOIN app_user a ON a.id = k."assigneeId" LEFT JOIN app_user u ON u.id = k."createdById"
      WHERE k.id = $1::uuid AND k."tenantId" = $2`,
    [caseId, DEFAULT_TENANT],
  );
  if (caseRows.rows.length === 0) throw new AppError("NOT_FOUND", "No such case. Check the link, or find the case on the Cases page.");
  const kase = caseRows.rows[0];

  const [items, notes, tasks, history] = await Promise.all([
    c.query(
      `SELECT i.id, i."itemType", i."refId", i.snapshot, i.annotation, i."addedAt", COALESCE(u.email, i."addedByLabel") AS "addedBy"
         FROM case_item i LEFT JOIN app_user u ON u.id = i."addedById" WHERE i."caseId" = $1 ORDER BY i."addedAt", i.id`,
      [caseId],
    ),
    c.query(
      `SELECT n.id, n.body, n."createdAt", n."updatedAt", COALESCE(u.email, n."authorLabel") AS author
         FROM case_note n LEFT JOIN app_user u ON u.id = n."authorId" WHERE n."caseId" = $1 ORDER BY n."createdAt", n.id`,
      [caseId],
    ),
    c.query(
      `SELECT t.id, t.title, t.done, t."dueAt", t."createdAt", t."completedAt", u.email AS assignee
         FROM case_task t LEFT JOIN app_user u ON u.id = t."assigneeId" WHERE t."caseId" = $1 ORDER BY t."createdAt", t.id`,
      [caseId],
    ),
    c.query(
      `SELECT a.id::text AS id, a.action, a.before, a.after, a.at, COALESCE(u.email, a."actorLabel") AS actor
         FROM case_activity a LEFT JOIN app_user u ON u.id = a."actorId" WHERE a."caseId" = $1 ORDER BY a.at, a.id`,
      [caseId],
    ),
  ]);

  const refs = (t: string) => items.rows.filter((i) => i.itemType === t).map((i) => String(i.refId));
  const uuids = (xs: string[]) => xs.filter((x) => UUID.test(x));
  const missing: { itemType: string; refId: string }[] = [];

  // Findings first: they add sessions and events.
  const findingRefs = uuids(refs("finding"));
  const findings = findingRefs.length
    ? (
        await c.query(
          `SELECT f.id, f."ruleId", f.severity, f.title, f."sessionId", f."identityId", f.evidence, f.status, f."dismissedReason",
                  f."dismissedAt", f."createdAt", f."firstSeenAt", f."lastSeenAt", f."eventIds"::text[] AS "eventIds",
                  COALESCE((SELECT json_agg(json_build_object('action', h.action, 'reason', h.reason, 'at', h.at) ORDER BY h.at, h.id)
                              FROM finding_activity h WHERE h."findingId" = f.id), '[]'::json) AS history
             FROM finding f WHERE f.id = ANY($1::uuid[]) AND f."tenantId" = $2 ORDER BY f."createdAt", f.id`,
          [findingRefs, DEFAULT_TENANT],
        )
      ).rows
    : [];
  for (const r of refs("finding")) if (!findings.some((f) => f.id === r)) missing.push({ itemType: "finding", refId: r });

  const sessionIds = new Set([...uuids(refs("session")), ...findings.map((f) => f.sessionId).filter((x): x is string => !!x)]);
  const sessions = sessionIds.size
    ? (
        await c.query(
          `SELECT s.id, s.platform, s."sessionKey", s."keyType", s.rule, s.confidence, s."identityId", s."initiatorIdentityId",
                  s."credentialId", s."startedAt", s."endedAt", s."eventCount", s."srcIps", s."riskScore", s."riskLevel", s.summary
             FROM session s WHERE s.id = ANY($1::uuid[]) AND s."tenantId" = $2 ORDER BY s."startedAt", s.id`,
          [[...sessionIds], DEFAULT_TENANT],
        )
      ).rows
    : [];
  for (const r of refs("session")) if (!sessions.some((s) => s.id === r)) missing.push({ itemType: "session", refId: r });
  const foundSessionIds = sessions.map((s) => String(s.id));

  const links = foundSessionIds.length
    ? (
        await c.query(
          `SELECT l.id, l."fromSessionId", l."toSessionId", l.kind, l.rule, l."matchedFields", l.confidence, l."createdAt"
             FROM session_link l WHERE l."fromSessionId" = ANY($1::uuid[]) AND l."toSessionId" = ANY($1::uuid[])
            ORDER BY l."createdAt", l.id`,
          [foundSessionIds],
        )
      ).rows
    : [];

  // Event ids: the sessions' events (index on sessionId), the cited events, the findings' events, and the events
  // these items named when they were cited (case_item_evidence: a later correlation run may have moved a session's
  // events elsewhere, or regrouped the session away; the case keeps what it cited). Ids only.
  const directEventRefs = refs("event").filter((r) => /^\d{1,18}$/.test(r));
  const findingEventIds = findings.flatMap((f) => (f.eventIds as string[] | null) ?? []);
  // Runs while the identities and credentials are loaded below. Three comma-separated lists in one row: about three
  // times faster than 100,000 rows through the driver.
  const idsQuery = c.query<{
    events: string | null;
    raws: string | null;
    leaves: string | null;
    sizes: string | null;
    // One per event, deduplicated here: array_agg(DISTINCT ...) made PostgreSQL sort the joined rows, payloads
    // and all (spilling about 160 MB to disk at 100,000 events, 0.6 s).
    batches: string | null;
    privileged: string | null;
  }>(
    `SELECT string_agg(e.id::text, ',') AS events, string_agg(e."rawRecordId"::text, ',') AS raws, string_agg(r."leafIndex"::text, ',') AS leaves,
            string_agg(COALESCE(octet_length(r.payload), 0)::text, ',') AS sizes, string_agg(r."batchId"::text, ',') AS batches,
            string_agg(e.id::text, ',') FILTER (WHERE e.privileged) AS privileged
       FROM event e JOIN raw_record r ON r.id = e."rawRecordId"
      WHERE e."tenantId" = $3 AND (e."sessionId" = ANY($1::uuid[]) OR e.id = ANY($2::bigint[])
            OR e.id IN (SELECT p."eventId" FROM case_item_evidence p JOIN case_item i ON i.id = p."caseItemId"
                         WHERE p."caseId" = $4::uuid AND i."itemType" IN ('session', 'event', 'finding')))`,
    [foundSessionIds, [...directEventRefs, ...findingEventIds], DEFAULT_TENANT, caseId],
  );
  idsQuery.catch(() => undefined);
  // Identities: cited ones, and those who ran or initiated the cited sessions; credentials: the sessions', the cited
  // identities', then every ancestor up the parent chain (the lineage that explains where a credential came from).
  const citedIdentities = uuids(refs("identity"));
  const identityIds = new Set([
    ...citedIdentities,
    ...sessions.flatMap((s) => [s.identityId, s.initiatorIdentityId]).filter((x): x is string => !!x),
  ]);
  const identities = identityIds.size
    ? (
        await c.query(
          `SELECT i.id, i.kind::text AS kind, i."displayName", i."primaryEmail", i."ownerIdentityId", i.status, i."firstSeenAt", i."lastSeenAt",
                  i.attributes, i.id = ANY($2::uuid[]) AS cited,
                  COALESCE((SELECT json_agg(json_build_object('platform', a.platform, 'externalId', a."externalId", 'aliasType', a."aliasType",
                                                              'rule', a.rule, 'evidence', a.evidence) ORDER BY a.platform, a."externalId")
                              FROM identity_alias a WHERE a."identityId" = i.id), '[]'::json) AS aliases
             FROM identity i WHERE i.id = ANY($1::uuid[]) AND i."tenantId" = $3 ORDER BY i."displayName", i.id`,
          [[...identityIds], citedIdentities, DEFAULT_TENANT],
        )
      ).rows
    : [];
  for (const r of refs("identity")) if (!identities.some((i) => i.id === r)) missing.push({ itemType: "identity", refId: r });

  const credentialSeeds = sessions.map((s) => s.credentialId).filter((x): x is string => !!x);
  const credentials =
    credentialSeeds.length || citedIdentities.length
      ? (
          await c.query(
            `WITH RECURSIVE chain AS (
               SELECT c.id, c."parentId", 0 AS depth FROM credential c
                WHERE c."tenantId" = $3 AND (c.id = ANY($1::uuid[]) OR c."identityId" = ANY($2::uuid[]))
               UNION
               SELECT p.id, p."parentId", ch.depth + 1 FROM credential p JOIN chain ch ON p.id = ch."parentId" WHERE ch.depth < 32
             )
             SELECT c.id, c.kind::text AS kind, c.platform, c."externalId", c."identityId", c."parentId", c."parentRule", c."issuedAt",
                    c."expiresAt", c."firstSeenAt", c."lastUsedAt", c.evidence
               FROM credential c WHERE c.id IN (SELECT id FROM chain) ORDER BY c."firstSeenAt" NULLS LAST, c.id`,
            [credentialSeeds, citedIdentities, DEFAULT_TENANT],
          )
        ).rows
      : [];

  const ids = (await idsQuery).rows[0];
  const list = (v: string | null) => (v ? v.split(",").map(Number) : []);
  const eventIds = Float64Array.from(list(ids.events));
  const raws = list(ids.raws);
  const leaves = list(ids.leaves);
  const sizes = list(ids.sizes);
  const rawToLeaf = new Map<number, number>();
  const rawSize = new Map<number, number>();
  for (let i = 0; i < raws.length; i++) {
    rawToLeaf.set(raws[i], leaves[i]);
    rawSize.set(raws[i], sizes[i]);
  }
  eventIds.sort();
  const foundEvents = new Set<number>();
  if (directEventRefs.length) for (const id of eventIds) foundEvents.add(id);
  for (const r of refs("event")) if (!foundEvents.has(Number(r))) missing.push({ itemType: "event", refId: r });

  const rawSorted = [...rawToLeaf.entries()].sort((a, b) => a[1] - b[1]);
  const rawRecordIds = Float64Array.from(rawSorted, (x) => x[0]);
  const leafIndices = Float64Array.from(rawSorted, (x) => x[1]);
  const payloadSizes = Float64Array.from(rawSorted, (x) => rawSize.get(x[0])!);

  const lineageSnapshots = items.rows
    .filter((i) => i.itemType === "lineage_snapshot")
    .map((i) => ({ itemId: i.id, refId: i.refId, annotation: i.annotation, snapshot: i.snapshot }));

  return {
    case: kase,
    items: items.rows,
    notes: notes.rows,
    tasks: tasks.rows,
    history: history.rows,
    sessions,
    links,
    identities,
    credentials,
    findings,
    lineageSnapshots,
    eventIds,
    rawRecordIds,
    leafIndices,
    payloadSizes,
    missing,
    batchIds: ids.batches ? [...new Set(ids.batches.split(","))].sort() : [],
    privilegedEventIds: ids.privileged ? ids.privileged.split(",") : [],
  };
}

// The ids spliced into COPY statements (COPY takes no parameters): integers only, checked.
function sqlIds(ids: Float64Array): string {
  for (const id of ids) if (!Number.isSafeInteger(id) || id < 0) throw new AppError("INTERNAL", `not a row id: ${id}`);
  return `'{${Array.from(ids).join(",")}}'::bigint[]`;
}

const field = (c: CopyPage, row: number, f: number, encoding: BufferEncoding = "latin1"): string => {
  const k = row * c.width + f;
  return c.data.toString(encoding, c.start[k], c.start[k] + c.length[k]);
};

/**
 * Column f of every row moved together to the front of the page's buffer, back to back: their concatenation
 * without a second page-sized allocation. The bytes before them are overwritten: read other columns first.
 */
function compactColumn(c: CopyPage, f: number): Buffer {
  let pos = 0;
  for (let row = 0; row < c.rows; row++) {
    const k = row * c.width + f;
    const len = c.length[k];
    if (len <= 0) continue;
    if (c.start[k] !== pos) c.data.copyWithin(pos, c.start[k], c.start[k] + len);
    pos += len;
  }
  return c.data.subarray(0, pos);
}

/** The cited events as NDJSON lines, in id order, one page at a time; `data` is the stored normalized event verbatim. */
export async function* streamEventLines(eventIds: Float64Array): AsyncGenerator<Buffer> {
  const pages = Math.ceil(eventIds.length / PAGE);
  yield* prefetched(pages, async (p) => {
    // One row per event (an aggregate per page measured several times slower: its ORDER BY sorts the lines).
    const rows = await copyRows(
      `SELECT '{"id":"' || e.id || '","rawRecordId":"' || e."rawRecordId" || '","sessionId":' || COALESCE(to_json(e."sessionId")::text, 'null')
              || ',"identityId":' || COALESCE(to_json(e."identityId")::text, 'null') || ',"data":' || e.data::text || E'}\n' AS line
         FROM event e WHERE e.id = ANY(${sqlIds(eventIds.subarray(p * PAGE, (p + 1) * PAGE))}) ORDER BY e.id`,
    );
    return compactColumn(rows, 0);
  });
}

/**
 * raw/index.ndjson, a page at a time: one line per raw record (leaf order) with its offset and length in
 * raw/records.bin, which is written after it. PostgreSQL builds each line (hashes hex-encoded, strings JSON-quoted,
 * offsets a running sum from the page's first one) while this process zips the previous page; here each row's id
 * and payload length are checked against what was collected, and `lengths` receives each length (-1: purged by
 * retention), which the records.bin pass checks record by record again. So a record purged since the evidence was
 * collected fails the export rather than ship offsets that do not match.
 */
export async function* streamRawIndexLines(
  rawRecordIds: Float64Array,
  lengths: Float64Array,
  payloadSizes: Float64Array,
): AsyncGenerator<Buffer> {
  const pages = Math.ceil(rawRecordIds.length / PAGE);
  // Each page's first offset, from the sizes collected (0 for a purged record): what the index says if nothing
  // changed since, which the per-row checks below make sure of.
  const firstOffset = new Float64Array(pages);
  for (let p = 1, sum = 0; p < pages; p++) {
    for (let i = (p - 1) * PAGE; i < p * PAGE; i++) sum += payloadSizes[i];
    firstOffset[p] = sum;
  }
  const changed = () => new AppError("CONFLICT", "Raw records changed during the export (a retention purge?). Export again.");
  let i = 0;
  for await (const rows of prefetched(pages, (p) =>
    copyRows(
      `SELECT r.id, octet_length(r.payload),
              '{"rawRecordId":"' || r.id || '","leafIndex":' || r."leafIndex" || ',' ||
              CASE WHEN r.payload IS NULL THEN '"offset":null,"length":null,"purged":true'
                   ELSE '"offset":' || (${firstOffset[p]}::int8 + COALESCE(sum(octet_length(r.payload)) OVER preceding, 0)) ||
                        ',"length":' || octet_length(r.payload) || ',"purged":false' END ||
              ',"sourceId":"' || r."sourceId" || '","fileName":' || to_json(r."fileName")::text || ',"position":"' || r.position ||
              '","receivedAt":' || to_json(r."receivedAt")::text || ',"contentHash":"' || encode(r."contentHash", 'hex') ||
              '","leafHash":"' || encode(r."leafHash", 'hex') || '","batchId":' || COALESCE(to_json(r."batchId")::text, 'null') || E'}\n'
         FROM raw_record r WHERE r.id = ANY(${sqlIds(rawRecordIds.subarray(p * PAGE, (p + 1) * PAGE))})
       WINDOW preceding AS (ORDER BY r."leafIndex" ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
        ORDER BY r."leafIndex"`,
    ),
  )) {
    // Ids and lengths first: compactColumn() then moves the lines over the bytes before them.
    for (let row = 0; row < rows.rows; row++, i++) {
      const k = row * rows.width;
      if (int8At(rows, k) !== rawRecordIds[i]) throw changed();
      const length = rows.length[k + 1] < 0 ? -1 : rows.data.readInt32BE(rows.start[k + 1]);
      if (Math.max(length, 0) !== payloadSizes[i]) throw changed();
      lengths[i] = length;
    }
    yield compactColumn(rows, 2);
  }
  if (i !== rawRecordIds.length) throw changed();
}

/**
 * The raw records' payloads in leaf order, a page at a time, bytes exactly as stored (concatenated), with the ids
 * and lengths (-1: purged by retention) in the same order so that the caller can check every record is where it
 * belongs. Pages are cut at RAW_PAGE records or RAW_PAGE_BYTES, whichever comes first (a record may be up to 64 MB).
 */
export function streamRawPayloads(
  rawRecordIds: Float64Array,
  payloadSizes: Float64Array,
): AsyncGenerator<{ ids: string[]; lengths: number[]; bytes: Buffer }> {
  const bounds: number[] = [0];
  for (let i = 0, bytes = 0; i < rawRecordIds.length; i++) {
    if (i > bounds[bounds.length - 1] && (i - bounds[bounds.length - 1] >= RAW_PAGE || bytes + payloadSizes[i] > RAW_PAGE_BYTES)) {
      bounds.push(i);
      bytes = 0;
    }
    bytes += payloadSizes[i];
  }
  bounds.push(rawRecordIds.length);
  return prefetched(rawRecordIds.length ? bounds.length - 1 : 0, async (p) => {
    // One row per record (a single aggregated bytea measured twice as slow: the aggregate's ORDER BY sorts the
    // payloads themselves), through COPY so that the bytes arrive exactly as stored.
    const rows = await copyRows(
      `SELECT r.id::text, r.payload FROM raw_record r WHERE r.id = ANY(${sqlIds(rawRecordIds.subarray(bounds[p], bounds[p + 1]))}) ORDER BY r."leafIndex"`,
    );
    // The ids and lengths are read before compactColumn() moves the payloads over the bytes before them.
    const ids: string[] = new Array(rows.rows);
    const lengths: number[] = new Array(rows.rows);
    for (let row = 0; row < rows.rows; row++) {
      ids[row] = field(rows, row, 0);
      lengths[row] = rows.length[row * rows.width + 1];
    }
    return { ids, lengths, bytes: compactColumn(rows, 1) };
  });
}
