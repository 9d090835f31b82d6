import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { getSource } from "@/lib/sources/registry";
import { generateDemo, type GroundTruth } from "./generate-demo";
import { loadDemoIfEmpty } from "./load-demo";

function hashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = crypto.createHash("sha256").update(fs.readFileSync(p)).digest("hex");
    }
  };
  walk(dir);
  return out;
}
const tmp = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `sp-demo-${name}-`));

describe("demo dataset", () => {
  it("is deterministic for a seed: byte-identical files; another seed differs", () => {
    const a = tmp("a");
    const b = tmp("b");
    const c = tmp("c");
    generateDemo({ seed: 7, scale: 2, outDir: a });
    generateDemo({ seed: 7, scale: 2, outDir: b });
    generateDemo({ seed: 8, scale: 2, outDir: c });
    const ha = hashes(a);
    expect(Object.keys(ha).length).toBeGreaterThan(20);
    expect(hashes(b)).toEqual(ha);
    expect(hashes(c)).not.toEqual(ha);
  });

  it("has a consistent ground truth: every record once, every reference resolves, every story's sessions exist", () => {
    const dir = tmp("gt");
    const s = generateDemo({ seed: 3, scale: 1, outDir: dir });
    const gt = JSON.parse(fs.readFileSync(s.groundTruth, "utf8")) as GroundTruth;
    expect(gt.events).toHaveLength(s.records);
    for (const f of gt.files) expect(gt.events.filter((e) => e.file === path.basename(f.path))).toHaveLength(f.records);
    const ids = new Set(gt.identities.map((i) => i.id));
    const creds = new Set(gt.credentials.map((c) => c.id));
    const sessions = new Set(gt.sessions.map((x) => x.id));
    for (const e of gt.events) {
      expect(ids.has(e.identity), e.identity).toBe(true);
      if (e.session) expect(sessions.has(e.session), e.session).toBe(true);
      if (e.credential) expect(creds.has(e.credential), e.credential).toBe(true);
    }
    for (const c of gt.credentials) if (c.parentId) expect(creds.has(c.parentId)).toBe(true);
    for (const st of gt.stories) for (const x of st.sessions) expect(sessions.has(x), `${st.id}: ${x}`).toBe(true);
    expect(gt.stories.map((x) => x.id)).toEqual(
      expect.arrayContaining([
        "story-1",
        "story-2",
        "story-3",
        "story-4",
        "story-5",
        "story-6",
        "story-7",
        "story-8",
        "story-9",
        "confuser-concurrent",
        "confuser-nat",
      ]),
    );
    // Every platform's source exists for the files written.
    for (const f of gt.files) expect(getSource(f.platform), f.platform).not.toBeNull();
  });

  it("loads into an empty database through the real pipeline with zero quarantined, then correlates; never twice", async () => {
    const dataDir = tmp("load");
    const r = await loadDemoIfEmpty({ dataDir, seed: 1, scale: 1 });
    expect(r.loaded).toBe(true);
    if (!r.loaded) return;
    expect(r.quarantined).toBe(0);
    expect(r.stored).toBe(r.records);
    expect(r.sessions).toBeGreaterThan(0);
    const batches = await db().ingestBatch.findMany();
    expect(batches.every((b) => b.status === "completed" && b.quarantinedCount === 0)).toBe(true);
    expect(batches.reduce((n, b) => n + b.storedCount, 0)).toBe(r.records);
    // The governance feeds landed in their tables.
    expect(await db().approval.count({ where: { ticketKey: "CHG0041001", approved: true } })).toBe(1);
    expect(await db().accessGrant.count({ where: { system: "sessionproof.grant" } })).toBe(2);
    const again = await loadDemoIfEmpty({ dataDir, seed: 1, scale: 1 });
    expect(again).toEqual({ loaded: false, reason: "the database already holds ingested data" });
  }, 60_000);
});
