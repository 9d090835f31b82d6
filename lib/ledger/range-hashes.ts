import type pg from "pg";
import { databaseUrl, pool } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { MerkleFrontier, foldBlocks, nodeHash, rangeBlocks, type LeafRange } from "./merkle";

// MTH over ranges of the stored leaves, for checkpoints and inclusion proofs, without holding the ledger in
// memory. Leaves never change once written (the database refuses it), so the hash of every complete subtree
// of at least 2^CACHE_LEVEL leaves is kept once computed: about 2 hashes per 1,024 leaves. After the first
// pass a new checkpoint costs only the leaves added since, and a proof reads at most ~2,000 leaves.
//
// Not used by verifyLedger, which must recompute everything from the rows themselves.

const CACHE_LEVEL = 10;
const CACHE_MAX_ENTRIES = 200_000;
const FETCH_ROWS = 50_000;

type Queryable = Pick<pg.Pool | pg.PoolClient, "query">;

const caches = new Map<string, Map<string, Buffer>>();

// Keyed by the database (OID) and the server's start time, so that a database recreated under the same URL,
// or a server restarted with another data folder, never reuses hashes of leaves it does not have.
async function cacheFor(q: Queryable): Promise<Map<string, Buffer>> {
  const r = await q.query<{ oid: string; started: string }>(
    `SELECT d.oid::text AS oid, pg_postmaster_start_time()::text AS started FROM pg_database d WHERE d.datname = current_database()`,
  );
  const key = `${databaseUrl()}|${r.rows[0].oid}|${r.rows[0].started}`;
  let cache = caches.get(key);
  // Past the bound, start a fresh map rather than clearing this one under a computation still using it.
  if (!cache || cache.size > CACHE_MAX_ENTRIES) {
    cache = new Map();
    caches.set(key, cache);
  }
  return cache;
}

/** Forgets cached subtree hashes (tests that rewrite rows behind the triggers' back call this). */
export function clearRangeHashCache(): void {
  caches.clear();
}

/** The number of leaves: committed rows always form the prefix 0..n-1 (appends serialize on a lock). */
export async function currentTreeSize({ client }: { client?: Queryable } = {}): Promise<number> {
  const r = await (client ?? pool()).query<{ n: string }>(`SELECT COALESCE(MAX("leafIndex") + 1, 0)::text AS n FROM raw_record`);
  return Number(r.rows[0].n);
}

const blockKey = (start: number, level: number) => `${start}:${level}`;

/**
 * MTH(D[a:b]) for each range (aligned, as in RFC 9162 roots and proofs), keyed "a:b". Throws when a leaf in a
 * needed range is missing, which only a tampered database can cause.
 */
export async function computeRangeHashes({ ranges, client }: { ranges: readonly LeafRange[]; client?: Queryable }): Promise<Map<string, Buffer>> {
  const q = client ?? pool();
  const cache = await cacheFor(q);
  const small = new Map<string, Buffer | null>();
  const intervals: [number, number][] = [];

  // Which leaves must be read: the parts of each block not already covered by cached subtrees.
  const plan = (start: number, level: number) => {
    if (level >= CACHE_LEVEL) {
      if (cache.has(blockKey(start, level))) return;
      if (level === CACHE_LEVEL) intervals.push([start, start + 2 ** level]);
      else {
        plan(start, level - 1);
        plan(start + 2 ** (level - 1), level - 1);
      }
    } else if (!small.has(blockKey(start, level))) {
      small.set(blockKey(start, level), null);
      intervals.push([start, start + 2 ** level]);
    }
  };
  const blocksByRange = ranges.map(([a, b]) => ({ key: `${a}:${b}`, blocks: rangeBlocks(a, b) }));
  for (const r of blocksByRange) for (const b of r.blocks) plan(b.start, b.level);

  intervals.sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const [s, e] of intervals) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }

  for (const [s, e] of merged) {
    const frontier = new MerkleFrontier(s);
    frontier.onSubtree = (start, size, hash) => {
      const level = Math.log2(size);
      if (level >= CACHE_LEVEL) cache.set(blockKey(start, level), hash);
      else if (small.has(blockKey(start, level))) small.set(blockKey(start, level), hash);
    };
    for (let next = s; next < e; ) {
      const r = await q.query<{ i: string; h: Buffer }>(
        `SELECT r."leafIndex"::text AS i, r."leafHash" AS h FROM raw_record r
          WHERE r."leafIndex" >= $1 AND r."leafIndex" < $2 ORDER BY r."leafIndex" LIMIT $3`,
        [next, e, FETCH_ROWS],
      );
      if (r.rows.length === 0) throw missingLeaf(next);
      for (const row of r.rows) {
        if (Number(row.i) !== next) throw missingLeaf(next);
        frontier.push(row.h);
        next++;
      }
    }
  }

  const hashOf = (start: number, level: number): Buffer => {
    const key = blockKey(start, level);
    if (level < CACHE_LEVEL) {
      const h = small.get(key);
      if (!h) throw new Error(`internal: subtree ${key} was not computed`);
      return h;
    }
    let h = cache.get(key);
    if (!h) {
      h = nodeHash(hashOf(start, level - 1), hashOf(start + 2 ** (level - 1), level - 1));
      cache.set(key, h);
    }
    return h;
  };
  const out = new Map<string, Buffer>();
  for (const r of blocksByRange) out.set(r.key, foldBlocks(r.blocks.map((b) => hashOf(b.start, b.level))));
  return out;
}

function missingLeaf(index: number): AppError {
  return new AppError(
    "INTERNAL",
    `ledger leaf ${index} is missing: the raw_record table has been altered. Run \`npm run cli -- ledger verify\`.`,
  );
}
