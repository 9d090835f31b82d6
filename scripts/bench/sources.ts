// Source-side benchmark, one core, no database: (1) read + JSON.parse + normalize (with the schema check) +
// toEventRow + JSON of the data column over N synthetic records of each bench platform; (2) normalize alone
// over the records of each platform's fixtures, repeated; figures printed, nothing asserted.
//   npm run bench -- sources [--records N]
import fs from "node:fs";
import path from "node:path";
import { toEventRow } from "../../lib/events/schema";
import { readRecords } from "../../lib/sources/read";
import { getSource, SOURCES } from "../../lib/sources/registry";
import { GENERATORS, type BenchPlatform } from "./synthetic";

export async function run(args: string[]): Promise<void> {
  const i = args.indexOf("--records");
  const n = i >= 0 ? Number(args[i + 1]) : 50_000;
  console.log("[sources] read + parse + normalize + event row, one core:");
  for (const platform of Object.keys(GENERATORS) as BenchPlatform[]) {
    const gen = GENERATORS[platform] as (k: number) => unknown;
    const text = Buffer.from(Array.from({ length: n }, (_, k) => JSON.stringify(gen(k))).join("\n") + "\n");
    const source = getSource(platform)!;
    const t0 = performance.now();
    let jsonBytes = 0;
    for await (const it of readRecords([text], { fileName: `${platform}.jsonl` })) {
      if ("error" in it) throw new Error(it.error);
      for (const e of source.normalize(JSON.parse(it.bytes.toString("utf8")), { fileName: "x", position: it.position })) {
        jsonBytes += JSON.stringify(toEventRow(e).data).length;
      }
    }
    const secs = (performance.now() - t0) / 1000;
    console.log(
      `  ${platform}: ${Math.round(n / secs).toLocaleString()} records/s (${Math.round(text.length / n)} B/record raw, ${Math.round(jsonBytes / n)} B/event JSON)`,
    );
  }

  console.log("[sources] normalize (incl. schema check) over each platform's fixtures, 20,000 calls:");
  for (const source of SOURCES) {
    const dir = path.resolve("lib/sources", source.platform, "fixtures");
    if (!fs.existsSync(dir)) continue;
    const records: unknown[] = [];
    for (const file of fs.readdirSync(dir)) {
      for await (const it of readRecords(fs.createReadStream(path.join(dir, file)), { fileName: file })) {
        if ("error" in it) continue;
        const record = it.value !== undefined ? it.value : JSON.parse(it.bytes.toString("utf8"));
        try {
          source.normalize(record, { fileName: file, position: it.position });
          records.push(record);
        } catch {
          // Records of another platform or rejected ones: not part of this source's rate.
        }
      }
    }
    if (records.length === 0) continue;
    const calls = 20_000;
    const t0 = performance.now();
    for (let k = 0; k < calls; k++) source.normalize(records[k % records.length], { fileName: "bench.json", position: k });
    const secs = (performance.now() - t0) / 1000;
    console.log(`  ${source.platform}: ${Math.round(calls / secs).toLocaleString()} records/s (${records.length} fixture records)`);
  }
}
