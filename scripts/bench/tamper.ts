// `npm run bench -- tamper [--only id,id]`: the twelve database tamper cases (lib/ledger/testing/tamper-cases.ts) on
// a small ledger in a fresh database: each applied as a privileged database user with the ledger's triggers off,
// verified by `ledger verify` on the database alone and against the published checkpoint log, then undone. Prints
// per case whether it was detected and whether the finding names (or locates to the record) what was changed.
// lib/ledger/tamper.db.test.ts asserts the same outcomes. Takes well under a minute.
import fs from "node:fs";
import path from "node:path";
import { benchDatabase } from "./database";

export async function run(args: string[]) {
  const i = args.indexOf("--only");
  const only = i >= 0 ? args[i + 1]?.split(",") : undefined;
  const dir = path.resolve(".tmp", "bench-tamper");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const db = await benchDatabase();
  process.env.DATABASE_URL = db.url;
  process.env.SESSIONPROOF_AUDIT_AUTOFLUSH = "0";
  process.env.SESSIONPROOF_DATA_DIR = path.join(dir, "data");
  delete process.env.SESSIONPROOF_CHECKPOINT_LOG;
  const { buildTamperFixture, runTamperCases } = await import("../../lib/ledger/testing/tamper-cases");
  const { closeDb } = await import("../../lib/db");
  try {
    const t0 = performance.now();
    // The bench database's URL is its superuser's: the attacker; the app's work runs on it too.
    const fixture = await buildTamperFixture({ attackerUrl: db.url });
    const sizes = fixture.checkpoints.map((c) => `#${c.seq}: ${c.treeSize}`).join(", ");
    console.log(`fixture: 3 ingests and audit entries, checkpoints (tree sizes) ${sizes}, log ${fixture.log}`);
    const outcomes = await runTamperCases({ fixture, only });
    const yes = (b: boolean) => (b ? "yes" : "NO");
    const rows = outcomes.map((o, n) => [
      String(n + 1),
      o.title,
      yes(o.detectedInDatabase),
      yes(o.detected),
      o.named ? o.expected : "NO",
      o.restored ? "" : " (NOT restored)",
    ]);
    const w = [2, Math.max(...rows.map((r) => r[1].length)), 8, 9];
    console.log(`${"#".padEnd(w[0])}  ${"case".padEnd(w[1])}  ${"database".padEnd(w[2])}  ${"+ log".padEnd(w[3])}  named`);
    for (const r of rows)
      console.log(`${r[0].padEnd(w[0])}  ${r[1].padEnd(w[1])}  ${r[2].padEnd(w[2])}  ${r[3].padEnd(w[3])}  ${r[4]}${r[5]}`);
    for (const o of outcomes) console.log(`  ${o.id}: ${o.finding ?? "(nothing reported)"}`);
    const n = outcomes.length;
    console.log(
      `detected: ${outcomes.filter((o) => o.detected).length}/${n} (database alone: ${outcomes.filter((o) => o.detectedInDatabase).length}/${n}), ` +
        `named or located to the record: ${outcomes.filter((o) => o.named).length}/${n} (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    );
  } finally {
    await closeDb();
    await db.stop();
  }
}
