import { constants, gunzipSync } from "node:zlib";
import type { ContainerKind, DetectProbe } from "../types";
import { CsvSplitter, isCsvFileName, type CsvItem } from "./csv";
import { decideMode, isLinesFileName } from "./read-records";
import { RecordSplitter, type SplitItem } from "./splitter";

export type FileProbe = DetectProbe & {
  gzip: boolean;
  /** Why the head could not be read (broken gzip), if so. */
  problems: string[];
};

const PROBE_RECORDS = 5;

/**
 * Looks at the first bytes of a file (gzip or not) for detection: the container kind and the first complete
 * records, parsed. A record cut off by the end of the head is not used.
 */
export function probeFile(head: Buffer, fileName: string): FileProbe {
  const problems: string[] = [];
  let data = head;
  const gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  if (gzip) {
    try {
      // The head is a prefix of the compressed file: sync flush gives what it holds without requiring the end.
      data = gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH });
    } catch (err) {
      problems.push(`gzip: ${(err as Error).message}`);
      data = Buffer.alloc(0);
    }
  }
  if (isCsvFileName(fileName) || decideMode(data, true) === "csv") {
    // The head's complete data rows (a row cut off by the end of the head is not used).
    const csv = new CsvSplitter();
    const rows: CsvItem[] = [];
    csv.push(data, rows);
    const records = rows
      .filter((r) => "value" in r && r.value)
      .slice(0, PROBE_RECORDS)
      .map((r) => r.value);
    if (csv.header === null)
      return { fileName, container: data.length ? "unknown" : "empty", envelopeKey: null, records: [], gzip, problems };
    return { fileName, container: "csv", envelopeKey: null, records, gzip, problems: [...problems, ...csv.problems] };
  }
  const splitter = new RecordSplitter({ lines: isLinesFileName(fileName) });
  const items: SplitItem[] = [];
  splitter.push(data, items);
  const records: unknown[] = [];
  for (const item of items) {
    if (records.length >= PROBE_RECORDS) break;
    if ("error" in item) continue;
    try {
      records.push(JSON.parse(item.bytes.toString("utf8")));
    } catch {
      // Not JSON after all: detection works with the records that are.
    }
  }
  let container: ContainerKind = splitter.containerKind();
  if (container === "empty" && data.length > 0 && data.toString("utf8").trim() !== "") container = "unknown";
  return { fileName, container, envelopeKey: splitter.envelopeKey, records, gzip, problems };
}
