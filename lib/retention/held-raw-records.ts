import { pool } from "@/lib/db";

// What a legal hold covers is defined once, in the database: sessionproof_held_raw_records(candidates) yields the
// ("holdId", "rawRecordId") pairs of every active hold, or of the candidate raw records only (migration
// 20261207142800_legal_hold_in_database says what each kind of hold covers). The raw_record trigger that refuses
// to purge a held record asks the same function, so the purge job and the database cannot disagree.

/** SQL yielding the ("holdId", "rawRecordId") pairs of active holds; `candidates` is an SQL bigint[] expression. */
export function heldPairsSql(candidates = "NULL"): string {
  return `SELECT "holdId", "rawRecordId" FROM sessionproof_held_raw_records(${candidates})`;
}

/** How many raw records each active hold covers (a record under two holds counts for both). */
export async function countHeldRawRecords(): Promise<Map<string, number>> {
  const r = await pool().query<{ holdId: string; n: string }>(
    `SELECT "holdId"::text AS "holdId", count(DISTINCT "rawRecordId")::text AS n FROM (${heldPairsSql()}) p GROUP BY 1`,
  );
  return new Map(r.rows.map((x) => [x.holdId, Number(x.n)]));
}

/** The ids of every raw record under an active hold, ascending (for tests and small checks; the purge asks per chunk). */
export async function heldRawRecordIds(): Promise<string[]> {
  const r = await pool().query<{ id: string }>(
    `SELECT DISTINCT "rawRecordId"::text AS id, "rawRecordId" FROM (${heldPairsSql()}) p ORDER BY "rawRecordId"`,
  );
  return r.rows.map((x) => x.id);
}
