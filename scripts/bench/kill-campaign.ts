// The kill -9 campaign (issue 17, "Done when"): a synthetic GitHub NDJSON export of N records is ingested by the real
// command line (`lib/cli/main.ts ingest`, as `npm run cli` runs it) in a child process, which is killed with SIGKILL
// five times at moments spread over the file; a last run then ingests the file to the end. Afterwards: every record
// of the file is stored once (none lost, none duplicated), every stored record has its event exactly once, no batch
// is left "running" (the next run marks the killed ones interrupted), and `ledger verify` passes.
//
// Used by lib/ingest/kill-campaign.db.test.ts (asserts the outcome) and `npm run bench -- killcampaign` (prints it,
// 100,000 records by default). Nothing here is timed as a verdict; the figures are printed for the reader.
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { github } from "./synthetic";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
/** The advisory lock space of ingest batches (lib/ingest/interrupted-batches.ts). */
const BATCH_LOCK_SPACE = 1_717_001;
const FILE_NAME = "github-audit-log.ndjson";

/**
 * When each of the five kills happens, as a share of the file: `stored` waits until that many distinct records are
 * in the database (over all runs), `read` until the running batch has read that many (the first share of a re-run is
 * records stored before, so this kill lands while duplicates are being recognised); then `delayMs` more, so that
 * the kill falls inside a chunk's work rather than right after its commit.
 */
export const KILL_PLAN: { stored?: number; read?: number; delayMs: number }[] = [
  { stored: 0.12, delayMs: 0 },
  { read: 0.06, delayMs: 40 },
  { stored: 0.4, delayMs: 120 },
  { stored: 0.65, delayMs: 260 },
  { stored: 0.85, delayMs: 60 },
];

export type CampaignRun = {
  /** "killed" when SIGKILL ended it, else its exit code. */
  ended: "killed" | number;
  /** Distinct records stored over all runs, and the running batch's read count, when the kill was sent. */
  storedAtKill?: number;
  readAtKill?: number;
  ms: number;
  stderr: string;
  stdout: string;
};

export type CampaignOutcome = {
  records: number;
  runs: CampaignRun[];
  /** The last run's result line for the file (read = stored + duplicate + quarantined). */
  final: { status?: string; read?: number; stored?: number; duplicate?: number; quarantined?: number } | null;
  stored: number;
  lost: number;
  duplicated: number;
  foreign: number;
  eventsTotal: number;
  recordsWithoutEvents: number;
  duplicatedEvents: number;
  batches: { status: string; count: number }[];
  ledgerVerifyExit: number | null;
  ledgerVerifyOutput: string;
  ms: number;
};

/** Writes N synthetic GitHub audit records as NDJSON and returns the SHA-256 of each line (the raw record's bytes). */
async function writeExport(file: string, records: number): Promise<Set<string>> {
  const hashes = new Set<string>();
  const out = fs.createWriteStream(file);
  let buf = "";
  for (let i = 0; i < records; i++) {
    const line = JSON.stringify(github(i));
    hashes.add(crypto.createHash("sha256").update(line).digest("hex"));
    buf += `${line}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once("drain", () => r()));
      buf = "";
    }
  }
  out.end(buf);
  await new Promise<void>((resolve, reject) => out.on("finish", resolve).on("error", reject));
  return hashes;
}

type Child = { pid: number; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>; out: () => string; err: () => string };

function cli(args: string[], env: NodeJS.ProcessEnv): Child {
  const child = spawn(
    process.execPath,
    ["--max-old-space-size=384", "--import", "tsx", "--import", "./scripts/server-only.mjs", "lib/cli/main.ts", ...args],
    { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal }));
  });
  return { pid: child.pid!, exited, out: () => stdout, err: () => stderr };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runKillCampaign({
  records,
  dir,
  appUrl,
  ownerUrl,
  dataDir,
  log = () => undefined,
}: {
  records: number;
  /** A scratch folder for the export file. */
  dir: string;
  /** The app's database URL (DATABASE_URL of the children). */
  appUrl: string;
  /** The owner's URL: the children migrate with it; the campaign watches and checks through it. */
  ownerUrl: string;
  /** The data folder (the ledger's signing key): the same for every child and for the checks. */
  dataDir: string;
  log?: (line: string) => void;
}): Promise<CampaignOutcome> {
  const t0 = performance.now();
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, FILE_NAME);
  const expected = await writeExport(file, records);
  log(`wrote ${records.toLocaleString("en-US")} records (${(fs.statSync(file).size / 2 ** 20).toFixed(1)} MB) to ${file}`);

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: appUrl,
    SESSIONPROOF_OWNER_DATABASE_URL: ownerUrl === appUrl ? undefined : ownerUrl,
    SESSIONPROOF_DATA_DIR: dataDir,
    SESSIONPROOF_DEBUG: "1",
  };
  const db = new pg.Client({ connectionString: ownerUrl });
  await db.connect();
  // Distinct records stored by all runs, and what the current run's own batch has read (a batch of an earlier run
  // may still be "running" until this run marks it).
  let earlier: string[] = [];
  const progress = async () => {
    const r = await db.query<{ stored: string | null; read: string | null }>(
      `SELECT sum("storedCount")::text AS stored, max("readCount") FILTER (WHERE NOT (id = ANY($2::uuid[])))::text AS read
         FROM ingest_batch WHERE "fileName" = $1`,
      [FILE_NAME, earlier],
    );
    return { stored: Number(r.rows[0].stored ?? 0), read: r.rows[0].read === null ? null : Number(r.rows[0].read) };
  };
  const runs: CampaignRun[] = [];
  try {
    for (const step of [...KILL_PLAN, null]) {
      earlier = (await db.query<{ id: string }>(`SELECT id FROM ingest_batch WHERE "fileName" = $1`, [FILE_NAME])).rows.map((r) => r.id);
      const started = performance.now();
      const child = cli(["ingest", file, "--platform", "github", "--no-correlate", "--json"], env);
      let done = false;
      void child.exited.then(() => (done = true));
      let at: { stored: number; read: number | null } | null = null;
      if (step) {
        // Poll the batch counters (a chunk's commit updates them) until the step's moment, then kill.
        while (!done) {
          const p = await progress();
          const reached = step.stored !== undefined ? p.stored >= step.stored * records : p.read !== null && p.read >= step.read! * records;
          if (reached) {
            if (step.delayMs) await sleep(step.delayMs);
            if (!done) {
              at = await progress();
              process.kill(child.pid, "SIGKILL");
            }
            break;
          }
          await sleep(20);
        }
      }
      const exit = await child.exited;
      const run: CampaignRun = {
        ended: exit.signal === "SIGKILL" ? "killed" : (exit.code ?? -1),
        ...(at ? { storedAtKill: at.stored, readAtKill: at.read ?? undefined } : {}),
        ms: Math.round(performance.now() - started),
        stdout: child.out(),
        stderr: child.err(),
      };
      runs.push(run);
      log(
        `run ${runs.length}: ${run.ended === "killed" ? `killed at ${at!.stored.toLocaleString("en-US")} stored, batch read ${at!.read ?? "-"}` : `exit ${run.ended}`} (${run.ms} ms)`,
      );
      if (step && run.ended !== "killed") break; // it finished before its moment: the plan did not fit, reported as is
      // PostgreSQL drops a dead client's session (and its batch lock) when it reads the closed socket: wait for that,
      // so that the next run sees the killed batch as ownerless, as a later start-up would.
      for (let i = 0; i < 1500; i++) {
        const held = await db.query(
          `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND objsubid = 2
            AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
          [BATCH_LOCK_SPACE],
        );
        if (held.rowCount === 0) break;
        await sleep(20);
      }
    }

    const last = runs[runs.length - 1];
    let final: CampaignOutcome["final"] = null;
    try {
      const outcomes = JSON.parse(last.stdout) as { result?: CampaignOutcome["final"] }[];
      final = outcomes[0]?.result ?? null;
    } catch {
      final = null;
    }

    // What the database holds for the file's source.
    const source = await db.query<{ id: string }>(`SELECT DISTINCT "sourceId" AS id FROM ingest_batch WHERE "fileName" = $1`, [FILE_NAME]);
    const sourceIds = source.rows.map((r) => r.id);
    const hashes = await db.query<{ h: string; n: string }>(
      `SELECT encode("contentHash", 'hex') AS h, count(*)::text AS n FROM raw_record WHERE "sourceId" = ANY($1::uuid[]) GROUP BY 1`,
      [sourceIds],
    );
    let stored = 0;
    let duplicated = 0;
    let foreign = 0;
    const seen = new Set<string>();
    for (const r of hashes.rows) {
      stored += Number(r.n);
      duplicated += Number(r.n) - 1;
      if (expected.has(r.h)) seen.add(r.h);
      else foreign++;
    }
    const ev = await db.query<{ total: string; without: string; dup: string }>(
      `SELECT (SELECT count(*) FROM event WHERE "sourceId" = ANY($1::uuid[]))::text AS total,
              (SELECT count(*) FROM raw_record r WHERE r."sourceId" = ANY($1::uuid[])
                  AND NOT EXISTS (SELECT 1 FROM event e WHERE e."rawRecordId" = r.id))::text AS without,
              (SELECT count(*) - count(DISTINCT ("rawRecordId", "dataHash", data::text)) FROM event
                WHERE "sourceId" = ANY($1::uuid[]))::text AS dup`,
      [sourceIds],
    );
    const batches = await db.query<{ status: string; count: number }>(
      `SELECT status::text, count(*)::int AS count FROM ingest_batch WHERE "fileName" = $1 GROUP BY 1 ORDER BY 1`,
      [FILE_NAME],
    );

    const verify = cli(["ledger", "verify"], env);
    const v = await verify.exited;
    log(`ledger verify: exit ${v.code}\n${verify.out().trim()}`);
    return {
      records,
      runs,
      final,
      stored,
      lost: records - seen.size,
      duplicated,
      foreign,
      eventsTotal: Number(ev.rows[0].total),
      recordsWithoutEvents: Number(ev.rows[0].without),
      duplicatedEvents: Number(ev.rows[0].dup),
      batches: batches.rows,
      ledgerVerifyExit: v.code,
      ledgerVerifyOutput: `${verify.out()}${verify.err()}`,
      ms: Math.round(performance.now() - t0),
    };
  } finally {
    await db.end();
    fs.rmSync(file, { force: true });
  }
}

/** `npm run bench -- killcampaign [--records N]`: the campaign on a fresh embedded database; prints its figures. */
export async function run(args: string[]) {
  const i = args.indexOf("--records");
  const records = i >= 0 ? Number(args[i + 1]) : 100_000;
  const { benchDatabase } = await import("./database");
  const dir = path.resolve(".tmp", "bench-killcampaign");
  fs.rmSync(dir, { recursive: true, force: true });
  const db = await benchDatabase();
  try {
    const o = await runKillCampaign({
      records,
      dir,
      appUrl: db.url,
      ownerUrl: db.url,
      dataDir: path.join(dir, "data"),
      log: (line) => console.log(line),
    });
    const killed = o.runs.filter((r) => r.ended === "killed").length;
    console.log(
      [
        `records ${o.records.toLocaleString("en-US")}: ${killed} kills, ${o.runs.length} runs, last run ${JSON.stringify(o.final)}`,
        `stored ${o.stored.toLocaleString("en-US")}, lost ${o.lost}, duplicated ${o.duplicated}, not from the file ${o.foreign}`,
        `events ${o.eventsTotal.toLocaleString("en-US")}, records without events ${o.recordsWithoutEvents}, duplicated events ${o.duplicatedEvents}`,
        `batches ${o.batches.map((b) => `${b.status} ${b.count}`).join(", ")}; ledger verify exit ${o.ledgerVerifyExit}`,
        `run times (ms): ${o.runs.map((r) => r.ms).join(", ")}; whole campaign ${(o.ms / 1000).toFixed(1)} s`,
      ].join("\n"),
    );
  } finally {
    await db.stop();
  }
}
