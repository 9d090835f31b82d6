import fs from "node:fs";
import path from "node:path";
import { startEmbeddedPostgres } from "../../lib/db/embedded";
import { applyMigrations } from "../../lib/db/migrate";

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
