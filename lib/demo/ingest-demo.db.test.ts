import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { system } from "@/lib/context/request-context";
import { db } from "@/lib/db";
import { ingestFiles } from "@/lib/ingest/ingest-files";
import { getSource } from "@/lib/sources/registry";
import { generateDemo, type GroundTruth } from "./generate-demo";

// Every demo file through the real pipeline, platform by platform, with the platform detected from the file
// (no hint): nothing quarantined, stored = records written, file by file. A platform whose source does not
// exist (getSource → null) shows up as a skipped test under its own name instead of passing silently.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sp-demo-ingest-"));
generateDemo({ seed: 5, scale: 1, outDir: dir });
const gt = JSON.parse(fs.readFileSync(path.join(dir, "ground-truth.json"), "utf8")) as GroundTruth;
const platforms = [...new Set(gt.files.map((f) => f.platform))].sort();

describe("demo dataset through the ingest pipeline (seed 5, scale 1)", () => {
  for (const platform of platforms) {
    const files = gt.files.filter((f) => f.platform === platform);
    it.skipIf(getSource(platform) === null)(
      `${platform}: ${files.length} file(s), ${files.reduce((n, f) => n + f.records, 0)} records, none quarantined`,
      async () => {
        const outcomes = await ingestFiles({ ctx: system(), paths: files.map((f) => path.join(dir, f.path)) });
        for (const [i, f] of files.entries()) {
          const o = outcomes[i];
          expect(o.error, f.path).toBeUndefined();
          const quarantined = await db().quarantinedRecord.findMany({
            where: { batchId: o.result!.batchId },
            select: { position: true, reason: true },
            take: 5,
          });
          expect(quarantined.map((q) => `${f.path}#${q.position}: ${q.reason}`)).toEqual([]);
          expect({
            file: f.path,
            platform: o.result!.platform,
            status: o.result!.status,
            stored: o.result!.stored,
            duplicate: o.result!.duplicate,
            quarantined: o.result!.quarantined,
          }).toEqual({
            file: f.path,
            platform,
            status: "completed",
            stored: f.records,
            duplicate: 0,
            quarantined: 0,
          });
          // Where the source keeps a native id, it is the one the ground truth names for that record.
          const raws = await db().rawRecord.findMany({ where: { batchId: o.result!.batchId }, select: { id: true, position: true } });
          const positionOf = new Map(raws.map((r) => [r.id, Number(r.position)]));
          const events = await db().event.findMany({
            where: { rawRecordId: { in: raws.map((r) => r.id) } },
            select: { rawRecordId: true, nativeId: true },
          });
          expect(new Set(events.map((e) => e.rawRecordId)).size, `${f.path}: records with events`).toBe(f.records);
          const truth = new Map(gt.events.filter((e) => e.file === path.basename(f.path)).map((e) => [e.index, e.nativeId]));
          const mismatches = events
            .filter((e) => e.nativeId !== null && e.nativeId !== truth.get(positionOf.get(e.rawRecordId)!))
            .map(
              (e) =>
                `${f.path}#${positionOf.get(e.rawRecordId)}: stored ${e.nativeId}, ground truth ${truth.get(positionOf.get(e.rawRecordId)!)}`,
            );
          expect(mismatches).toEqual([]);
        }
      },
    );
  }
});
