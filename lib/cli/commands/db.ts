import { parseArgs } from "node:util";
import { APP_ROLE, appGrantsSql } from "@/lib/db/app-role";
import { UsageError, type CliCommand, type CliIo } from "../command";

// For your own PostgreSQL: the SQL that gives the app's role exactly what it needs, for those who run migrations
// by other means than `npm start` (which applies it itself when SESSIONPROOF_OWNER_DATABASE_URL is set).

const grantsCmd: CliCommand = {
  name: "db grants",
  summary: "Print the SQL that grants the app's database role what it needs (for your own PostgreSQL)",
  usage: "[--role NAME] [--schema NAME]",
  help: [
    "Prints GRANT statements for the role DATABASE_URL connects as: SELECT, INSERT, UPDATE, DELETE on every table,",
    "except the ledger, the audit trail and legal holds (read and add only, plus the columns a purge, the audit flush",
    "and a release change), and the default privileges for tables later migrations create. Run it as the schema's",
    "owner after every migration. The role must exist, own nothing and be no superuser (README, Database roles).",
    `  --role NAME     the app's role (default ${APP_ROLE})`,
    "  --schema NAME   the schema Sessionproof's tables are in (default public)",
  ].join("\n"),
  database: "none",
  async run(args, io: CliIo) {
    let values: { role?: string; schema?: string };
    try {
      values = parseArgs({
        args,
        options: { role: { type: "string" }, schema: { type: "string" } },
        allowPositionals: false,
        strict: true,
      }).values;
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const role = values.role ?? APP_ROLE;
    const schema = values.schema ?? "public";
    io.out(
      [
        `-- Sessionproof: the privileges of the app's role ${role} on schema ${schema}.`,
        "-- Run as the schema's owner after every migration (running it again is harmless). Create the role first:",
        `--   CREATE ROLE ${role} LOGIN PASSWORD '...' NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT;`,
        "BEGIN;",
        ...appGrantsSql(role, schema).map((s) => `${s};`),
        "COMMIT;",
      ].join("\n"),
    );
    return 0;
  },
};

export const dbCommands: readonly CliCommand[] = [grantsCmd];
