import fs from "node:fs";
import path from "node:path";
import type { RequestContext } from "@/lib/context/request-context";
import { AppError } from "@/lib/errors";
import type { GrantMappingDefinition } from "@/lib/sources/pam-grants/grant-mapping.types";
import { ingestStream, type IngestProgress, type IngestResult } from "./ingest-stream";

// The command-line way in: files and folders (walked recursively, hidden files skipped), one batch per file.
function expandPaths(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    const st = fs.statSync(p, { throwIfNoEntry: false });
    if (!st) throw new AppError("NOT_FOUND", `No such file or folder: ${p}`);
    if (st.isDirectory()) {
      for (const entry of fs.readdirSync(p).sort()) if (!entry.startsWith(".")) walk(path.join(p, entry));
    } else if (st.isFile()) out.push(p);
  };
  paths.forEach(walk);
  return out;
}

export type FileOutcome = { file: string; result?: IngestResult; error?: string };

export async function ingestFiles({
  ctx,
  paths,
  platform,
  sourceName,
  grantMapping,
  onProgress,
  onFileDone,
}: {
  ctx: RequestContext;
  paths: string[];
  platform?: string;
  sourceName?: string;
  /** Read every file through this declared grant mapping (lib/ingest/grant-mappings.ts). */
  grantMapping?: GrantMappingDefinition;
  onProgress?: (file: string, p: IngestProgress) => void;
  onFileDone?: (o: FileOutcome) => void;
}): Promise<FileOutcome[]> {
  const outcomes: FileOutcome[] = [];
  for (const file of expandPaths(paths)) {
    let outcome: FileOutcome;
    try {
      const result = await ingestStream({
        input: fs.createReadStream(file, { highWaterMark: 1 << 20 }),
        fileName: path.basename(file),
        byteSize: fs.statSync(file).size,
        via: "cli",
        platform,
        sourceName,
        grantMapping,
        ctx,
        onProgress: (p) => onProgress?.(file, p),
      });
      outcome = { file, result };
    } catch (err) {
      outcome = { file, error: (err as Error).message };
    }
    outcomes.push(outcome);
    onFileDone?.(outcome);
  }
  return outcomes;
}
