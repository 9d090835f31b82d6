import { describe, expect, it } from "vitest";
import { atlassian } from "../atlassian";
import { awsCloudTrail } from "../aws-cloudtrail";
import { opa } from "../opa";
import { fixturePath, readFileItems } from "../testing/samples";
import type { Source } from "../types";

// Issue 14 §2: "0.0.0.0", "null" and other placeholders are not source IPs, in every source that reads a client
// address (sourceIp in util/source-ip.ts). Each source's own fixture record, its address replaced by a placeholder.

/** Every string equal to `from` anywhere in the value, replaced by `to`. */
function replaceDeep(v: unknown, from: string, to: string): unknown {
  if (v === from) return to;
  if (Array.isArray(v)) return v.map((x) => replaceDeep(x, from, to));
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replaceDeep(x, from, to)]));
  return v;
}

const cases: [name: string, source: Source, dir: string, file: string, ip: string][] = [
  ["aws-cloudtrail", awsCloudTrail, "aws-cloudtrail", "111122223333_CloudTrail_eu-west-1_20250304T1315Z_AbCdEfGh12345678.json", ""],
  ["atlassian", atlassian, "atlassian", "org-audit-events-2025-03-04.json", "198.51.100.23"],
  ["opa", opa, "opa", "opa-envoy-decision-log.ndjson", "10.42.0.1"],
];

describe("placeholder addresses are no source IP", () => {
  for (const [name, source, dir, file, knownIp] of cases)
    it(`${name}: "0.0.0.0" and "null" give no src_endpoint.ip`, async () => {
      const items = await readFileItems(fixturePath(dir, file));
      const item = items.find((x) => !("error" in x))!;
      const first = { value: "value" in item && item.value !== undefined ? item.value : JSON.parse(item.bytes.toString("utf8")) };
      const ctx = { fileName: file, position: 0 };
      const [ev] = source.normalize(first.value, ctx);
      const ip = knownIp || ev.src_endpoint.ip!;
      expect(ev.src_endpoint.ip).toBe(ip);
      for (const placeholder of ["0.0.0.0", "null", "::"]) {
        const [p] = source.normalize(replaceDeep(first.value, ip, placeholder), ctx);
        expect(p.src_endpoint.ip, `${name} with ${placeholder}`).toBeNull();
      }
    });
});
