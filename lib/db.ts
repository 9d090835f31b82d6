// Next refuses this module in a client bundle; plain Node loads it through scripts/server-only.mjs, vitest
// through an alias (vitest.config.ts).
import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";

// The single Prisma client (and the pg pool under it), built once per process and cached on globalThis so
// that Next's dev reloads do not open a new pool each time. Only lib/ imports this module.
type Db = { prisma: PrismaClient; pool: pg.Pool; url: string };

const globalForDb = globalThis as unknown as { __sessionproofDb?: Db };

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      "DATABASE_URL is not set. Start Sessionproof with `npm start` (which runs the embedded PostgreSQL) or set DATABASE_URL.",
    );
  }
  return url;
}

function createDb(url: string, max = 10): Db {
  const pool = new pg.Pool({ connectionString: url, max, application_name: "sessionproof" });
  pool.on("error", (err: Error & { code?: string }) => {
    // 57P01: the server is shutting down (e.g. Ctrl-C reached the embedded PostgreSQL first); not worth a line.
    if (err.code !== "57P01") console.error("[db] idle client error:", err.message);
  });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return { prisma, pool, url };
}

function cached(): Db {
  const url = databaseUrl();
  if (!globalForDb.__sessionproofDb || globalForDb.__sessionproofDb.url !== url) {
    globalForDb.__sessionproofDb = createDb(url);
  }
  return globalForDb.__sessionproofDb;
}

/** The Prisma client for the configured database. */
export function db(): PrismaClient {
  return cached().prisma;
}

/** The pg pool under the Prisma client, for set-based bulk SQL (COPY, unnest inserts). */
export function pool(): pg.Pool {
  return cached().pool;
}

export async function closeDb(): Promise<void> {
  const current = globalForDb.__sessionproofDb;
  globalForDb.__sessionproofDb = undefined;
  if (current) {
    await current.prisma.$disconnect();
    await current.pool.end().catch(() => undefined);
  }
}
