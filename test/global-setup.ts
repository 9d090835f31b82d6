import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, type EmbeddedDb } from "../lib/db/embedded";
import { applyMigrations } from "../lib/db/migrate";
import { processAlive } from "../lib/db/process-alive";

export const TEMPLATE_DB = "sessionproof_test_template";

declare module "vitest" {
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions -- module augmentation needs an interface
  export interface ProvidedContext {
    adminUrl: string;
    templateDb: string;
  }
}

let embedded: EmbeddedDb | null = null;
let clusterDir: string | null = null;

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

// Starts (or connects to) the PostgreSQL server for the whole run and builds one migrated template database
// that every test file clones.
export async function setup(project: TestProject) {
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) {
    console.log(`[test] using the PostgreSQL server at TEST_DATABASE_URL`);
  } else {
    // One cluster per run (test runs may overlap); clusters of runs whose process is gone are removed.
    const root = path.resolve(".tmp");
    fs.mkdirSync(root, { recursive: true });
    for (const entry of fs.readdirSync(root)) {
      const pid = Number(entry.match(/^test-pg-(\d+)$/)?.[1]);
      if (pid && !processAlive(pid)) fs.rmSync(path.join(root, entry), { recursive: true, force: true });
    }
    const dir = path.join(root, `test-pg-${process.pid}`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true, mode: 0o711 });
    clusterDir = dir;
    fs.chmodSync(path.resolve(".tmp"), 0o711);
    embedded = await startEmbeddedPostgres({ dataDir: dir, password: "test-only-password", database: "postgres" });
    adminUrl = embedded.url;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const version = await admin.query<{ server_version: string }>("SHOW server_version");
  console.log(`[test] PostgreSQL ${version.rows[0].server_version}`);
  // Databases left by an interrupted run of this suite on a shared server.
  const stale = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'sessionproof_test_%'");
  for (const r of stale.rows) await admin.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${TEMPLATE_DB}"`);
  await admin.end();
  await applyMigrations(withDatabase(adminUrl, TEMPLATE_DB));
  project.provide("adminUrl", adminUrl);
  project.provide("templateDb", TEMPLATE_DB);
}

export async function teardown() {
  if (embedded) {
    await embedded.stop();
    if (clusterDir) fs.rmSync(clusterDir, { recursive: true, force: true });
  } else if (process.env.TEST_DATABASE_URL) {
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${TEMPLATE_DB}" WITH (FORCE)`);
    await admin.end();
  }
}
