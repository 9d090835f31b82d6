// Record reader benchmark (lib/sources/read), in memory: the split rate of ~1 KB records with and without
// JSON.parse, and a ~200 MB stream with its RSS growth; figures printed, nothing asserted.
//   npm run bench -- read [--mb M]
import { Readable } from "node:stream";
import { readRecords } from "../../lib/sources/read";
import { cloudtrail, github } from "./synthetic";

/** ~1 KB records, distinct, as one ~1 MiB block of NDJSON or JSON-array body text. */
function block(kind: "ndjson" | "array"): Buffer {
  const parts: string[] = [];
  for (let i = 0; i < 1000; i++) {
    const rec = JSON.stringify(i % 2 ? github(i) : cloudtrail(i));
    parts.push(kind === "ndjson" ? `${rec}\n` : `,\n${rec}`);
  }
  return Buffer.from(parts.join(""));
}

/** `blocks` copies of a 1000-record block, streamed from memory (a fresh buffer each time, like a real read). */
function generated(kind: "ndjson" | "array", blocks: number): { stream: Readable; records: number; bytes: number } {
  const body = block(kind);
  const first = kind === "array" ? Buffer.concat([Buffer.from("[\n"), body.subarray(2)]) : body;
  async function* gen() {
    for (let b = 0; b < blocks; b++) yield Buffer.from(b === 0 ? first : body);
    if (kind === "array") yield Buffer.from("\n]\n");
  }
  return { stream: Readable.from(gen(), { objectMode: false }), records: blocks * 1000, bytes: blocks * body.length };
}

export async function run(args: string[]): Promise<void> {
  const i = args.indexOf("--mb");
  const mb = i >= 0 ? Number(args[i + 1]) : 200;
  for (const kind of ["ndjson", "array"] as const) {
    for (const parse of [false, true]) {
      const { stream, bytes } = generated(kind, 300);
      const t0 = performance.now();
      let n = 0;
      for await (const it of readRecords(stream, { parse })) if (!("error" in it)) n++;
      const secs = (performance.now() - t0) / 1000;
      console.log(
        `[read] ${kind}${parse ? " + JSON.parse" : ""}: ${Math.round(n / secs).toLocaleString()} records/s (${Math.round(bytes / n)} B/record, ${(bytes / 1024 / 1024 / secs).toFixed(0)} MB/s)`,
      );
    }
  }
  for (const kind of ["ndjson", "array"] as const) {
    const { stream, bytes } = generated(kind, Math.ceil((mb * 1024 * 1024) / block(kind).length));
    const base = process.memoryUsage().rss;
    let peak = base;
    let n = 0;
    const t0 = performance.now();
    for await (const it of readRecords(stream, { fileName: `big.${kind === "ndjson" ? "jsonl" : "json"}` })) {
      if ("error" in it) throw new Error(`unexpected error item at ${it.position}: ${it.error}`);
      if (++n % 20000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    const secs = (performance.now() - t0) / 1000;
    peak = Math.max(peak, process.memoryUsage().rss);
    console.log(
      `[read] ${kind}: ${(bytes / 1024 / 1024).toFixed(0)} MB, ${n.toLocaleString()} records in ${secs.toFixed(1)} s ` +
        `(${Math.round(n / secs).toLocaleString()} records/s, ${(bytes / 1024 / 1024 / secs).toFixed(0)} MB/s); rss growth ${((peak - base) / 1024 / 1024).toFixed(0)} MB`,
    );
  }
}
