import fs from "node:fs";
import path from "node:path";
import { db } from "@/lib/db";
import { runAnalysis } from "@/lib/analysis/run-analysis";
import { ingestFiles } from "@/lib/ingest/ingest-files";
import { system } from "@/lib/context/request-context";
import { generateDemo } from "./generate-demo";

// `npm start` on an empty database: generate the demo dataset into the data folder and ingest it through the
// same pipeline as any upload, then correlate, so the quick start shows real sessions. A database that holds any
// ingest batch is left alone. SESSIONPROOF_DEMO=off (or `npm start -- --empty`) starts empty instead.

export type DemoLoadResult =
  | { loaded: false; reason: string }
  | { loaded: true; files: number; records: number; stored: number; quarantined: number; sessions: number; dir: string };

export async function loadDemoIfEmpty({
  dataDir,
  seed = 1,
  scale = 2,
  log = () => undefined,
}: {
  dataDir: string;
  seed?: number;
  scale?: number;
  log?: (line: string) => void;
}): Promise<DemoLoadResult> {
  if ((await db().ingestBatch.count()) > 0) return { loaded: false, reason: "the database already holds ingested data" };
  const dir = path.join(dataDir, "demo", `seed-${seed}-scale-${scale}`);
  fs.rmSync(dir, { recursive: true, force: true });
  const summary = generateDemo({ seed, scale, outDir: dir });
  const paths = JSON.parse(fs.readFileSync(summary.groundTruth, "utf8")).files.map((f: { path: string }) =>
    path.join(dir, f.path),
  ) as string[];
  log(`loading the demo dataset (seed ${seed}, scale ${scale}): ${summary.records} records in ${summary.files} files…`);
  const outcomes = await ingestFiles({ ctx: system(), paths, sourceName: undefined });
  const failed = outcomes.filter((o) => o.error);
  if (failed.length)
    throw new Error(`the demo dataset did not ingest: ${failed.map((o) => `${path.basename(o.file)}: ${o.error}`).join("; ")}`);
  const stored = outcomes.reduce((n, o) => n + (o.result?.stored ?? 0), 0);
  const quarantined = outcomes.reduce((n, o) => n + (o.result?.quarantined ?? 0), 0);
  // The whole analysis, so that the first start shows sessions, governance checks and findings at once.
  const c = await runAnalysis({ ctx: system(), mode: "full" });
  return { loaded: true, files: summary.files, records: summary.records, stored, quarantined, sessions: c.sessions, dir };
}
