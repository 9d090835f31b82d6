import crypto from "node:crypto";
import pg from "pg";
import { afterAll, inject } from "vitest";
import { closeDb } from "../lib/db";

// Per test file: a fresh database cloned from the migrated template; DATABASE_URL points lib/db at it.
const adminUrl = inject("adminUrl");
const templateDb = inject("templateDb");
const name = `sessionproof_test_${crypto.randomBytes(6).toString("hex")}`;

const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${templateDb}"`);
await admin.end();

const url = new URL(adminUrl);
url.pathname = `/${name}`;
process.env.DATABASE_URL = url.toString();
process.env.TEST_DATABASE_NAME = name;

afterAll(async () => {
  await closeDb();
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await c.end();
});
