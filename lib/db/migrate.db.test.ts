import { describe, expect, it, inject } from "vitest";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { applyMigrations, listMigrations } from "./migrate";

async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = inject("adminUrl");
  const name = `sessionproof_test_m_${crypto.randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

describe("applyMigrations", () => {
  it("applies every migration once and records it the way Prisma does", async () => {
    const { url, drop } = await freshDatabase();
    try {
      const first = await applyMigrations(url);
      expect(first.applied).toEqual(listMigrations().map((m) => m.name));
      const again = await applyMigrations(url);
      expect(again.applied).toEqual([]);
      expect(again.alreadyApplied).toBe(first.applied.length);
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      const rows = (await c.query(`SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations"`)).rows;
      await c.end();
      const expected = listMigrations()[0];
      expect(rows[0].migration_name).toBe(expected.name);
      expect(rows[0].checksum).toBe(
        crypto
          .createHash("sha256")
          .update(fs.readFileSync(`prisma/migrations/${expected.name}/migration.sql`))
          .digest("hex"),
      );
      expect(rows[0].finished_at).toBeInstanceOf(Date);
      expect(rows[0].applied_steps_count).toBe(1);
    } finally {
      await drop();
    }
  });

  it("reports a migration that changed after it was applied, and rolls back a failing one", async () => {
    const { url, drop } = await freshDatabase();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sp-mig-"));
    try {
      fs.mkdirSync(path.join(dir, "20260101000000_a"));
      fs.writeFileSync(path.join(dir, "20260101000000_a", "migration.sql"), "CREATE TABLE a (id int);");
      expect((await applyMigrations(url, dir)).applied).toEqual(["20260101000000_a"]);
      fs.writeFileSync(path.join(dir, "20260101000000_a", "migration.sql"), "CREATE TABLE a (id bigint);");
      fs.mkdirSync(path.join(dir, "20260102000000_b"));
      fs.writeFileSync(path.join(dir, "20260102000000_b", "migration.sql"), "CREATE TABLE b (id int); SELECT no_such_function();");
      await expect(applyMigrations(url, dir)).rejects.toThrow(/Migration 20260102000000_b failed/);
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      const b = await c.query(`SELECT to_regclass('public.b') AS t`);
      expect(b.rows[0].t).toBeNull();
      await c.end();
      fs.writeFileSync(path.join(dir, "20260102000000_b", "migration.sql"), "CREATE TABLE b (id int);");
      const r = await applyMigrations(url, dir);
      expect(r.applied).toEqual(["20260102000000_b"]);
      expect(r.checksumMismatches).toEqual(["20260101000000_a"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await drop();
    }
  });
});
