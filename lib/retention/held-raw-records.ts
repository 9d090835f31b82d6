import { pool } from "@/lib/db";

// What a legal hold covers, as SQL yielding ("holdId", "rawRecordId") pairs for the holds `holdFilter` selects
// (by default every active hold). One definition, used by the purge (never clear a held payload) and by the hold
// list (how many records each hold covers).
//   case hold: the raw records its evidence cites:
//     session item  -> the raw records of the session's events
//     event item    -> that event's raw record
//     identity item -> the raw records of that identity's events
//     finding item  -> the raw records of finding.eventIds and of its session's events
//     lineage_snapshot item -> the snapshot itself is stored in case_item (nothing in the ledger to keep); when its
//                      root is an identity, that identity's events are held; a credential root holds nothing more
//                      (add the credential's sessions to the case to hold them).
//   source hold: the raw records of that source whose event time lies in [rangeStart, rangeEnd] (an open end is
//     unbounded); a record without events (quarantine resolutions, the audit trail) counts by its receivedAt.
// refIds are text; each kind is cast in its own MATERIALIZED CTE after its WHERE, so a malformed id never
// reaches a cast.
const UUID = `'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'`;

export function heldPairsSql(holdFilter = `h."releasedAt" IS NULL`): string {
  return `
  h AS MATERIALIZED (SELECT h.id, h."caseId", h."sourceId", h."rangeStart", h."rangeEnd" FROM legal_hold h WHERE ${holdFilter}),
  ci AS MATERIALIZED (SELECT h.id AS "holdId", c."itemType", c."refId", c.snapshot FROM h JOIN case_item c ON c."caseId" = h."caseId"),
  ci_session AS MATERIALIZED (SELECT "holdId", "refId"::uuid AS id FROM ci WHERE "itemType" = 'session' AND "refId" ~ ${UUID}),
  ci_event AS MATERIALIZED (SELECT "holdId", "refId"::bigint AS id FROM ci WHERE "itemType" = 'event' AND "refId" ~ '^[0-9]{1,18}$'),
  ci_identity AS MATERIALIZED (
    SELECT "holdId", "refId"::uuid AS id FROM ci WHERE "itemType" = 'identity' AND "refId" ~ ${UUID}
    UNION
    SELECT "holdId", (snapshot->'root'->>'id')::uuid FROM ci
     WHERE "itemType" = 'lineage_snapshot' AND snapshot->'root'->>'type' = 'identity' AND snapshot->'root'->>'id' ~ ${UUID}),
  ci_finding AS MATERIALIZED (
    SELECT x."holdId", f."sessionId", f."eventIds"
      FROM (SELECT "holdId", "refId"::uuid AS id FROM ci WHERE "itemType" = 'finding' AND "refId" ~ ${UUID}) x
      JOIN finding f ON f.id = x.id),
  held_pairs AS (
    SELECT x."holdId", e."rawRecordId" FROM ci_session x JOIN event e ON e."sessionId" = x.id
    UNION SELECT x."holdId", e."rawRecordId" FROM ci_event x JOIN event e ON e.id = x.id
    UNION SELECT x."holdId", e."rawRecordId" FROM ci_identity x JOIN event e ON e."identityId" = x.id
    UNION SELECT x."holdId", e."rawRecordId" FROM ci_finding x JOIN event e ON e.id = ANY (x."eventIds")
    UNION SELECT x."holdId", e."rawRecordId" FROM ci_finding x JOIN event e ON e."sessionId" = x."sessionId"
    UNION SELECT h.id, e."rawRecordId" FROM h JOIN event e ON e."sourceId" = h."sourceId"
           AND (h."rangeStart" IS NULL OR e.time >= h."rangeStart") AND (h."rangeEnd" IS NULL OR e.time <= h."rangeEnd")
    UNION SELECT h.id, r.id FROM h JOIN raw_record r ON r."sourceId" = h."sourceId"
           AND (h."rangeStart" IS NULL OR r."receivedAt" >= h."rangeStart") AND (h."rangeEnd" IS NULL OR r."receivedAt" <= h."rangeEnd")
           AND NOT EXISTS (SELECT 1 FROM event e WHERE e."rawRecordId" = r.id)
  )`;
}

/** How many raw records each active hold covers (a record under two holds counts for both). */
export async function countHeldRawRecords(): Promise<Map<string, number>> {
  const r = await pool().query<{ holdId: string; n: string }>(
    `WITH ${heldPairsSql()} SELECT "holdId"::text AS "holdId", count(DISTINCT "rawRecordId")::text AS n FROM held_pairs GROUP BY 1`,
  );
  return new Map(r.rows.map((x) => [x.holdId, Number(x.n)]));
}

/** The ids of every raw record under an active hold, ascending (for tests and small checks; the purge joins in SQL). */
export async function heldRawRecordIds(): Promise<string[]> {
  const r = await pool().query<{ id: string }>(
    `WITH ${heldPairsSql()} SELECT DISTINCT "rawRecordId"::text AS id, "rawRecordId" FROM held_pairs ORDER BY "rawRecordId"`,
  );
  return r.rows.map((x) => x.id);
}
