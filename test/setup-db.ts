import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, inject } from "vitest";
import { closeDb } from "../lib/db";
import { withCredentials } from "../lib/db/app-role";

// Per test file: a fresh database cloned from the migrated template; DATABASE_URL points lib/db at it, as the app's
// own role (as `npm start` runs it), and TEST_OWNER_DATABASE_URL at it as the owner (test/owner-db.ts), for tests
// that change the schema or play an attacker with the owner's rights.
const adminUrl = inject("adminUrl");
const templateDb = inject("templateDb");
const appRole = inject("appRole");
const name = `sessionproof_test_${crypto.randomBytes(6).toString("hex")}`;

const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${templateDb}"`);
await admin.end();

const url = new URL(adminUrl);
url.pathname = `/${name}`;
process.env.TEST_OWNER_DATABASE_URL = url.toString();
process.env.DATABASE_URL = appRole ? withCredentials(url.toString(), appRole.role, appRole.password) : url.toString();
process.env.TEST_DATABASE_NAME = name;
// Keys and other files the code keeps in the data folder go to a throwaway folder, never the real ./data.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sessionproof-test-data-"));
process.env.SESSIONPROOF_DATA_DIR = dataDir;

afterAll(async () => {
  await closeDb();
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await c.end();
  fs.rmSync(dataDir, { recursive: true, force: true });
});
