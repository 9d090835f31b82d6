import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ACTIVITIES, eventSkeleton, type NormalizedEvent } from "@/lib/events/schema";
import { readRecords } from "./read";
import { SOURCES } from "./registry";
import { INVALID_EVENT_REASON } from "./define-source";
import { NormalizeError } from "./types";

// The contract every registered source keeps, checked on its own fixtures (lib/sources/<platform>/fixtures): every
// event's activity is one of the closed ACTIVITIES (lib/events/schema.ts; sources map their verbs through toActivity),
// and every event has the event skeleton's shape: exactly its fields, in its order (eventSkeleton), so the stored
// JSON reads the same for every source (plus `risk` after `approval` when the vendor gave a verdict).

const ROOT = import.meta.dirname;
const SKELETON_KEYS = Object.keys(
  eventSkeleton({
    platform: "x",
    class_uid: 3002,
    class_name: "Authentication",
    activity: "logon",
    event_name: "x",
    time: new Date(0),
    actor: { external_id: null, name: null, login: null, email: null, type: null, kind_hint: "unknown" },
  }),
);
const ALLOWED = new Set<string>(ACTIVITIES);

type FixtureRun = { file: string; events: NormalizedEvent[]; invalid: string[] };

async function fixtureEvents(platform: string): Promise<FixtureRun[]> {
  const dir = path.join(ROOT, platform, "fixtures");
  const source = SOURCES.find((s) => s.platform === platform)!;
  const out: FixtureRun[] = [];
  for (const file of fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []) {
    if (!/\.(json|ndjson|jsonl|csv)(\.gz)?$/.test(file)) continue;
    const events: NormalizedEvent[] = [];
    const invalid: string[] = [];
    let position = 0;
    for await (const item of readRecords(fs.createReadStream(path.join(dir, file)), { fileName: file, parse: true })) {
      if ("error" in item || !("value" in item)) continue;
      try {
        events.push(...source.normalize(item.value, { fileName: file, position: position++ }));
      } catch (e) {
        if (!(e instanceof NormalizeError)) throw e; // a refused record can be the fixture's point; a crash is a bug
        // An event the schema refuses (an activity outside the list, a wrong shape) is a source bug, not a refused record.
        if (e.message.startsWith(INVALID_EVENT_REASON)) invalid.push(`${file}: ${e.message}`);
      }
    }
    out.push({ file, events, invalid });
  }
  return out;
}

describe("source contract", () => {
  for (const { platform } of SOURCES) {
    it(`${platform}: its fixtures give events with a listed activity and the skeleton's fields, in order`, async () => {
      const files = await fixtureEvents(platform);
      const events = files.flatMap((f) => f.events);
      const badActivity = new Set<string>();
      const badShape = new Set<string>();
      for (const { file, events: es } of files)
        for (const e of es) {
          if (!ALLOWED.has(e.activity)) badActivity.add(`${file}: ${e.activity}`);
          // `risk` is the one optional field: absent without a vendor verdict, right after `approval` when present.
          const keys = Object.keys(e)
            .filter((k, i, all) => k !== "risk" || all[i - 1] !== "approval")
            .join(",");
          if (keys !== SKELETON_KEYS.join(",")) badShape.add(`${file}: ${keys}`);
        }
      expect(files.flatMap((f) => f.invalid)).toEqual([]);
      expect(events.length, `${platform} has fixtures that normalize`).toBeGreaterThan(0);
      expect([...badActivity]).toEqual([]);
      expect([...badShape]).toEqual([]);
    });
  }
});
