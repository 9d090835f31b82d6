import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { accuracyReport, conformanceDirs, gapKey, runConformance, type FieldResult } from "./testing/conformance";

// The conformance corpus (lib/sources/<platform>/conformance): vendor-documented records and the fields each
// one must produce. Every field is compared and the accuracy per platform printed. Fields that are wrong today
// are listed, one per line, in conformance-known-gaps.json: a field that breaks and is not listed fails the
// test (a regression), and a listed field that now passes fails it too, so the list only ever shrinks and
// always says exactly what is left.
const KNOWN_GAPS_FILE = path.resolve(import.meta.dirname, "conformance-known-gaps.json");

describe("conformance corpus", () => {
  const dirs = conformanceDirs();

  it("exists for the platforms", () => {
    expect(dirs.length).toBeGreaterThan(0);
  });

  it("matches the golden fields, except the listed known gaps", async () => {
    const results: FieldResult[] = [];
    for (const { platform, dir } of dirs) results.push(...(await runConformance(platform, dir)));
    console.log(accuracyReport(results));
    const failing = results.filter((r) => !r.ok);
    const known = new Set<string>(fs.existsSync(KNOWN_GAPS_FILE) ? JSON.parse(fs.readFileSync(KNOWN_GAPS_FILE, "utf8")) : []);
    if (process.env.CONFORMANCE_WRITE_GAPS === "1") {
      fs.writeFileSync(KNOWN_GAPS_FILE, JSON.stringify(failing.map(gapKey).sort(), null, 1) + "\n");
      return;
    }
    const regressions = failing
      .filter((r) => !known.has(gapKey(r)))
      .map((r) => `${gapKey(r)}: expected ${JSON.stringify(r.expected)}, got ${JSON.stringify(r.actual)}`);
    const failingKeys = new Set(failing.map(gapKey));
    const fixed = [...known].filter((k) => !failingKeys.has(k));
    expect(regressions, "fields that are wrong and not in conformance-known-gaps.json").toEqual([]);
    expect(fixed, "listed in conformance-known-gaps.json but right now: remove them from the list").toEqual([]);
  });
});
