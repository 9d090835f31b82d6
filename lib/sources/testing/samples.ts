import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect } from "vitest";
import type { NormalizedEvent } from "@/lib/events/schema";
import { INVALID_EVENT_REASON } from "../define-source";
import { readRecords, type RecordItem } from "../read";
import { NormalizeError, type Source } from "../types";

// Helpers for the sources' tests: reading sample files through the real reader, tallying what a source
// normalizes or rejects, and fast-check robustness checks. Test-only (imported by *.test.ts files).

/** The shared folder beside the project (public vendor samples); tests skip what needs it when it is absent. */
const SHARED_DIR = path.resolve(process.cwd(), "../shared");
const SAMPLES_DIR = path.join(SHARED_DIR, "fixtures", "vendor-samples");
const HAS_SAMPLES = fs.existsSync(SAMPLES_DIR);

/** A describe block over the public vendor samples; skipped, saying where they were looked for, when they are absent. */
export function describeSamples(title: string, body: () => void): void {
  const where = HAS_SAMPLES ? SAMPLES_DIR : `public vendor samples not found at ${SAMPLES_DIR}: skipped`;
  describe.skipIf(!HAS_SAMPLES)(`${title} (${where})`, body);
}

/** A file of the public vendor samples (`name` relative to their folder). */
export function samplePath(name: string): string {
  return path.join(SAMPLES_DIR, name);
}

export function fixturePath(platformDir: string, name: string): string {
  return path.resolve(process.cwd(), "lib", "sources", platformDir, "fixtures", name);
}

export async function readFileItems(file: string): Promise<RecordItem[]> {
  const items: RecordItem[] = [];
  for await (const it of readRecords(fs.createReadStream(file), { fileName: path.basename(file) })) items.push(it);
  return items;
}

export type FileResult = {
  file: string;
  total: number;
  events: { position: number; record: unknown; events: NormalizedEvent[] }[];
  rejected: Map<string, number[]>;
};

/** Every record of a file through the reader and a source; any exception other than NormalizeError fails. */
export async function runFile(source: Source, file: string): Promise<FileResult> {
  const result: FileResult = { file, total: 0, events: [], rejected: new Map() };
  for (const it of await readFileItems(file)) {
    result.total++;
    const reject = (reason: string) => result.rejected.set(reason, [...(result.rejected.get(reason) ?? []), it.position]);
    if ("error" in it) {
      reject(`unreadable: ${it.error}`);
      continue;
    }
    let record: unknown;
    try {
      // CSV rows arrive parsed ({header: value}); JSON records are parsed here, as the pipeline does.
      record = it.value !== undefined ? it.value : JSON.parse(it.bytes.toString("utf8"));
    } catch (err) {
      reject(`not valid JSON: ${(err as Error).message}`);
      continue;
    }
    try {
      const events = source.normalize(record, { fileName: path.basename(file), position: it.position });
      result.events.push({ position: it.position, record, events });
    } catch (err) {
      if (!(err instanceof NormalizeError))
        throw new Error(`${path.basename(file)}#${it.position}: ${source.platform} threw ${String(err)}`);
      expect(err.message.startsWith(INVALID_EVENT_REASON), `${path.basename(file)}#${it.position}: ${err.message}`).toBe(false);
      reject(err.message);
    }
  }
  return result;
}

export function printResult(r: FileResult): void {
  const lines = [`${path.basename(r.file)}: ${r.total} records, ${r.events.length} normalized, ${r.total - r.events.length} rejected`];
  for (const [reason, positions] of r.rejected)
    lines.push(`    ${positions.length} x ${reason}  (positions ${positions.slice(0, 8).join(", ")}${positions.length > 8 ? ", …" : ""})`);
  console.log(lines.join("\n"));
}

/** The event normalized from the record at `position`. */
export function eventAt(r: FileResult, position: number): NormalizedEvent {
  const hit = r.events.find((e) => e.position === position);
  if (!hit)
    throw new Error(
      `${path.basename(r.file)}#${position} was not normalized: ${[...r.rejected].find(([, p]) => p.includes(position))?.[0]}`,
    );
  return hit.events[0];
}

// --- robustness ------------------------------------------------------------------------------------------

type Slot = { parent: Record<string, unknown> | unknown[]; key: string | number };

function slots(v: unknown, out: Slot[] = [], depth = 0): Slot[] {
  if (depth > 8) return out;
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      out.push({ parent: v, key: i });
      slots(x, out, depth + 1);
    });
  } else if (typeof v === "object" && v !== null) {
    for (const [k, x] of Object.entries(v)) {
      out.push({ parent: v as Record<string, unknown>, key: k });
      slots(x, out, depth + 1);
    }
  }
  return out;
}

const OPS = ["drop", "null", "number", "string", "empty", "unknown", "bool", "array", "object", "json"] as const;
type Mutation = { at: number; op: (typeof OPS)[number]; value: unknown };

function applyMutation(root: unknown, m: Mutation): void {
  const all = slots(root);
  if (all.length === 0) return;
  const { parent, key } = all[m.at % all.length];
  const set = (v: unknown) => {
    if (Array.isArray(parent)) parent[key as number] = v;
    else parent[key as string] = v;
  };
  switch (m.op) {
    case "drop":
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
      return;
    case "null":
      return set(null);
    case "number":
      return set(typeof m.value === "number" ? m.value : -1.5e300);
    case "string":
      return set(typeof m.value === "string" ? m.value : "x\u0000\"'\\");
    case "empty":
      return set("");
    case "unknown":
      return set("unknown");
    case "bool":
      return set(true);
    case "array":
      return set([m.value, {}]);
    case "object":
      return set({ nested: m.value });
    case "json":
      return set(m.value);
  }
}

/** A sample record with random fields dropped or replaced by values of other types. */
export function mutatedRecord(records: readonly unknown[]): fc.Arbitrary<unknown> {
  return fc
    .tuple(
      fc.constantFrom(...records),
      fc.array(fc.record({ at: fc.nat(), op: fc.constantFrom(...OPS), value: fc.jsonValue({ maxDepth: 2 }) }), {
        minLength: 1,
        maxLength: 10,
      }),
    )
    .map(([record, mutations]) => {
      const copy = structuredClone(record);
      for (const m of mutations) applyMutation(copy, m);
      return copy;
    });
}

/** normalize() on mutated records: it returns events or throws NormalizeError, never anything else. */
export function assertRobust(source: Source, records: readonly unknown[], numRuns = 2000): { normalized: number; rejected: number } {
  let normalized = 0;
  let rejected = 0;
  fc.assert(
    fc.property(fc.oneof(mutatedRecord(records), fc.jsonValue({ maxDepth: 3 })), (record) => {
      try {
        const events = source.normalize(record, { fileName: "fuzz.json", position: 0 });
        expect(events.length).toBeGreaterThan(0);
        normalized++;
      } catch (err) {
        if (!(err instanceof NormalizeError)) throw err;
        // A schema failure would mean the source built a malformed event from odd input: a bug, not a rejection.
        expect(err.message.startsWith(INVALID_EVENT_REASON), err.message).toBe(false);
        rejected++;
      }
    }),
    { numRuns: process.env.FC_RUNS ? Number(process.env.FC_RUNS) : numRuns },
  );
  return { normalized, rejected };
}

/**
 * What a fixture's events keep of the vendor's risk verdict: one [event_name, risk] per event, in file order (risk
 * null when the event carries none), and nothing rejected.
 */
export async function risksOf(source: Source, platformDir: string, name: string): Promise<[string, NormalizedEvent["risk"] | null][]> {
  const r = await runFile(source, fixturePath(platformDir, name));
  expect([...r.rejected.keys()]).toEqual([]);
  return r.events.flatMap((x) => x.events.map((e): [string, NormalizedEvent["risk"] | null] => [e.event_name, e.risk ?? null]));
}
