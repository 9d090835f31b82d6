import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { awsCloudTrail } from "@/lib/sources/aws-cloudtrail";
import { entra } from "@/lib/sources/entra";
import { github } from "@/lib/sources/github";
import { okta } from "@/lib/sources/okta";
import { mutatedRecord } from "@/lib/sources/testing/samples";
import { NormalizedEventSchema, type NormalizedEvent } from "./schema";
import { isValidEvent, validateEvent } from "./validate";

const fixture = (p: string) => path.resolve(process.cwd(), "lib/sources", p);
const ctx = { fileName: "f", position: 0 };

function sampleEvents(): NormalizedEvent[] {
  const out: NormalizedEvent[] = [];
  for (const r of JSON.parse(fs.readFileSync(fixture("okta/fixtures/okta-system-log-page.json"), "utf8")) as unknown[])
    out.push(...okta.normalize(r, ctx));
  for (const r of JSON.parse(fs.readFileSync(fixture("entra/fixtures/graph-signins-page.json"), "utf8")).value as unknown[])
    out.push(...entra.normalize(r, ctx));
  for (const r of JSON.parse(fs.readFileSync(fixture("entra/fixtures/graph-directory-audits-page.json"), "utf8")).value as unknown[])
    out.push(...entra.normalize(r, ctx));
  const trail = fixture("aws-cloudtrail/fixtures/111122223333_CloudTrail_eu-west-1_20250304T1315Z_AbCdEfGh12345678.json");
  for (const r of JSON.parse(fs.readFileSync(trail, "utf8")).Records as unknown[]) out.push(...awsCloudTrail.normalize(r, ctx));
  for (const l of fs.readFileSync(fixture("github/fixtures/audit-log-stream.jsonl"), "utf8").trim().split("\n"))
    out.push(...github.normalize(JSON.parse(l), ctx));
  return out;
}

describe("isValidEvent (the fast check derived from NormalizedEventSchema)", () => {
  const events = sampleEvents();

  it("accepts every event the sources produce, like zod", () => {
    expect(events.length).toBeGreaterThan(20);
    for (const e of events) {
      expect(NormalizedEventSchema.safeParse(e).success).toBe(true);
      expect(isValidEvent(e)).toBe(true);
    }
  });

  it("gives zod's answer on damaged events (fast-check, 3000 runs)", () => {
    let invalid = 0;
    fc.assert(
      fc.property(mutatedRecord(events), (e) => {
        const zod = NormalizedEventSchema.safeParse(e).success;
        expect(isValidEvent(e)).toBe(zod);
        if (!zod) invalid++;
      }),
      { numRuns: 3000 },
    );
    expect(invalid).toBeGreaterThan(1000); // the mutations do break events
  });

  it("validateEvent returns the same object when valid, zod's issues when not", () => {
    const e = events[0];
    expect(validateEvent(e)).toEqual({ ok: true, event: e });
    expect((validateEvent(e) as { event: NormalizedEvent }).event).toBe(e);
    const bad = validateEvent({ ...e, status: "ok" });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.issues[0].path).toEqual(["status"]);
  });
});
