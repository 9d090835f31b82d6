// `npm start`: the whole quick start in one command. Builds when the build is missing or older than the
// sources, starts the embedded PostgreSQL (unless DATABASE_URL is set), applies migrations as the schema's owner and
// connects everything else as the app's own role, creates the first administrator, then serves the dashboard with
// `next start` and stops everything cleanly on Ctrl-C.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseEnv, EnvError, dataDir as resolveDataDir } from "../lib/env";
import { loadOrCreateSecrets } from "../lib/secrets";
import { portIsFree, startEmbeddedPostgres, superviseEmbedded, type EmbeddedDb } from "../lib/db/embedded";
import { createRequire } from "node:module";
import { databaseRoles, ownerWarning, prepareDatabase } from "../lib/db/app-role";
import { CORRELATION_NODE_FLAGS } from "../lib/correlation/engine/node-flags";
import { buildIsStale } from "./lib/build";

const args = new Set(process.argv.slice(2));
const dev = args.has("--dev");
const log = (msg: string) => console.log(`[sessionproof] ${msg}`);

async function main() {
  let env;
  try {
    env = parseEnv();
  } catch (e) {
    if (e instanceof EnvError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  if (!(await portIsFree(env.PORT))) {
    console.error(
      `[sessionproof] port ${env.PORT} is already in use (another Sessionproof or another server?). ` +
        "Stop it, or start on another port: PORT=3001 npm start",
    );
    process.exit(2);
  }
  const dataDir = resolveDataDir(env);
  const secrets = loadOrCreateSecrets(dataDir);
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
  if (!env.NEXTAUTH_SECRET) childEnv.NEXTAUTH_SECRET = secrets.nextauthSecret;
  childEnv.NEXTAUTH_URL = env.NEXTAUTH_URL ?? `http://localhost:${env.PORT}`;
  childEnv.SESSIONPROOF_DATA_DIR = dataDir;

  if (!dev && buildIsStale()) {
    log("building the dashboard (first start or sources changed; about 30 s)…");
    const r = spawnSync("npx", ["--no-install", "next", "build"], { stdio: "inherit", env: { ...childEnv, NODE_ENV: "production" } });
    if (r.status !== 0) {
      console.error("[sessionproof] the build failed; see the messages above.");
      process.exit(1);
    }
  }

  let embedded: EmbeddedDb | null = null;
  if (!env.DATABASE_URL) {
    log(`starting the embedded PostgreSQL (data in ${path.join(dataDir, "pg")})…`);
    embedded = await startEmbeddedPostgres({ dataDir, password: secrets.pgPassword, port: env.SESSIONPROOF_PG_PORT });
  } else {
    log("using the PostgreSQL server named by DATABASE_URL");
  }

  let child: ChildProcess | null = null;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (child && child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((r) => child!.once("exit", r));
    }
    const { closeDb } = await import("../lib/db");
    await closeDb();
    if (embedded) {
      log("stopping the embedded PostgreSQL…");
      await embedded.stop();
    }
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  // A crashed or killed embedded PostgreSQL is started again; one that keeps dying stops everything with a message.
  if (embedded) {
    superviseEmbedded({
      db: embedded,
      log,
      giveUp: (message) => {
        console.error(`[sessionproof] ${message}`);
        void stop(1);
      },
    });
  }

  try {
    // Migrations run as the schema's owner; the web server and everything below connect as the app's own role,
    // which cannot switch off the ledger's and the legal holds' triggers (lib/db/app-role.ts).
    const database = await prepareDatabase(
      databaseRoles({ embedded: embedded ? { url: embedded.url, appPassword: secrets.pgAppPassword } : undefined, env }),
    );
    const m = database.migrations;
    if (m.applied.length) log(`database schema: applied ${m.applied.join(", ")}`);
    for (const name of m.checksumMismatches) log(`warning: migration ${name} changed after it was applied`);
    childEnv.DATABASE_URL = database.url;
    process.env.DATABASE_URL = database.url;
    if (embedded) {
      fs.writeFileSync(path.join(dataDir, "runtime.json"), JSON.stringify({ databaseUrl: database.url, pid: process.pid }), {
        mode: 0o600,
      });
    }
    const risk = await ownerWarning(database.url);
    if (risk) log(`warning: ${risk}`);

    // Batches a stopped process left "running" (a crash, a kill) are marked interrupted, with their counts and what to do.
    const { markInterruptedBatches } = await import("../lib/ingest/interrupted-batches");
    const interrupted = await markInterruptedBatches();
    for (const b of interrupted) {
      log(`ingest of ${b.fileName} was interrupted (${b.read} records committed); ingest the file again to finish it`);
    }

    // The checkpoint signing key exists from the first start, so Settings can show its fingerprint at once.
    process.env.SESSIONPROOF_DATA_DIR = dataDir;
    const { loadOrCreateSigningKey } = await import("../lib/ledger/signing-key");
    const key = await loadOrCreateSigningKey({ dataDir });
    log(
      `ledger signing key ${key.keyId}, fingerprint ${key.fingerprint} (${key.source === "env" ? "from SESSIONPROOF_LEDGER_PRIVATE_KEY" : key.file})`,
    );
    const { checkpointLogPath } = await import("../lib/ledger/checkpoint-log");
    const checkpointLog = checkpointLogPath();
    log(
      checkpointLog
        ? `ledger checkpoints are also appended to ${checkpointLog}: copy it somewhere the database's administrators cannot reach`
        : "warning: SESSIONPROOF_CHECKPOINT_LOG=off: no checkpoint is kept outside the database (a rollback of it would go unnoticed)",
    );

    // Audit entries committed after the last (debounced) flush before the server stopped go into the ledger now,
    // before the server takes requests. A failure is reported and retried by the next flush; it does not stop start-up.
    const { flushAuditToLedger } = await import("../lib/audit/flush-audit-to-ledger");
    const flushed = await flushAuditToLedger().catch((e: Error) => {
      log(`warning: could not flush the audit trail into the ledger (retried on the next entry): ${e.message}`);
      return 0;
    });
    if (flushed > 0) log(`audit trail: appended ${flushed} pending entr${flushed === 1 ? "y" : "ies"} to the ledger`);

    const { bootstrapAdmin } = await import("../lib/users/bootstrap-admin");
    const boot = await bootstrapAdmin({ email: env.SESSIONPROOF_ADMIN_EMAIL, password: env.SESSIONPROOF_ADMIN_PASSWORD });
    if (boot.created && boot.generatedPassword) {
      const line = "=".repeat(72);
      console.log(`\n${line}\n  First start: an administrator account was created.\n`);
      console.log(`    email:    ${boot.email}\n    password: ${boot.generatedPassword}\n`);
      console.log(`  This password is shown only once. Sign in and change it, or add users in Settings.\n${line}\n`);
    } else if (boot.created) {
      log(`created the administrator ${boot.email} from SESSIONPROOF_ADMIN_EMAIL`);
    }

    // An empty database gets the demo dataset, so the quick start shows real sessions (unless asked not to).
    if (args.has("--empty") || env.SESSIONPROOF_DEMO === "off") {
      log("starting without demo data (--empty / SESSIONPROOF_DEMO=off)");
    } else {
      const { loadDemoIfEmpty } = await import("../lib/demo/load-demo");
      const demo = await loadDemoIfEmpty({ dataDir, log });
      if (demo.loaded) {
        log(
          `loaded the demo dataset: ${demo.stored} records stored (${demo.quarantined} quarantined) from ${demo.files} files, ` +
            `${demo.sessions} sessions. It is fictional (Example Corp); to start empty, use a fresh data folder with SESSIONPROOF_DEMO=off.`,
        );
      }
    }
  } catch (e) {
    console.error(`[sessionproof] start-up failed: ${(e as Error).message}`);
    await stop(1);
    return;
  }

  // Run Next's own entry point under this Node (not through npx), so that stopping reaches the server itself.
  const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
  // The server runs the background correlation after each ingest: give it the engine's V8 flags.
  // The peer-address stamp (scripts/peer-address.mjs) gives the app the connection's address, which Next does not
  // pass to route handlers; sign-in throttling and the audit trail rely on it. The method guard answers TRACE and its
  // kind with 405 before Next turns them into a 500 (scripts/http-method-guard.mjs).
  const peerStamp = `--import=${pathToFileURL(path.resolve(import.meta.dirname, "peer-address.mjs")).href}`;
  const methodGuard = `--import=${pathToFileURL(path.resolve(import.meta.dirname, "http-method-guard.mjs")).href}`;
  const nextArgs = [
    ...CORRELATION_NODE_FLAGS,
    peerStamp,
    methodGuard,
    nextBin,
    dev ? "dev" : "start",
    "-p",
    String(env.PORT),
    "-H",
    env.SESSIONPROOF_HOST,
  ];
  child = spawn(process.execPath, nextArgs, {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...childEnv, NODE_ENV: dev ? "development" : "production" },
  });
  log(`Sessionproof is starting at ${childEnv.NEXTAUTH_URL} (Ctrl-C stops it and its database)`);
  child.on("exit", (code) => {
    if (!stopping) {
      log(`the web server exited (${code}); stopping`);
      void stop(code ?? 1);
    }
  });
}

main().catch((e) => {
  console.error("[sessionproof] start-up failed:", e);
  process.exit(1);
});
