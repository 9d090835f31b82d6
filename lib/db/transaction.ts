import type pg from "pg";
import { pool } from "@/lib/db";

// The one way to run a pg transaction: BEGIN, the caller's work, COMMIT; ROLLBACK when the work throws (the
// error is rethrown as it was). A client taken from the pool is released afterwards; a connection whose
// ROLLBACK failed is destroyed rather than returned to the pool in an unknown state.

/** A pg connection that can run queries: a pool client or a standalone pg.Client. */
export type Queryable = pg.ClientBase;

export type TransactionOptions<C extends Queryable = pg.PoolClient> = {
  /** Run on this connection (kept open afterwards) instead of one taken from the pool. */
  client?: C;
  isolation?: "READ COMMITTED" | "REPEATABLE READ" | "SERIALIZABLE";
  readOnly?: boolean;
  /** Take this transaction-scoped advisory lock first (see advisoryXactLock). */
  lock?: AdvisoryKey;
};

/** An advisory lock key: a 64-bit number, or a string hashed by PostgreSQL's hashtext(). */
type AdvisoryKey = number | bigint | string;

export async function withTransaction<T, C extends Queryable = pg.PoolClient>(
  fn: (client: C) => Promise<T>,
  options: TransactionOptions<C> = {},
): Promise<T> {
  const own = options.client ? null : await pool().connect();
  const client = (options.client ?? own) as C;
  let broken: Error | undefined;
  try {
    const mode = [options.isolation && `ISOLATION LEVEL ${options.isolation}`, options.readOnly && "READ ONLY"].filter(Boolean).join(" ");
    await client.query(mode ? `BEGIN ${mode}` : "BEGIN");
    try {
      if (options.lock !== undefined) await advisoryXactLock(client, options.lock);
      const result = await fn(client);
      await client.query("COMMIT");
      return result;
    } catch (err) {
      await client.query("ROLLBACK").catch((rollbackErr: Error) => {
        broken = rollbackErr;
      });
      throw err;
    }
  } finally {
    own?.release(broken);
  }
}

/** Takes an advisory lock held until the current transaction ends (serializes writers of the same thing). */
async function advisoryXactLock(client: Queryable, key: AdvisoryKey): Promise<void> {
  if (typeof key === "string") await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [key]);
  else await client.query("SELECT pg_advisory_xact_lock($1)", [key]);
}
