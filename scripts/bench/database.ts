import fs from "node:fs";
import path from "node:path";
import { startEmbeddedPostgres } from "../../lib/db/embedded";
import { applyMigrations } from "../../lib/db/migrate";
import type pg from "pg";

// A fresh, migrated database for a benchmark: BENCH_DATABASE_URL when given (it is wiped), else a throwaway
// embedded PostgreSQL under .tmp/bench-pg.
export async function benchDatabase(): Promise<{ url: string; stop: () => Promise<void> }> {
  if (process.env.BENCH_DATABASE_URL) {
    await applyMigrations(process.env.BENCH_DATABASE_URL);
    return { url: process.env.BENCH_DATABASE_URL, stop: async () => undefined };
  }
  const dir = path.resolve(".tmp", "bench-pg");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true, mode: 0o711 });
  fs.chmodSync(path.dirname(dir), 0o711);
  const pg = await startEmbeddedPostgres({ dataDir: dir, password: "bench-only" });
  await applyMigrations(pg.url);
  return { url: pg.url, stop: pg.stop };
}

/**
 * A migrated database kept between runs under .tmp/bench-pg-<name>, for benchmarks whose data take minutes to build:
 * `ready` says whether a previous run finished building it with the same data `version` (the bench records that
 * with markBuilt when its load is complete). `--fresh` on the command line, or a version change, rebuilds it.
 */
export async function cachedBenchDatabase(
  name: string,
  version: string,
  fresh = false,
): Promise<{ url: string; ready: boolean; markBuilt: () => void; stop: () => Promise<void> }> {
  const dir = path.resolve(".tmp", `bench-pg-${name}`);
  const marker = path.join(dir, "built.json");
  const ready = !fresh && fs.existsSync(marker) && JSON.parse(fs.readFileSync(marker, "utf8")).version === version;
  if (!ready) fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true, mode: 0o711 });
  fs.chmodSync(path.dirname(dir), 0o711);
  const pg = await startEmbeddedPostgres({ dataDir: dir, password: "bench-only" });
  // New migrations (an index, say) apply to the kept data; an edited one means the schema may differ: rebuild.
  const migrated = await applyMigrations(pg.url);
  if (migrated.checksumMismatches.length) {
    await pg.stop();
    return cachedBenchDatabase(name, version, true);
  }
  return {
    url: pg.url,
    ready,
    markBuilt: () => fs.writeFileSync(marker, JSON.stringify({ version, builtAt: new Date().toISOString() })),
    stop: pg.stop,
  };
}

/** Percentiles of a list of durations (ms), for the query benchmarks. */
export function percentiles(ms: number[]): { n: number; p50: number; p95: number; max: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
  return { n: s.length, p50: at(0.5), p95: at(0.95), max: s[s.length - 1] };
}

/** Samples the process's resident memory every 50 ms; peak() gives the highest seen, in MB. */
export function rssSampler() {
  let peak = process.memoryUsage().rss;
  const t = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return {
    reset: () => (peak = process.memoryUsage().rss),
    peakMb: () => Math.round(Math.max(peak, process.memoryUsage().rss) / 1024 / 1024),
    stop: () => clearInterval(t),
  };
}

/** Runs one SQL statement of a bench database build and prints its row count and time. */
export function timedStep(c: pg.Client) {
  return async (label: string, sql: string, params: unknown[] = []) => {
    const t = performance.now();
    const r = await c.query(sql, params);
    console.log(`  ${label}: ${(r.rowCount ?? 0).toLocaleString()} rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  };
}
