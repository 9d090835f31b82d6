import type { PoolClient } from "pg";
import { pool } from "@/lib/db";
import { withTransaction } from "@/lib/db/transaction";
import { DEFAULT_TENANT } from "@/lib/context/request-context";

// Aggregates over the event table kept in analytics_cache under the analytics_change stamp (one change row per
// write statement on event, identity, governance_check or policy_decision, by trigger): until one of them
// changes, a page load reads one row instead of scanning the events.

/** The analytics_change stamp: changes whenever a write to a table the aggregates read commits. */
const STAMP_SQL = `SELECT count(*) || ':' || coalesce(sum(id), 0) AS stamp, count(*) AS n, max(id) AS max FROM analytics_change`;
/** Past this many change rows the log is trimmed after a computation (the next load of each aggregate recomputes once). */
const CHANGE_LOG_TRIM = 10_000;

/**
 * The value of `compute`, from analytics_cache when nothing changed since it was computed. The stamp and the
 * aggregate are read in one REPEATABLE READ snapshot, so a cached value is exactly the data of its stamp; a write
 * committing meanwhile adds a change row and so a new stamp. The value travels as JSON: `revive` turns the
 * cached form back (dates come back as strings).
 */
export async function stampedCache<T, C = T>(
  name: string,
  compute: (client: PoolClient) => Promise<T>,
  revive: (cached: C) => T,
): Promise<T> {
  const read = await withTransaction(
    async (client): Promise<{ cached: C } | { stamp: string; value: T; trimThrough: string | null }> => {
      const s = (await client.query<{ stamp: string; n: string; max: string | null }>(STAMP_SQL)).rows[0];
      const hit = await client.query<{ value: C }>(`SELECT value FROM analytics_cache WHERE "tenantId" = $1 AND name = $2 AND stamp = $3`, [
        DEFAULT_TENANT,
        name,
        s.stamp,
      ]);
      if (hit.rows.length) return { cached: hit.rows[0].value };
      return { stamp: s.stamp, value: await compute(client), trimThrough: Number(s.n) > CHANGE_LOG_TRIM ? s.max : null };
    },
    { isolation: "REPEATABLE READ", readOnly: true },
  );
  if ("cached" in read) return revive(read.cached);
  const { stamp, value, trimThrough } = read;
  // Outside the snapshot: a concurrent load may store the same or a newer stamp; either row is true for its stamp.
  await pool().query(
    `INSERT INTO analytics_cache ("tenantId", name, stamp, value, "computedAt") VALUES ($1, $2, $3, $4::json, now())
     ON CONFLICT ("tenantId", name) DO UPDATE SET stamp = EXCLUDED.stamp, value = EXCLUDED.value, "computedAt" = now()`,
    [DEFAULT_TENANT, name, stamp, JSON.stringify(value)],
  );
  if (trimThrough) await pool().query(`DELETE FROM analytics_change WHERE id <= $1`, [trimThrough]);
  return value;
}
