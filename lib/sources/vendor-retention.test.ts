import { describe, expect, it } from "vitest";
import { retentionPlatforms, vendorRetention, vendorRetentionSummary } from "./registry";
import { anyEvent, summarizeRetention, type LogTypeRetention } from "./vendor-retention";

const entry = (id: string, tiers: { tier: string; days: number }[]): LogTypeRetention => ({
  id,
  label: `Log ${id}`,
  tiers,
  match: anyEvent,
  doc: `https://vendor.example/${id}`,
  note: `note ${id}`,
});

describe("a platform's vendor retention as one figure (summarizeRetention)", () => {
  it("is, for every platform, one of its retention.ts entries: that log type's shortest tier, its tier name and its page", () => {
    for (const { platform } of retentionPlatforms()) {
      const table = vendorRetention(platform);
      const s = vendorRetentionSummary(platform)!;
      const t = table.find((x) => x.id === s.logType);
      expect({ platform, logType: s.logType, found: t !== undefined }).toEqual({ platform, logType: s.logType, found: true });
      expect({ platform, label: s.logTypeLabel, doc: s.doc, note: s.note }).toEqual({
        platform,
        label: t!.label,
        doc: t!.doc,
        note: t!.note,
      });
      if (s.days === null) {
        // Only when no log type of the platform documents a retention.
        expect({ platform, documented: table.filter((x) => x.tiers.length > 0).length }).toEqual({ platform, documented: 0 });
        expect(s.tier).toBeNull();
      } else {
        expect(t!.tiers).toContainEqual({ tier: s.tier, days: s.days });
        // The strict reading: no tier of any log type of the platform is shorter.
        expect(Math.min(...table.flatMap((x) => x.tiers.map((y) => y.days)))).toBe(s.days);
      }
    }
  });

  it("names the figures the tables hold (Microsoft 365 is 180 days, Audit Standard; Salesforce EventLogFile 1 day)", () => {
    expect(vendorRetentionSummary("m365")).toMatchObject({ logType: "unified-audit-log", days: 180, tier: "Audit (Standard)" });
    expect(vendorRetentionSummary("salesforce")).toMatchObject({ logType: "eventlogfile", days: 1 });
    expect(vendorRetentionSummary("okta")).toMatchObject({ logType: "system-log", days: 90, undocumented: [] });
    expect(vendorRetentionSummary("slack")).toMatchObject({ logType: "audit-logs", days: null, tier: null });
    expect(vendorRetentionSummary("atlassian")).toMatchObject({ logType: "org-audit-log", days: 180 });
    expect(vendorRetentionSummary("atlassian")!.undocumented).toHaveLength(1);
    expect(vendorRetentionSummary("servicenow")).toBeNull(); // governance feed: no table, no figure
  });

  it("picks the shortest documented log type, lists the undocumented ones, and invents nothing for an empty table", () => {
    const s = summarizeRetention([
      entry("a", [{ tier: "x", days: 90 }]),
      entry("b", []),
      entry("c", [
        { tier: "free", days: 7 },
        { tier: "paid", days: 30 },
      ]),
    ]);
    expect(s).toEqual({
      logType: "c",
      logTypeLabel: "Log c",
      days: 7,
      tier: "free",
      doc: "https://vendor.example/c",
      note: "note c",
      undocumented: ["Log b"],
    });
    expect(summarizeRetention([entry("b", []), entry("d", [])])).toMatchObject({
      logType: "b",
      days: null,
      tier: null,
      undocumented: ["Log b", "Log d"],
    });
    expect(summarizeRetention([])).toBeNull();
  });
});
