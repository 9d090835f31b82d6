// `npm run db:diff -- <migration_name> [--from <git-ref>]`: writes
// prisma/migrations/<timestamp>_<name>/migration.sql with the SQL that turns schema.prisma as it was at the
// git ref (default HEAD) into the working copy, computed by Prisma's own schema engine (wasm build). Review the
// file before committing it; test/schema-agreement.db.test.ts then checks the result against the database.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { diffSql, schemaTarget } from "./lib/schema-engine";
import { startEmbeddedPostgres } from "../lib/db/embedded";

async function main() {
  const argv = process.argv.slice(2);
  const name = argv.find((a) => !a.startsWith("--"));
  const fromIdx = argv.indexOf("--from");
  const ref = fromIdx >= 0 ? argv[fromIdx + 1] : "HEAD";
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    console.error("usage: npm run db:diff -- <migration_name> [--from <git-ref>]   (name: lower-case letters, digits, _)");
    process.exit(2);
  }
  const before = execFileSync("git", ["show", `${ref}:prisma/schema.prisma`], { encoding: "utf8" });
  const after = fs.readFileSync("prisma/schema.prisma", "utf8");
  // The engine insists on a reachable server even for a schema-to-schema diff: DATABASE_URL, or a throwaway
  // embedded one.
  let url = process.env.DATABASE_URL;
  let stop: (() => Promise<void>) | undefined;
  if (!url) {
    const dir = path.resolve(".tmp", "diff-pg");
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true, mode: 0o711 });
    fs.chmodSync(path.dirname(dir), 0o711);
    const pg = await startEmbeddedPostgres({ dataDir: dir, password: "diff-only", database: "postgres" });
    url = pg.url;
    stop = pg.stop;
  }
  const sql = await diffSql(schemaTarget(before), schemaTarget(after), url).finally(() => stop?.());
  if (!sql) {
    console.log(`prisma/schema.prisma has not changed since ${ref}; nothing to write.`);
    return;
  }
  const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const dir = path.join("prisma", "migrations", `${stamp}_${name}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "migration.sql"), sql + "\n");
  console.log(`Wrote ${dir}/migration.sql; review it before committing.`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
