// Evidence export benchmark: in a fresh database, N synthetic Okta sign-ins (ingested through the real pipeline, in
// sessions of 1,000 events) plus unrelated GitHub noise, correlated; a case citing every Okta session (N events);
// then the export to a zip file (timed, peak RSS of this process) and `node verify.mjs` on the unzipped package
// (timed, peak RSS of the verifier process).
//   npm run bench -- export [--events N] [--session-size S] [--noise M] [--repeat K]
// Targets: export of 100,000 events <= 5 s, verify <= 3 s, memory bounded.
// Printed besides the times: the CPU seconds of the export process (all its threads) and of PostgreSQL, and the
// phases of the median run that took 0.1 s or more (lib/export/export-case.ts ExportTimings).
// For profiling: BENCH_EXPORT_PROF=<dir> (V8 CPU profiles of the export children), BENCH_EXPORT_STDERR=1 (their
// stderr), BENCH_HOLD=<file> (at the end, write the database URL and case id to <file> and keep the database up
// until the file is deleted, to run an export or a query against the same data again).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { benchDatabase, rssSampler } from "./database";
import { forCli, fromSessionUser, system } from "../../lib/context/request-context";
import { github, okta } from "./synthetic";

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

const BENCH_USER = "bench@example.test";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function* jsonArray(count: number, record: (i: number) => unknown): Generator<string> {
  yield "[\n";
  let buf = "";
  for (let i = 0; i < count; i++) {
    buf += (i ? ",\n" : "") + JSON.stringify(record(i));
    if (buf.length > 1 << 20) {
      yield buf;
      buf = "";
    }
  }
  yield buf + "\n]\n";
}

// The timed export runs in a fresh child process (as `npm run cli -- export` would), so that neither the setup's
// heap nor its warm caches flatter the figures: `--child <caseId> <zip> <level>` with DATABASE_URL set.
// CPU seconds PostgreSQL has used: the postmaster's own and its exited children's (a backend's time lands there when
// it exits), plus the living children's. Linux /proc only; null elsewhere.
function postgresCpuSecs(postmaster: number): number | null {
  const tick = 100; // USER_HZ on Linux
  const stat = (pid: number) =>
    fs
      .readFileSync(`/proc/${pid}/stat`, "utf8")
      .replace(/^.*\) /, "")
      .split(" ")
      .map(Number);
  try {
    const pm = stat(postmaster); // fields from state (index 0 = field 3): utime 11, stime 12, cutime 13, cstime 14
    let ticks = pm[11] + pm[12] + pm[13] + pm[14];
    for (const d of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(d)) continue;
      try {
        const f = stat(Number(d));
        if (f[1] === postmaster) ticks += f[11] + f[12];
      } catch {
        // exited meanwhile
      }
    }
    return ticks / tick;
  } catch {
    return null;
  }
}

async function child(args: string[]) {
  const [caseId, zipPath, level] = args;
  const { exportCase } = await import("../../lib/export/export-case");
  const { closeDb, pool } = await import("../../lib/db");
  const backend = (await pool().query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0].pid;
  const postmaster = Number(
    fs
      .readFileSync(`/proc/${backend}/stat`, "utf8")
      .replace(/^.*\) /, "")
      .split(" ")[1],
  );
  const pgBefore = postgresCpuSecs(postmaster);
  const cpuBefore = process.cpuUsage();
  const rss = rssSampler();
  const t = performance.now();
  const timings: { phase: string; ms: number }[] = [];
  const r = await exportCase({
    ctx: forCli("bench", "bench-host"),
    caseId,
    output: fs.createWriteStream(zipPath),
    compressionLevel: Number(level),
    timings,
  });
  const secs = (performance.now() - t) / 1000;
  rss.stop();
  const cpu = process.cpuUsage(cpuBefore);
  await closeDb();
  await new Promise((res) => setTimeout(res, 300)); // the backends exit and are reaped
  const pgAfter = postgresCpuSecs(postmaster);
  const pgCpuSecs = pgBefore === null || pgAfter === null ? null : pgAfter - pgBefore;
  console.log(JSON.stringify({ secs, peakMb: rss.peakMb(), nodeCpuSecs: (cpu.user + cpu.system) / 1e6, pgCpuSecs, timings, result: r }));
}

// BENCH_EXPORT_PROF=<dir>: the export children write V8 CPU profiles there (node --cpu-prof), for profiling.
function timedExport(url: string, dataDir: string, caseId: string, zipPath: string, level: number) {
  const prof = process.env.BENCH_EXPORT_PROF ? ["--cpu-prof", "--cpu-prof-dir", process.env.BENCH_EXPORT_PROF] : [];
  const r = spawnSync(
    process.execPath,
    [
      "--max-old-space-size=384",
      ...prof,
      "--import",
      "tsx",
      "--import",
      "./scripts/server-only.mjs",
      "scripts/bench.ts",
      "export",
      "--child",
      caseId,
      zipPath,
      String(level),
    ],
    {
      env: { ...process.env, DATABASE_URL: url, SESSIONPROOF_DATA_DIR: dataDir },
      encoding: "utf8",
    },
  );
  if (process.env.BENCH_EXPORT_STDERR) process.stderr.write(r.stderr);
  const line = r.stdout.trim().split("\n").pop() ?? "";
  if (r.status !== 0 || !line.startsWith("{")) throw new Error(`export child failed: ${r.stderr || r.stdout}`);
  return JSON.parse(line) as {
    secs: number;
    peakMb: number;
    timings: { phase: string; ms: number }[];
    nodeCpuSecs: number;
    pgCpuSecs: number | null;
    result: { folder: string; files: number; zipBytes: number; events: number; rawRecords: number; sessions: number; treeSize: number };
  };
}

export async function run(args: string[]) {
  if (args[0] === "--child") return child(args.slice(1));
  const n = arg(args, "--events", 100_000);
  const sessionSize = arg(args, "--session-size", 1_000);
  const noise = arg(args, "--noise", 20_000);
  const repeat = Math.max(1, arg(args, "--repeat", 1));
  const dir = path.resolve(".tmp", "bench-export");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });

  const db = await benchDatabase();
  process.env.DATABASE_URL = db.url;
  // No timed audit flushes in these processes (one could fire after the database stops): the entries reach the
  // ledger at the next checkpoint, which every export signs, and at the end of the run.
  process.env.SESSIONPROOF_AUDIT_AUTOFLUSH = "0";
  process.env.SESSIONPROOF_DATA_DIR = path.join(dir, "data");
  const { ingestStream } = await import("../../lib/ingest/ingest-stream");
  const { runCorrelation } = await import("../../lib/correlation/run-correlation");
  const { closeDb, db: prisma, pool } = await import("../../lib/db");
  const { createCase } = await import("../../lib/cases/create-case");
  const { addCaseItem } = await import("../../lib/cases/add-case-item");
  const { addItemInput, createCaseInput } = await import("../../lib/cases/types");
  const rss = rssSampler();
  try {
    // Setup (not timed): one Okta SSO session per `sessionSize` records (shared externalSessionId), GitHub noise.
    const t0 = performance.now();
    const oktaRec = (i: number) => {
      const r = okta(i);
      r.authenticationContext.externalSessionId = `102bench${String(Math.floor(i / sessionSize)).padStart(8, "0")}`;
      r.actor.alternateId = `user${Math.floor(i / sessionSize)}@example.com`;
      return r;
    };
    const a = await ingestStream({ input: Readable.from(jsonArray(n, oktaRec)), fileName: "okta-bench.json", via: "cli", ctx: system() });
    const b = await ingestStream({
      input: Readable.from(jsonArray(noise, (i) => github(1_000_000 + i))),
      fileName: "github-bench.json",
      via: "cli",
      ctx: system(),
    });
    const corr = await runCorrelation({ ctx: system() });
    const user = await prisma().user.create({ data: { email: BENCH_USER, role: "analyst" } });
    const ctx = fromSessionUser(user);
    const c = await createCase({ ctx, input: createCaseInput.parse({ title: `Benchmark: ${n} events` }) });
    const sessions = await pool().query<{ id: string }>(`SELECT id FROM session WHERE platform = 'okta' ORDER BY "startedAt"`);
    for (const s of sessions.rows)
      await addCaseItem({ ctx, caseId: c.id, input: addItemInput.parse({ itemType: "session", refId: s.id }) });
    // Right after a bulk load the planner has no statistics yet (autovacuum's ANALYZE follows within a minute on a
    // live system); measure the steady state, not that window.
    await pool().query("VACUUM ANALYZE");
    const cited = await pool().query<{ n: string }>(`SELECT count(*)::text AS n FROM event WHERE "sessionId" = ANY($1::uuid[])`, [
      sessions.rows.map((s) => s.id),
    ]);
    console.log(
      `setup: ${a.stored + b.stored} records ingested (${a.stored} okta, ${b.stored} github), ${corr.sessions} sessions; ` +
        `case #${c.number} cites ${sessions.rows.length} sessions = ${Number(cited.rows[0].n).toLocaleString()} events (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    );

    // 1. Export (timed, in a fresh process): collection, checkpoint, proofs, zip streamed to a file.
    // --repeat K: K exports (each in a fresh process) and K verifications; best and median are reported, since a
    // shared machine makes single figures noisy.
    const zipPath = path.join(dir, "export.zip");
    const runs = Array.from({ length: repeat }, () => timedExport(db.url, process.env.SESSIONPROOF_DATA_DIR!, c.id, zipPath, 1));
    const first = runs[runs.length - 1];
    const r = first.result;
    const exportSecs = median(runs.map((x) => x.secs));
    const exportPeak = Math.max(...runs.map((x) => x.peakMb));

    // 2. Unzip (not timed as part of verification), then `node verify.mjs` in the folder (timed).
    const t2 = performance.now();
    const unzip = spawnSync("unzip", ["-q", zipPath, "-d", path.join(dir, "out")], { encoding: "utf8" });
    if (unzip.status !== 0) throw new Error(`unzip failed: ${unzip.stderr}`);
    const unzipSecs = (performance.now() - t2) / 1000;
    const pkg = path.join(dir, "out", r.folder);
    const verifies = Array.from({ length: repeat }, () => {
      const t3 = performance.now();
      const out = spawnSync("/usr/bin/time", ["-f", "maxrss_kb=%M", process.execPath, "verify.mjs"], { cwd: pkg, encoding: "utf8" });
      return { out, secs: (performance.now() - t3) / 1000, rss: Math.round(Number(/maxrss_kb=(\d+)/.exec(out.stderr)?.[1] ?? 0) / 1024) };
    });
    const v = verifies.find((x) => x.out.status !== 0)?.out ?? verifies[0].out;
    const verifySecs = median(verifies.map((x) => x.secs));
    const verifyRss = Math.max(...verifies.map((x) => x.rss));
    const t4 = performance.now();
    const sums = spawnSync("sha256sum", ["-c", "--quiet", "SHA256SUMS"], { cwd: pkg, encoding: "utf8" });
    const sumsSecs = (performance.now() - t4) / 1000;
    const unpacked = spawnSync("du", ["-sb", pkg], { encoding: "utf8" }).stdout.split("\t")[0];

    // 3. The same export with every file stored (no compression), for comparison.
    const storedRun = timedExport(db.url, process.env.SESSIONPROOF_DATA_DIR!, c.id, path.join(dir, "export-stored.zip"), 0);
    const stored = storedRun.result;
    const storedSecs = storedRun.secs;
    const storedPeak = storedRun.peakMb;

    console.log("\n=== export benchmark");
    console.log(
      `case                    ${r.events.toLocaleString()} events, ${r.rawRecords.toLocaleString()} raw records, ${r.sessions} sessions, tree size ${r.treeSize.toLocaleString()}`,
    );
    const fmt = (xs: number[]) =>
      `best ${Math.min(...xs).toFixed(2)} s, median ${median(xs).toFixed(2)} s of ${xs.length}: ${xs.map((x) => x.toFixed(2)).join(" ")}`;
    console.log(`export runs             ${fmt(runs.map((x) => x.secs))}`);
    console.log(`verify runs             ${fmt(verifies.map((x) => x.secs))}`);
    console.log(
      `export (median)         ${exportSecs.toFixed(2)} s  (${r.files} files, zip ${(r.zipBytes / 1024 / 1024).toFixed(1)} MB, unzipped ${(Number(unpacked) / 1024 / 1024).toFixed(1)} MB)`,
    );
    console.log(`peak RSS (export)       ${exportPeak} MB`);
    // Where the median run's time went: the collection phases run side by side, the zip's files one after another.
    const mid = [...runs].sort((x, y) => x.secs - y.secs)[Math.floor((runs.length - 1) / 2)];
    console.log(
      `CPU (median run)        Node.js ${mid.nodeCpuSecs.toFixed(2)} s, PostgreSQL ${mid.pgCpuSecs === null ? "n/a" : `${mid.pgCpuSecs.toFixed(2)} s`} (Chromium not counted)`,
    );
    const slow = mid.timings.filter((x) => x.ms >= 100).sort((x, y) => y.ms - x.ms);
    console.log(`phases >= 0.1 s         ${slow.map((x) => `${x.phase} ${(x.ms / 1000).toFixed(2)} s`).join("; ")}`);
    console.log(
      `export, all stored      ${storedSecs.toFixed(2)} s  (zip ${(stored.zipBytes / 1024 / 1024).toFixed(1)} MB, peak RSS ${storedPeak} MB)`,
    );
    console.log(`unzip                   ${unzipSecs.toFixed(2)} s`);
    console.log(`verify.mjs (median)     ${verifySecs.toFixed(2)} s  exit ${v.status}, peak RSS ${verifyRss} MB`);
    console.log(`sha256sum -c            ${sumsSecs.toFixed(2)} s  exit ${sums.status}`);
    console.log(`targets                 export <= 5 s, verify <= 3 s`);
    if (v.status !== 0) console.log(v.stdout);
    if (process.env.BENCH_HOLD) {
      fs.writeFileSync(process.env.BENCH_HOLD, JSON.stringify({ url: db.url, caseId: c.id, dataDir: process.env.SESSIONPROOF_DATA_DIR }));
      while (fs.existsSync(process.env.BENCH_HOLD)) await new Promise((res) => setTimeout(res, 500));
    }
  } finally {
    rss.stop();
    // The setup's audit entries (case created, items added) go to the ledger now, not by a timer after the
    // database has stopped.
    const { flushAuditToLedger } = await import("../../lib/audit/flush-audit-to-ledger");
    await flushAuditToLedger().catch(() => undefined);
    await closeDb();
    await db.stop();
  }
}
