import pg from "pg";
import { applyMigrations, type MigrateResult } from "./migrate";

// Two database roles. The owner owns the schema: migrations run as it, and only it (or a superuser) can disable,
// drop or replace the triggers that keep the ledger append-only and legal holds in force. The app connects as a
// login role that owns nothing and has only the table privileges below, so whoever holds the app's credentials
// cannot switch those triggers off (ALTER TABLE ... DISABLE TRIGGER and CREATE OR REPLACE FUNCTION need the owner;
// SET session_replication_role needs a superuser).
//
// The embedded PostgreSQL's superuser is the owner there; the app role APP_ROLE is created at start-up with a
// password kept in the data folder. With DATABASE_URL (your own server) you create the app role and set
// SESSIONPROOF_OWNER_DATABASE_URL to the owner's URL: migrations run with it and the grants are applied to
// DATABASE_URL's role after each run. `npm run cli -- db grants` prints them for those who migrate by other means.

/** The login role the app uses on the embedded PostgreSQL. */
export const APP_ROLE = "sessionproof_app";

/**
 * Tables whose rows are kept for good: the app may read them and add rows, never delete any, and change only the
 * columns named (a purge clears a raw record's payload; the audit flush links an entry to its ledger leaf; a hold
 * is released). Every other table of the schema gets SELECT, INSERT, UPDATE and DELETE. A table a migration makes
 * append-only by trigger belongs here too (app-role.db.test.ts fails until it is).
 */
export const APPEND_ONLY: Readonly<Record<string, readonly string[]>> = {
  raw_record: ["payload", "purgedAt"],
  ledger_checkpoint: [],
  ledger_subtree: [],
  ledger_batch: [],
  ledger_key: [],
  audit_log: ["rawRecordId"],
  legal_hold: ["releasedById", "releasedAt", "releaseReason"],
  case_item_evidence: [],
};

/** Read only: the migration runner's record (the CLI checks it for pending migrations). */
export const READ_ONLY = ["_prisma_migrations"] as const;

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * The statements that give `role` exactly the app's privileges on `schema`, to run as the schema's owner after
 * every migration run (they start from nothing, so running them again is harmless). The default privileges cover
 * tables a later migration creates, until the next run puts the exceptions above on them too.
 */
export function appGrantsSql(role: string, schema = "public"): string[] {
  const r = ident(role);
  const s = ident(schema);
  const table = (t: string) => `${s}.${ident(t)}`;
  const keep = Object.keys(APPEND_ONLY).map(table).join(", ");
  return [
    `GRANT USAGE ON SCHEMA ${s} TO ${r}`,
    `REVOKE ALL ON ALL TABLES IN SCHEMA ${s} FROM ${r}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${r}`,
    `REVOKE INSERT, UPDATE, DELETE ON ${READ_ONLY.map(table).join(", ")} FROM ${r}`,
    `REVOKE UPDATE, DELETE ON ${keep} FROM ${r}`,
    ...Object.entries(APPEND_ONLY)
      .filter(([, columns]) => columns.length > 0)
      .map(([t, columns]) => `GRANT UPDATE (${columns.map(ident).join(", ")}) ON ${table(t)} TO ${r}`),
    // setval: the ledger reserves a block of raw_record ids at once.
    `REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${s} FROM ${r}`,
    `GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${s} TO ${r}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${r}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${r}`,
  ];
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: "sessionproof-migrate" });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Applies appGrantsSql for `role` in one transaction, connected as the owner. */
export async function grantAppRole(ownerUrl: string, role: string): Promise<void> {
  await withClient(ownerUrl, async (c) => {
    const schema = (await c.query<{ s: string }>(`SELECT current_schema() AS s`)).rows[0].s;
    await c.query("BEGIN");
    try {
      for (const statement of appGrantsSql(role, schema)) await c.query(statement);
      await c.query("COMMIT");
    } catch (err) {
      await c.query("ROLLBACK").catch(() => undefined);
      throw err;
    }
  });
}

/**
 * Creates the login role (or brings an existing one back to these attributes and this password): no superuser,
 * no role or database creation, no replication, no row-level-security bypass, and no inherited membership.
 * Needs an owner that may create roles (the embedded superuser).
 */
export async function ensureLoginRole(ownerUrl: string, role: string, password: string): Promise<void> {
  await withClient(ownerUrl, async (c) => {
    const exists = (await c.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [role])).rowCount === 1;
    if (!exists) {
      try {
        await c.query(`CREATE ROLE ${ident(role)} LOGIN`);
      } catch (err) {
        // Another start (a parallel test run on the same server) created it first.
        if ((err as { code?: string }).code !== "42710") throw err;
      }
    }
    await c.query(
      `ALTER ROLE ${ident(role)} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT PASSWORD ${c.escapeLiteral(password)}`,
    );
  });
}

/** `url` with another user and password. */
export function withCredentials(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
}

export type PrepareDatabaseOptions = {
  /** The schema owner's URL: migrations run with it. */
  ownerUrl: string;
  /** The app's URL when it is not the owner (DATABASE_URL with SESSIONPROOF_OWNER_DATABASE_URL): its role is granted. */
  appUrl?: string;
  /** Creates the login role `role` with this password (the embedded PostgreSQL) and returns its URL. */
  createRole?: { role: string; password: string };
};

export type PreparedDatabase = {
  /** The URL the app connects with. */
  url: string;
  migrations: MigrateResult;
};

/**
 * Who migrates and who the app is: the embedded server's superuser and APP_ROLE (created with the password kept in
 * the data folder), or SESSIONPROOF_OWNER_DATABASE_URL (else DATABASE_URL itself) and DATABASE_URL.
 */
export function databaseRoles(opts: {
  embedded?: { url: string; appPassword: string };
  env: { DATABASE_URL?: string; SESSIONPROOF_OWNER_DATABASE_URL?: string };
}): PrepareDatabaseOptions {
  if (opts.embedded) return { ownerUrl: opts.embedded.url, createRole: { role: APP_ROLE, password: opts.embedded.appPassword } };
  const appUrl = opts.env.DATABASE_URL;
  if (!appUrl) throw new Error("DATABASE_URL is not set and no embedded PostgreSQL was started.");
  return { ownerUrl: opts.env.SESSIONPROOF_OWNER_DATABASE_URL ?? appUrl, appUrl };
}

/**
 * Migrates as the owner, then makes the app's role: created (embedded), granted (a separate DATABASE_URL role),
 * or, with one URL for both, left as it is (the app then runs as the owner; see ownerWarning).
 */
export async function prepareDatabase({ ownerUrl, appUrl, createRole }: PrepareDatabaseOptions): Promise<PreparedDatabase> {
  const migrations = await applyMigrations(ownerUrl);
  if (createRole) {
    await ensureLoginRole(ownerUrl, createRole.role, createRole.password);
    await grantAppRole(ownerUrl, createRole.role);
    return { url: withCredentials(ownerUrl, createRole.role, createRole.password), migrations };
  }
  if (appUrl && appUrl !== ownerUrl) {
    const role = decodeURIComponent(new URL(appUrl).username);
    const owner = decodeURIComponent(new URL(ownerUrl).username);
    if (role && role !== owner) await grantAppRole(ownerUrl, role);
    return { url: appUrl, migrations };
  }
  return { url: appUrl ?? ownerUrl, migrations };
}

/**
 * Why the role behind `url` could switch the protective triggers off (a superuser, or the owner of the tables or a
 * member of the owner's role), in words for a start-up warning; null when it cannot.
 */
export async function ownerWarning(url: string): Promise<string | null> {
  return withClient(url, async (c) => {
    const r = await c.query<{ user: string; superuser: boolean; owner: boolean }>(
      `SELECT current_user AS user, r.rolsuper AS superuser,
              EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = to_regclass('raw_record') AND pg_has_role(current_user, c.relowner, 'USAGE')) AS owner
         FROM pg_roles r WHERE r.rolname = current_user`,
    );
    const { user, superuser, owner } = r.rows[0];
    if (!superuser && !owner) return null;
    return (
      `the app connects as "${user}", ${superuser ? "a superuser" : "the owner of the tables"}, which could switch off the triggers that keep ` +
      "the ledger append-only and legal holds in force. Connect the app as a role without those rights and run migrations as the owner " +
      "(SESSIONPROOF_OWNER_DATABASE_URL): see README, Database roles"
    );
  });
}
