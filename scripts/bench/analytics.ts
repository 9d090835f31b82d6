// Analytics benchmark: the work that follows every background correlation (governance checks, risk rules) and the
// Coverage / Compliance pages, over a database of ~1M events; figures printed, nothing asserted.
//   npm run bench -- analytics [--events N] [--rounds R] [--batch B] [--fresh]
// The data: the demo dataset (real vendor shapes, stories with privileged actions, approvals, grants, policy
// decisions, NHIs) ingested and correlated, then its events copied in SQL (each copy shifted a week earlier, keeping
// its identity and session) until the table holds N events. Kept under .tmp/bench-pg-analytics; --fresh rebuilds.
// Each round: a small batch of new events (B copies of recent events, as an ingest + correlation would add), then
// runGovernanceChecks, runRiskRules, getCoverage (first call after the batch, then again) and the framework status.
import fs from "node:fs";
import path from "node:path";
import { cachedBenchDatabase, percentiles } from "./database";
import { system } from "../../lib/context/request-context";

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

const EVENT_COLS = `"tenantId", "sourceId", "rawRecordId", platform, time, "classUid", "className", activity, "nativeId", status,
  "actorExternalId", "actorName", "actorType", "identityId", "sessionKey", "credentialKey", "clientAppId", "srcIp", "userAgent",
  "targetType", "targetId", "targetName", privileged, "sessionId", data`;

export async function run(args: string[]) {
  const target = arg(args, "--events", 1_000_000);
  const rounds = arg(args, "--rounds", 3);
  const batch = arg(args, "--batch", 500);
  const db = await cachedBenchDatabase("analytics", `v2-${target}`, args.includes("--fresh"));
  process.env.DATABASE_URL = db.url;
  const dataDir = path.resolve(".tmp", "bench-analytics-data");
  process.env.SESSIONPROOF_DATA_DIR = dataDir;
  const { pool, closeDb } = await import("../../lib/db");
  const { runGovernanceChecks } = await import("../../lib/governance/run-governance-checks");
  const { runRiskRules } = await import("../../lib/risk/run-risk-rules");
  const { getCoverage } = await import("../../lib/coverage/get-coverage");
  const { getFrameworkStatus } = await import("../../lib/compliance/get-framework-status");
  const time = async <T>(fn: () => Promise<T>): Promise<[number, T]> => {
    const t = performance.now();
    const r = await fn();
    return [performance.now() - t, r];
  };

  try {
    if (!db.ready) {
      const { generateDemo } = await import("../../lib/demo/generate-demo");
      const { ingestFiles } = await import("../../lib/ingest/ingest-files");
      const { runCorrelation } = await import("../../lib/correlation/run-correlation");
      const t0 = performance.now();
      const dir = path.join(dataDir, "demo");
      fs.rmSync(dir, { recursive: true, force: true });
      const summary = generateDemo({ seed: 1, scale: 8, outDir: dir });
      const paths = JSON.parse(fs.readFileSync(summary.groundTruth, "utf8")).files.map((f: { path: string }) =>
        path.join(dir, f.path),
      ) as string[];
      await ingestFiles({ ctx: system(), paths, sourceName: undefined });
      await runCorrelation({ ctx: system() });
      const base = Number((await pool().query(`SELECT count(*) AS n FROM event`)).rows[0].n);
      console.log(`  demo: ${base.toLocaleString()} events ingested and correlated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      // Copies k = 1..K of the demo events, each k weeks earlier: same identities, sessions, payloads. One statement.
      const copies = Math.max(0, Math.ceil(target / Math.max(base, 1)) - 1);
      const t1 = performance.now();
      await pool().query(
        `INSERT INTO event (${EVENT_COLS})
         SELECT ${EVENT_COLS.replace("time,", "time - k * interval '7 days',")} FROM event, generate_series(1, $1::int) k LIMIT $2`,
        [copies, Math.max(0, target - base)],
      );
      await pool().query(`ANALYZE`);
      console.log(`  copies: ${copies} in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
      await runGovernanceChecks({ ctx: system() });
      await runRiskRules({ ctx: system() });
      db.markBuilt();
    }
    const n = Number((await pool().query(`SELECT count(*) AS n FROM event`)).rows[0].n);
    const checks = Number((await pool().query(`SELECT count(*) AS n FROM governance_check`)).rows[0].n);
    console.log(
      `analytics over ${n.toLocaleString()} events (${checks.toLocaleString()} governance checks); ${rounds} rounds, batch ${batch}`,
    );

    const ms: Record<string, number[]> = {
      governance: [],
      risk: [],
      "coverage (first)": [],
      "coverage (again)": [],
      "framework status": [],
    };
    for (let r = 0; r < rounds; r++) {
      // A small new batch: the newest events again, a minute later (new ids, like an ingest + correlation adds).
      await pool().query(
        `INSERT INTO event (${EVENT_COLS})
         SELECT ${EVENT_COLS.replace("time,", `time + interval '1 minute',`)} FROM (SELECT * FROM event ORDER BY id DESC LIMIT $1) x`,
        [batch],
      );
      const [g, gr] = await time(() => runGovernanceChecks({ ctx: system() }));
      const [k, kr] = await time(() => runRiskRules({ ctx: system() }));
      const [c1] = await time(() => getCoverage());
      const [c2] = await time(() => getCoverage());
      const [f] = await time(() => getFrameworkStatus({ framework: "nist-csf-2.0" }));
      ms.governance.push(g);
      ms.risk.push(k);
      ms["coverage (first)"].push(c1);
      ms["coverage (again)"].push(c2);
      ms["framework status"].push(f);
      console.log(
        `  round ${r + 1}: governance ${g.toFixed(0)} ms (${gr.checks} checks), risk ${k.toFixed(0)} ms (${kr.raised} raised, ${kr.updated} updated), ` +
          `coverage ${c1.toFixed(0)} / ${c2.toFixed(0)} ms, framework ${f.toFixed(0)} ms`,
      );
    }
    if (rounds === 0) return; // --rounds 0: build the data only
    // Per rule, once, so a slow evaluator stands out.
    const { EVALUATORS } = await import("../../lib/risk/rules");
    const { getRiskSettings } = await import("../../lib/risk/settings");
    const settings = await getRiskSettings();
    const client = await pool().connect();
    try {
      const per: string[] = [];
      for (const [id, ev] of Object.entries(EVALUATORS)) {
        const [t, found] = await time(() => ev({ client, settings, asOf: new Date() }));
        per.push(`${id} ${t.toFixed(0)} ms (${found.length})`);
      }
      console.log(`  rules: ${per.join(", ")}`);
    } finally {
      client.release();
    }
    for (const [label, xs] of Object.entries(ms)) {
      const p = percentiles(xs);
      console.log(`  ${label.padEnd(18)} best ${Math.min(...xs).toFixed(0)} ms, median ${p.p50.toFixed(0)} ms, max ${p.max.toFixed(0)} ms`);
    }
  } finally {
    await closeDb();
    await db.stop();
  }
}
