import fs from "node:fs";
import path from "node:path";
import type { KeyObject } from "node:crypto";
import { dataDir, env } from "@/lib/env";
import { verifyCheckpointSignature } from "./checkpoint-note";
import { checkpointFieldsFromJson, type LedgerCheckpointJson } from "./checkpoint-row";

// Checkpoints published outside the database. Everything in PostgreSQL, signed or not, can be deleted by its
// superuser: rows, checkpoints and batches back to any earlier state (a full rollback) leave a ledger that is
// consistent with itself. What catches that is a copy of the checkpoints the database user cannot reach: every
// checkpoint is appended, as one JSON line (LedgerCheckpointJson, with the signed note and its signature), to a
// file on the application's host (SESSIONPROOF_CHECKPOINT_LOG, default data/ledger-checkpoints.ndjson), which the
// administrator ships elsewhere (backup, WORM storage, a ticket); optionally each line is also POSTed to a witness
// URL. `ledger verify --against <file>` compares the database with such a file, and a new checkpoint is refused
// when the database is behind the log. docs/ledger-threat-model.md says which attacker each copy stops.

export const CHECKPOINT_LOG_FILE = "ledger-checkpoints.ndjson";

/** The log file, or null when SESSIONPROOF_CHECKPOINT_LOG is "off". */
export function checkpointLogPath(): string | null {
  const configured = env().SESSIONPROOF_CHECKPOINT_LOG;
  if (configured === "off") return null;
  return path.resolve(configured ?? path.join(dataDir(), CHECKPOINT_LOG_FILE));
}

export function checkpointLogLine(cp: LedgerCheckpointJson): string {
  return JSON.stringify(cp) + "\n";
}

export type PublishedCheckpoints = {
  file: string;
  checkpoints: LedgerCheckpointJson[];
  /** Lines that are not a checkpoint (line number from 1). */
  problems: { line: number; message: string }[];
};

function parseLine(text: string): LedgerCheckpointJson {
  const j = JSON.parse(text) as LedgerCheckpointJson;
  const ok =
    j &&
    Number.isSafeInteger(j.seq) &&
    Number.isSafeInteger(j.treeSize) &&
    typeof j.rootHash === "string" &&
    /^[0-9a-f]{64}$/.test(j.rootHash) &&
    typeof j.createdAt === "string" &&
    typeof j.signature === "string";
  if (!ok) throw new Error("not a checkpoint (seq, treeSize, rootHash, createdAt and signature are required)");
  return j;
}

/** Reads a checkpoint log, or the output of `ledger checkpoints`: one checkpoint JSON per line. */
export function readCheckpointLog(file: string): PublishedCheckpoints {
  const out: PublishedCheckpoints = { file, checkpoints: [], problems: [] };
  fs.readFileSync(file, "utf8")
    .split("\n")
    .forEach((line, i) => {
      if (line.trim() === "") return;
      try {
        out.checkpoints.push(parseLine(line));
      } catch (err) {
        out.problems.push({ line: i + 1, message: (err as Error).message });
      }
    });
  return out;
}

/** The last checkpoint in the log (read from its tail), or null when there is no log yet. */
export function lastLoggedCheckpoint(file: string): LedgerCheckpointJson | null {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const tail = Buffer.alloc(Math.min(size, 64 * 1024));
    fs.readSync(fd, tail, 0, tail.length, size - tail.length);
    const lines = tail
      .toString("utf8")
      .split("\n")
      .filter((l) => l.trim() !== "");
    if (lines.length === 0) return null;
    try {
      return parseLine(lines[lines.length - 1]);
    } catch (err) {
      throw new Error(`the last line of the checkpoint log ${file} is not a checkpoint (${(err as Error).message})`);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Appends checkpoints to the log (one write per call, O_APPEND: lines from several processes never interleave). */
export function appendToCheckpointLog(file: string, cps: readonly LedgerCheckpointJson[]): void {
  if (cps.length === 0) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.appendFileSync(file, cps.map(checkpointLogLine).join(""), { mode: 0o644 });
}

/** POSTs each checkpoint's JSON line to the witness URL; throws on the first failure (the caller logs it). */
export async function sendToWitness(url: string, cps: readonly LedgerCheckpointJson[]): Promise<void> {
  for (const cp of cps) {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: checkpointLogLine(cp),
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) throw new Error(`the witness ${url} answered ${res.status} to checkpoint #${cp.seq}`);
  }
}

/** A published checkpoint's signature checked with the ledger key. */
export function publishedSignatureValid(cp: LedgerCheckpointJson, publicKey: KeyObject): boolean {
  try {
    return verifyCheckpointSignature(checkpointFieldsFromJson(cp), publicKey);
  } catch {
    return false;
  }
}
