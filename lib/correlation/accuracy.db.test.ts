import fs from "node:fs";
import { checkpointLogPath } from "@/lib/ledger/checkpoint-log";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { closeDb, db } from "@/lib/db";
import type { GroundTruth } from "@/lib/demo/generate-demo";
import { loadDemoIfEmpty } from "@/lib/demo/load-demo";
import { withCredentials } from "@/lib/db/app-role";

// The correlation engine against the demo dataset's ground truth, on several seeds (each in a fresh database
// cloned from the test template): the demo goes through the real pipeline (files, ingest, correlation run),
// then every event's predicted session and identity is compared with the generator's truth. The issue's
// targets are asserted per seed: pairwise session co-membership precision >= 0.99 and F1 >= 0.97, no merged
// concurrent sessions and no session mixing two people, cross-platform link and lineage edge F1 >= 0.95,
// identity kind accuracy >= 0.98. The figures are printed as a table.

// [seed, scale]: four seeds at scale 2, and one at scale 8, where the background (many people, much of it on
// keyless platforms that only the heuristic groups) outweighs the stories.
const RUNS: [number, number][] = [
  [3, 2],
  [11, 2],
  [29, 2],
  [47, 2],
  [5, 8],
];

const pairs = (n: number) => (n * (n - 1)) / 2;

type Figures = {
  seed: number;
  scale: number;
  events: number;
  truthSessions: number;
  predictedSessions: number;
  precision: number;
  recall: number;
  f1: number;
  keyedWhole: string;
  linkF1: number;
  linkP: number;
  linkR: number;
  kindAccuracy: number;
};
const table: Figures[] = [];

/**
 * Runs fn against a fresh database cloned from the migrated template, then drops it. The published checkpoint log
 * (lib/ledger/checkpoint-log.ts) belongs to one ledger: the file's own log is moved aside meanwhile, or the fresh
 * ledger would be refused as a rollback of the previous one.
 */
async function withFreshDatabase<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const log = checkpointLogPath();
  const aside = log && fs.existsSync(log) ? `${log}.${label}.aside` : null;
  if (log && aside) fs.renameSync(log, aside);
  try {
    return await inFreshDatabase(label, fn);
  } finally {
    if (log) fs.rmSync(log, { force: true });
    if (log && aside) fs.renameSync(aside, log);
  }
}

async function inFreshDatabase<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const adminUrl = inject("adminUrl");
  const name = `${process.env.TEST_DATABASE_NAME}_${label}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${inject("templateDb")}"`);
  const previous = process.env.DATABASE_URL;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const appRole = inject("appRole");
  process.env.DATABASE_URL = appRole ? withCredentials(url.toString(), appRole.role, appRole.password) : url.toString();
  try {
    return await fn();
  } finally {
    await closeDb();
    process.env.DATABASE_URL = previous;
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

async function measure(seed: number, scale: number): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sp-acc-"));
  const r = await loadDemoIfEmpty({ dataDir, seed, scale });
  expect(r.loaded).toBe(true);
  if (!r.loaded) return;
  const gt = JSON.parse(fs.readFileSync(path.join(r.dir, "ground-truth.json"), "utf8")) as GroundTruth;
  const rows = await db().$queryRawUnsafe<{ file: string; position: bigint; sessionId: string | null; identityId: string | null }[]>(
    `SELECT r."fileName" AS file, r.position, e."sessionId", e."identityId" FROM event e JOIN raw_record r ON r.id = e."rawRecordId"`,
  );
  const pred = new Map(rows.map((x) => [`${x.file}#${x.position}`, x]));
  const keyed = new Map(gt.sessions.map((s) => [s.id, s.keyed]));
  const cells = new Map<string, number>();
  const truthN = new Map<string, number>();
  const predN = new Map<string, number>();
  for (const e of gt.events) {
    if (!e.session) continue;
    const p = pred.get(`${e.file}#${e.index}`);
    expect(p, `${e.file}#${e.index}`).toBeDefined();
    const ps = p!.sessionId ?? `none:${e.file}#${e.index}`;
    cells.set(`${e.session}|${ps}`, (cells.get(`${e.session}|${ps}`) ?? 0) + 1);
    truthN.set(e.session, (truthN.get(e.session) ?? 0) + 1);
    predN.set(ps, (predN.get(ps) ?? 0) + 1);
  }
  const tp = [...cells.values()].reduce((a, n) => a + pairs(n), 0);
  const precision = tp / [...predN.values()].reduce((a, n) => a + pairs(n), 0);
  const recall = tp / [...truthN.values()].reduce((a, n) => a + pairs(n), 0);
  const f1 = (2 * precision * recall) / (precision + recall);
  // Keyed truth sessions: all their events in one predicted session, alone.
  let keyedWhole = 0;
  let keyedTotal = 0;
  const truthToPred = new Map<string, Set<string>>();
  const predToTruth = new Map<string, Set<string>>();
  for (const k of cells.keys()) {
    const [t, p] = k.split("|");
    truthToPred.set(t, (truthToPred.get(t) ?? new Set()).add(p));
    predToTruth.set(p, (predToTruth.get(p) ?? new Set()).add(t));
  }
  for (const [t, ps] of truthToPred) {
    if (!keyed.get(t)) continue;
    keyedTotal++;
    if (ps.size === 1 && predToTruth.get([...ps][0])!.size === 1) keyedWhole++;
  }
  console.log(
    `demo seed ${seed} scale ${scale}: ${gt.events.length} events, ${truthN.size} truth sessions (${keyedTotal} keyed) -> ${predN.size} predicted; ` +
      `pairwise precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}, F1 ${f1.toFixed(3)}; keyed sessions recovered whole ${keyedWhole}/${keyedTotal}`,
  );
  expect(keyedWhole).toBe(keyedTotal);
  // The concurrent-sessions confuser: two truth sessions, two predicted sessions.
  const concurrent = gt.stories.find((s) => s.id === "confuser-concurrent")!.sessions;
  const predicted = new Set(concurrent.flatMap((t) => [...(truthToPred.get(t) ?? [])]));
  expect(predicted.size).toBe(2);
  // No predicted session mixes two people (NAT confuser included).
  const identityOf = new Map(gt.sessions.map((s) => [s.id, s.identity]));
  for (const [p, ts] of predToTruth) expect(new Set([...ts].map((t) => identityOf.get(t))).size, p).toBe(1);
  // Links between sessions (IdP → app, Entra → M365 shared key, credential lineage): truth sessions mapped to
  // the predicted session holding their events; approval / JIT links are governance joins, measured elsewhere.
  const toPred = new Map([...truthToPred].filter(([, ps]) => ps.size === 1).map(([t, ps]) => [t, [...ps][0]]));
  const truthLinks = new Set(
    gt.links
      .filter((l) => l.kind === "idp_to_app" || l.kind === "credential_lineage")
      .map((l) => `${toPred.get(l.from)}>${toPred.get(l.to)}`),
  );
  // Only the kinds the demo's ground truth models: token / key reuse, human-behind-NHI, OIDC federation and
  // same-address links are not in it (they are measured by engine/links.test.ts on crafted events).
  const predLinks = new Set(
    (await db().sessionLink.findMany({ where: { kind: { in: ["idp_to_app", "credential_lineage", "same_session"] } } })).map(
      (l) => `${l.fromSessionId}>${l.toSessionId}`,
    ),
  );
  const linkTp = [...predLinks].filter((l) => truthLinks.has(l)).length;
  const linkP = linkTp / predLinks.size;
  const linkR = linkTp / truthLinks.size;
  const linkF1 = (2 * linkP * linkR) / (linkP + linkR);
  console.log(
    `links: ${truthLinks.size} true, ${predLinks.size} predicted, precision ${linkP.toFixed(3)}, recall ${linkR.toFixed(3)}, F1 ${linkF1.toFixed(3)}`,
  );
  // Identity kinds: each event's truth identity kind against the kind of the identity it was given (the
  // misses are the cases the logs cannot tell: a service account signing in as a User, a person known only
  // through a PAT).
  const kindOf = new Map((await db().identity.findMany({ select: { id: true, kind: true } })).map((i) => [i.id, i.kind as string]));
  const truthKind = new Map(gt.identities.map((i) => [i.id, i.kind]));
  let kindRight = 0;
  let kindTotal = 0;
  for (const e of gt.events) {
    const pid = pred.get(`${e.file}#${e.index}`)?.identityId;
    if (!pid) continue;
    kindTotal++;
    if (truthKind.get(e.identity) === kindOf.get(pid)) kindRight++;
  }
  const kindAccuracy = kindRight / kindTotal;
  console.log(`identity kind accuracy (per event): ${kindAccuracy.toFixed(3)} over ${kindTotal} events`);
  table.push({
    seed,
    scale,
    events: gt.events.length,
    truthSessions: truthN.size,
    predictedSessions: predN.size,
    precision,
    recall,
    f1,
    keyedWhole: `${keyedWhole}/${keyedTotal}`,
    linkF1,
    linkP,
    linkR,
    kindAccuracy,
  });
  // The issue's session targets: pairwise precision >= 0.99 and F1 >= 0.97.
  expect(precision).toBeGreaterThanOrEqual(0.99);
  expect(f1).toBeGreaterThanOrEqual(0.97);
  expect(kindAccuracy).toBeGreaterThanOrEqual(0.98);
  // Cross-platform link and lineage edge target: F1 >= 0.95.
  expect(linkF1).toBeGreaterThanOrEqual(0.95);
}

describe("correlation accuracy on the demo dataset", () => {
  afterAll(() => {
    const f = (x: number) => x.toFixed(3);
    console.log(
      [
        `seed/scale | events | truth/predicted sessions | pairwise P / R / F1 | keyed whole | link P / R / F1 | kind acc`,
        ...table.map(
          (t) =>
            `${`${t.seed}/${t.scale}`.padStart(10)} | ${String(t.events).padStart(6)} | ${`${t.truthSessions}/${t.predictedSessions}`.padStart(24)} | ` +
            `${f(t.precision)} / ${f(t.recall)} / ${f(t.f1)} | ${t.keyedWhole.padStart(11)} | ${f(t.linkP)} / ${f(t.linkR)} / ${f(t.linkF1)} | ${f(t.kindAccuracy)}`,
        ),
      ].join("\n"),
    );
  });
  for (const [seed, scale] of RUNS) {
    it(`seed ${seed} scale ${scale}: recovers the keyed sessions exactly, never merges concurrent sessions or people behind one address, meets the targets`, async () => {
      await withFreshDatabase(`acc${seed}_${scale}`, () => measure(seed, scale));
    }, 60_000);
  }
});
