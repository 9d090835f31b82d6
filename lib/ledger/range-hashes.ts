import type pg from "pg";
import { databaseUrl, pool } from "@/lib/db";
import { copyRows, int8At } from "@/lib/db/pg-copy";
import { AppError } from "@/lib/errors";
import { HASH_SIZE, MerkleFrontier, foldBlocks, nodeHash, rangeBlocks, type LeafRange } from "./merkle";

// MTH over ranges of the stored leaves, for checkpoints and inclusion proofs, without holding the ledger in
// memory. Leaves never change once written (the database refuses it), so the hash of every complete subtree
// of at least 2^CACHE_LEVEL leaves is kept once computed: about 2 hashes per 1,024 leaves, in memory and in the
// ledger_subtree table, which a new process loads first. A new checkpoint then costs only the leaves added
// since the last one, in any process (a fresh CLI process, or the server after a restart, once re-read every
// leaf: 0.4 s per 120,000), and a proof reads at most ~2,000 leaves.
//
// Not used by verifyLedger, which must recompute everything from the rows themselves, and reports any
// ledger_subtree row that differs from what the leaves give.

const CACHE_LEVEL = 10;
const CACHE_BLOCK = 2 ** CACHE_LEVEL;
const CACHE_MAX_ENTRIES = 200_000;
const FETCH_ROWS = 50_000;

type Queryable = Pick<pg.Pool | pg.PoolClient, "query">;
type Client = pg.PoolClient;

const caches = new Map<string, Map<string, Buffer>>();

// Keyed by the database (OID) and the server's start time, so that a database recreated under the same URL,
// or a server restarted with another data folder, never reuses hashes of leaves it does not have. A new map
// starts from the database's own ledger_subtree rows.
async function cacheFor(q: Queryable): Promise<Map<string, Buffer>> {
  const r = await q.query<{ oid: string; started: string }>(
    `SELECT d.oid::text AS oid, pg_postmaster_start_time()::text AS started FROM pg_database d WHERE d.datname = current_database()`,
  );
  const key = `${databaseUrl()}|${r.rows[0].oid}|${r.rows[0].started}`;
  let cache = caches.get(key);
  // Past the bound, start a fresh map rather than clearing this one under a computation still using it.
  if (!cache || cache.size > CACHE_MAX_ENTRIES) {
    cache = new Map();
    const stored = await q.query<{ level: number; start: string; hash: Buffer }>(
      `SELECT level, start::text AS start, hash FROM ledger_subtree ORDER BY level DESC, start LIMIT ${CACHE_MAX_ENTRIES}`,
    );
    for (const row of stored.rows) if (row.hash.length === HASH_SIZE) cache.set(blockKey(Number(row.start), row.level), row.hash);
    caches.set(key, cache);
  }
  return cache;
}

/** Stores subtree hashes computed by this process (another process may have stored them first: kept as is). */
async function persist(q: Queryable, fresh: [start: number, level: number, hash: Buffer][]): Promise<void> {
  if (fresh.length === 0) return;
  await q.query(
    `INSERT INTO ledger_subtree (level, start, hash) SELECT * FROM unnest($1::int4[], $2::int8[], $3::bytea[]) ON CONFLICT DO NOTHING`,
    [fresh.map((f) => f[1]), fresh.map((f) => String(f[0])), fresh.map((f) => f[2])],
  );
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
export async function computeRangeHashes({
  ranges,
  client,
}: {
  ranges: readonly LeafRange[];
  client?: Client;
}): Promise<Map<string, Buffer>> {
  const cache = await cacheFor(client ?? pool());
  const small = new Map<string, Buffer | null>();
  /** Sizes of the small (below 2^CACHE_LEVEL) subtrees asked for: other small ones are not looked up. */
  const smallSizes = new Set<number>();
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
      smallSizes.add(2 ** level);
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

  const fresh: [number, number, Buffer][] = [];
  for (const [s, e] of merged) {
    const frontier = new MerkleFrontier(s);
    frontier.onSubtree = (start, size, hash) => {
      if (size < CACHE_BLOCK && !smallSizes.has(size)) return;
      const level = Math.log2(size);
      const key = blockKey(start, level);
      if (size >= CACHE_BLOCK) {
        cache.set(key, hash);
        fresh.push([start, level, hash]);
      } else if (small.has(key)) small.set(key, hash);
    };
    // The leaf hashes through binary COPY (index as int8, hash as bytea): a million rows parse in a fraction of
    // what the driver's text rows cost (hex-decoding every hash and building a row object per leaf).
    for (let next = s; next < e;) {
      const page = await copyRows(
        `SELECT r."leafIndex", r."leafHash" FROM raw_record r
          WHERE r."leafIndex" >= ${next} AND r."leafIndex" < ${e} ORDER BY r."leafIndex" LIMIT ${FETCH_ROWS}`,
        client,
      );
      if (page.rows === 0) throw missingLeaf(next);
      for (let row = 0; row < page.rows; row++) {
        const k = row * 2;
        if (int8At(page, k) !== next || page.length[k + 1] !== HASH_SIZE) throw missingLeaf(next);
        frontier.push(page.data.subarray(page.start[k + 1], page.start[k + 1] + HASH_SIZE));
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
      fresh.push([start, level, h]);
    }
    return h;
  };
  const out = new Map<string, Buffer>();
  for (const r of blocksByRange) out.set(r.key, foldBlocks(r.blocks.map((b) => hashOf(b.start, b.level))));
  await persist(client ?? pool(), fresh);
  return out;
}

function missingLeaf(index: number): AppError {
  return new AppError(
    "INTERNAL",
    `ledger leaf ${index} is missing: the raw_record table has been altered. Run \`npm run cli -- ledger verify\`.`,
  );
}
