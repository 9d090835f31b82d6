// Ingest benchmark: N synthetic records in the four vendor formats of the ingestion issue (Okta JSON array,
// Entra Graph {"value":[...]} page, CloudTrail {"Records":[...]}, GitHub NDJSON), ingested end to end (parse,
// normalize, ledger, store) through the same pipeline as the CLI; then the rows it stored loaded again with a
// bare binary PostgreSQL COPY (the physical limit on this machine); then peak memory while a generated multi-GB NDJSON
// stream goes through the pipeline.
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { GENERATORS, github, type BenchPlatform } from "./synthetic";
import { benchDatabase, rssSampler } from "./database";
import { system } from "../../lib/context/request-context";

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

const FILES: Record<BenchPlatform, { name: string; shape: "array" | "value" | "Records" | "ndjson" }> = {
  okta: { name: "okta-system-log.json", shape: "array" },
  entra: { name: "entra-signins-page.json", shape: "value" },
  "aws-cloudtrail": { name: "111122223333_CloudTrail_eu-west-1_20261101T0000Z_bench.json", shape: "Records" },
  github: { name: "github-audit-log.ndjson", shape: "ndjson" },
};

async function writeFile(dir: string, platform: BenchPlatform, from: number, count: number): Promise<string> {
  const { name, shape } = FILES[platform];
  const file = path.join(dir, name);
  const gen = GENERATORS[platform];
  async function* lines() {
    if (shape === "array") yield "[\n";
    if (shape === "value") yield '{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns","value":[\n';
    if (shape === "Records") yield '{"Records":[\n';
    let buf = "";
    for (let i = 0; i < count; i++) {
      const rec = JSON.stringify(gen(from + i));
      buf += shape === "ndjson" ? rec + "\n" : (i ? ",\n" : "") + rec;
      if (buf.length > 1 << 20) {
        yield buf;
        buf = "";
      }
    }
    yield buf;
    if (shape === "array") yield "\n]\n";
    if (shape === "value" || shape === "Records") yield "\n]}\n";
  }
  await pipeline(Readable.from(lines()), fs.createWriteStream(file));
  return file;
}

export async function run(args: string[]) {
  const total = arg(args, "--records", 1_000_000);
  const streamGb = arg(args, "--stream-gb", 2);
  const dir = path.resolve(".tmp", "bench-files");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const platforms = Object.keys(GENERATORS) as BenchPlatform[];
  const per = Math.floor(total / platforms.length);
  console.log(`generating ${(per * platforms.length).toLocaleString()} records in ${platforms.length} vendor formats…`);
  const files: string[] = [];
  for (const [k, p] of platforms.entries()) files.push(await writeFile(dir, p, k * per, per));
  const bytes = files.reduce((s, f) => s + fs.statSync(f).size, 0);
  console.log(`  ${(bytes / 1024 / 1024).toFixed(0)} MB in ${files.map((f) => path.basename(f)).join(", ")}`);

  const db = await benchDatabase();
  process.env.DATABASE_URL = db.url;
  // The bench's own data folder (signing key, checkpoint log): a fresh database beside the real ./data would meet a
  // checkpoint log that names a longer ledger, and every file would be refused as a rolled-back ledger.
  const dataDir = path.resolve(".tmp", "bench-ingest-data");
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.env.SESSIONPROOF_DATA_DIR = dataDir;
  const { ingestFiles } = await import("../../lib/ingest/ingest-files");
  const { closeDb } = await import("../../lib/db");
  const rss = rssSampler();
  try {
    // 1. End to end, exactly as `npm run cli -- ingest` does it.
    rss.reset();
    const t0 = performance.now();
    const outcomes = await ingestFiles({ ctx: system(), paths: files });
    const e2eSecs = (performance.now() - t0) / 1000;
    const stored = outcomes.reduce((s, o) => s + (o.result?.stored ?? 0), 0);
    const quarantined = outcomes.reduce((s, o) => s + (o.result?.quarantined ?? 0), 0);
    for (const o of outcomes) if (o.error || o.result?.status !== "completed") console.log(`  ! ${o.file}: ${o.error ?? o.result?.error}`);
    const e2eRate = stored / e2eSecs;
    const e2ePeak = rss.peakMb();

    // 2. The physical limit: the very rows the pipeline stored, dumped in PostgreSQL's binary COPY format and
    //    loaded back with a bare COPY into tables shaped like raw_record and event, with the same indexes (no
    //    parsing, normalizing, hashing or ledger lock). Timed separately: the raw rows alone (the issue's "raw
    //    COPY rate of the same rows") and raw rows plus their events (everything the pipeline writes).
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const copySecs: Record<"raw_record" | "event", number> = { raw_record: 0, event: 0 };
    let copied = 0;
    for (const table of ["raw_record", "event"] as const) {
      const dump = path.join(dir, `${table}.pgcopy`);
      await pipeline(client.query(copyTo(`COPY ${table} TO STDOUT (FORMAT binary)`)), fs.createWriteStream(dump));
      await client.query(`CREATE TABLE bench_${table} (LIKE ${table} INCLUDING DEFAULTS INCLUDING INDEXES)`);
      await client.query("CHECKPOINT"); // the load starts from a clean slate, as the pipeline's did
      const t1 = performance.now();
      const stream = client.query(copyFrom(`COPY bench_${table} FROM STDIN (FORMAT binary)`));
      await pipeline(fs.createReadStream(dump, { highWaterMark: 1 << 20 }), stream);
      copySecs[table] = (performance.now() - t1) / 1000;
      if (table === "raw_record") copied = stream.rowCount;
      fs.rmSync(dump);
    }
    await client.end();
    const copyRate = copied / copySecs.raw_record;
    const copyAllRate = copied / (copySecs.raw_record + copySecs.event);

    // 3. Peak memory while a generated NDJSON stream of several GB goes through the pipeline.
    const { ingestStream } = await import("../../lib/ingest/ingest-stream");
    const target = streamGb * 1024 ** 3;
    let produced = 0;
    let n = 0;
    async function* big() {
      while (produced < target) {
        let chunk = "";
        while (chunk.length < 1 << 20) chunk += JSON.stringify(github(10_000_000 + n++)) + "\n";
        produced += chunk.length;
        yield Buffer.from(chunk);
      }
    }
    rss.reset();
    const t2 = performance.now();
    // --stream-gb 0 skips this part (a quick run of parts 1 and 2).
    const big1 =
      streamGb > 0
        ? await ingestStream({ input: Readable.from(big()), fileName: `github-stream-${streamGb}gb.ndjson`, via: "cli", ctx: system() })
        : null;
    const bigSecs = (performance.now() - t2) / 1000;
    const bigPeak = rss.peakMb();

    console.log("\n=== ingest benchmark");
    console.log(`records                 ${stored.toLocaleString()} stored, ${quarantined} quarantined, ${files.length} files`);
    console.log(`end to end              ${e2eRate.toFixed(0)} records/s  (${e2eSecs.toFixed(1)} s; parse + normalize + ledger + store)`);
    console.log(`raw COPY, same rows     ${copyRate.toFixed(0)} records/s  (${copySecs.raw_record.toFixed(1)} s; raw_record rows only)`);
    console.log(`ratio                   ${(e2eRate / copyRate).toFixed(2)}x of raw COPY`);
    console.log(`COPY raw + events       ${copyAllRate.toFixed(0)} records/s  (+${copySecs.event.toFixed(1)} s for the event rows)`);
    console.log(`ratio                   ${(e2eRate / copyAllRate).toFixed(2)}x of COPY of everything stored`);
    console.log(`peak RSS (end to end)   ${e2ePeak} MB`);
    if (big1)
      console.log(
        `peak RSS (${streamGb} GB stream) ${bigPeak} MB  (${(produced / 1024 ** 3).toFixed(2)} GB, ${big1.stored.toLocaleString()} records in ${bigSecs.toFixed(0)} s)`,
      );
    console.log(`targets                 >= 50000 records/s, >= 0.5x COPY, RSS <= 500 MB`);
  } finally {
    rss.stop();
    await closeDb();
    await db.stop();
  }
}
