import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { dataDir as resolveDataDir, parseEnv } from "@/lib/env";
import { loadOrCreateSecrets } from "@/lib/secrets";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { processAlive } from "@/lib/db/process-alive";
import { databaseRoles, prepareDatabase } from "@/lib/db/app-role";

// "Get me a database": the server named by DATABASE_URL when set; otherwise the embedded PostgreSQL of the data
// folder, exactly as `npm start` runs it (same cluster, same passwords from secrets.json, the same app role). When
// the dashboard is already running on that folder its server is reused (runtime.json, written by scripts/start.ts),
// since two postmasters cannot share one cluster. An embedded server started here is stopped by close().

export type CliDatabase = {
  url: string;
  source: "env" | "running-app" | "embedded";
  close: () => Promise<void>;
};

export type OpenCliDatabaseOptions = {
  /** Apply pending migrations to a DATABASE_URL server too (the embedded one is always migrated). */
  migrate?: boolean;
  log?: (message: string) => void;
};

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The database URL of a dashboard started with `npm start` on this data folder, if it is still running. */
async function runningAppUrl(dataDir: string): Promise<string | null> {
  const file = path.join(dataDir, "runtime.json");
  if (!fs.existsSync(file)) return null;
  try {
    const runtime = JSON.parse(fs.readFileSync(file, "utf8")) as { databaseUrl?: string; pid?: number };
    if (!runtime.databaseUrl || !runtime.pid || !processAlive(runtime.pid)) return null;
    return (await reachable(runtime.databaseUrl)) ? runtime.databaseUrl : null;
  } catch {
    return null;
  }
}

export async function openCliDatabase({ migrate = false, log = () => undefined }: OpenCliDatabaseOptions = {}): Promise<CliDatabase> {
  const env = parseEnv();
  const noop = async () => undefined;
  if (env.DATABASE_URL) {
    if (migrate) {
      const m = (await prepareDatabase(databaseRoles({ env }))).migrations;
      if (m.applied.length) log(`database schema: applied ${m.applied.join(", ")}`);
    }
    return { url: env.DATABASE_URL, source: "env", close: noop };
  }
  const dir = resolveDataDir(env);
  const running = await runningAppUrl(dir);
  if (running) {
    log("using the embedded PostgreSQL of the running dashboard");
    return { url: running, source: "running-app", close: noop };
  }
  log(`starting the embedded PostgreSQL (data in ${path.join(dir, "pg")})…`);
  const { pgPassword, pgAppPassword } = loadOrCreateSecrets(dir);
  const embedded = await startEmbeddedPostgres({ dataDir: dir, password: pgPassword, port: env.SESSIONPROOF_PG_PORT });
  try {
    // Migrated as the owner; the command runs as the app's own role, as the dashboard does.
    const database = await prepareDatabase(databaseRoles({ embedded: { url: embedded.url, appPassword: pgAppPassword }, env }));
    if (database.migrations.applied.length) log(`database schema: applied ${database.migrations.applied.join(", ")}`);
    return { url: database.url, source: "embedded", close: () => embedded.stop() };
  } catch (err) {
    await embedded.stop();
    throw err;
  }
}
