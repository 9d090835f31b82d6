import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { withTransaction } from "./transaction";

// Applies prisma/migrations/<name>/migration.sql in order and records each in Prisma's own
// _prisma_migrations table (same columns, same checksum), so that `prisma migrate status` agrees wherever
// the Prisma CLI can run. Prisma's migrate CLI cannot run on this machine (DESIGN §5), hence this.
const MIGRATIONS_DIR = path.resolve(process.cwd(), "prisma", "migrations");

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

// An arbitrary constant: concurrent starts against one database take turns.
const LOCK_KEY = 72707369;

export type Migration = { name: string; sql: string; checksum: string };

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: crypto.createHash("sha256").update(sql).digest("hex") };
    });
}

export type MigrateResult = { applied: string[]; alreadyApplied: number; checksumMismatches: string[] };

export async function applyMigrations(url: string, dir = MIGRATIONS_DIR): Promise<MigrateResult> {
  const client = new pg.Client({ connectionString: url, application_name: "sessionproof-migrate" });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    // Created only when missing: the app's role may read it (the CLI checks for pending migrations) but not create it.
    const table = await client.query<{ t: string | null }>(`SELECT to_regclass('"_prisma_migrations"')::text AS t`);
    if (table.rows[0].t === null) await client.query(CREATE_TABLE);
    const done = await client.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const appliedByName = new Map(done.rows.map((r) => [r.migration_name, r.checksum]));
    const result: MigrateResult = { applied: [], alreadyApplied: 0, checksumMismatches: [] };
    for (const m of listMigrations(dir)) {
      const known = appliedByName.get(m.name);
      if (known !== undefined) {
        result.alreadyApplied++;
        if (known !== m.checksum) result.checksumMismatches.push(m.name);
        continue;
      }
      const id = crypto.randomUUID();
      try {
        await withTransaction(
          async () => {
            await client.query(m.sql);
            await client.query(
              `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
               VALUES ($1, $2, $3, now(), now(), 1)`,
              [id, m.checksum, m.name],
            );
          },
          { client },
        );
      } catch (err) {
        const hint =
          (err as { code?: string }).code === "42501"
            ? " (this role may not change the schema: run migrations as its owner, with SESSIONPROOF_OWNER_DATABASE_URL; see README, Database roles)"
            : "";
        throw new Error(`Migration ${m.name} failed: ${(err as Error).message}${hint}`, { cause: err });
      }
      result.applied.push(m.name);
    }
    return result;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}
