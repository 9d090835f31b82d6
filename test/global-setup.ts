import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, type EmbeddedDb } from "../lib/db/embedded";
import { processAlive } from "../lib/db/process-alive";
import { prepareDatabase } from "../lib/db/app-role";

export const TEMPLATE_DB = "sessionproof_test_template";
// The tests' app role, as the embedded start creates sessionproof_app: lib/ connects as it (test/setup-db.ts), so
// every db test also proves that the app's grants suffice. Roles are per server: on a shared TEST_DATABASE_URL
// server it is created once and kept (parallel runs share it).
const APP_ROLE = { role: "sessionproof_test_app", password: "test-only-app-password" };

declare module "vitest" {
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions -- module augmentation needs an interface
  export interface ProvidedContext {
    adminUrl: string;
    templateDb: string;
    /** The app role's credentials; null when the server's admin user may not create roles. */
    appRole: { role: string; password: string } | null;
    /** Why there is no app role (then lib/ connects as the admin user and the least-privilege tests are skipped). */
    appRoleUnavailable: string | null;
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
  const templateUrl = withDatabase(adminUrl, TEMPLATE_DB);
  let appRoleUnavailable: string | null = null;
  try {
    await prepareDatabase({ ownerUrl: templateUrl, createRole: APP_ROLE });
  } catch (err) {
    if ((err as { code?: string }).code !== "42501") throw err;
    appRoleUnavailable = `the TEST_DATABASE_URL user may not create the role ${APP_ROLE.role}: ${(err as Error).message}`;
    console.log(`[test] ${appRoleUnavailable}; the tests connect as that user`);
  }
  project.provide("adminUrl", adminUrl);
  project.provide("templateDb", TEMPLATE_DB);
  project.provide("appRole", appRoleUnavailable ? null : APP_ROLE);
  project.provide("appRoleUnavailable", appRoleUnavailable);
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
