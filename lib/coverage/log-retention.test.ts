import { describe, expect, it } from "vitest";
import { PLATFORM_CAPABILITIES } from "./platform-capabilities";
import { judgeLogType } from "./log-retention";
import { retentionPlatforms, vendorRetention } from "@/lib/sources/registry";
import { logTypeOf } from "@/lib/sources/vendor-retention";

const now = new Date("2026-12-07T12:00:00Z");
const ago = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();

describe("vendor retention per log type (lib/sources/<platform>/retention.ts)", () => {
  it("covers every audit-log platform, each entry citing an https page", () => {
    const audit = PLATFORM_CAPABILITIES.filter((c) => c.kind === "platform").map((c) => c.platform);
    expect(
      retentionPlatforms()
        .map((p) => p.platform)
        .sort(),
    ).toEqual([...audit].sort());
    for (const { platform } of retentionPlatforms())
      for (const t of vendorRetention(platform)) {
        expect(t.doc).toMatch(/^https:\/\//);
        expect(t.tiers.map((x) => x.days)).toEqual([...t.tiers.map((x) => x.days)].sort((a, b) => a - b)); // shortest first
      }
    expect(vendorRetention("servicenow")).toEqual([]); // governance feeds: no vendor log window
  });

  it("the documented figures: Salesforce EventLogFile 1/30 days, LoginHistory and Setup Audit Trail 180, Entra 7/30, M365 180/365", () => {
    const days = (platform: string, id: string) =>
      vendorRetention(platform)
        .find((t) => t.id === id)!
        .tiers.map((t) => t.days);
    expect(days("salesforce", "eventlogfile")).toEqual([1, 30]);
    expect(days("salesforce", "login-history")).toEqual([180]);
    expect(days("salesforce", "setup-audit-trail")).toEqual([180]);
    expect(days("entra", "sign-in")).toEqual([7, 30]);
    expect(days("entra", "audit")).toEqual([7, 30]);
    expect(days("m365", "unified-audit-log")).toEqual([180, 365]);
    expect(days("okta", "system-log")).toEqual([90]);
    expect(days("github", "git-events")).toEqual([7]);
    expect(days("github", "audit-log")).toEqual([180]);
    expect(days("aws-cloudtrail", "event-history")).toEqual([90]);
    expect(days("snowflake", "account-usage")).toEqual([365]);
    expect(days("slack", "audit-logs")).toEqual([]);
  });

  it("classifies events into log types by class, name and feed shape", () => {
    const t = (platform: string, e: { classUid?: number; eventName?: string; shape?: string }) =>
      logTypeOf(vendorRetention(platform), { classUid: e.classUid ?? 6003, eventName: e.eventName ?? null, shape: e.shape ?? null })?.id;
    expect(t("entra", { classUid: 3002 })).toBe("sign-in");
    expect(t("entra", { classUid: 3001 })).toBe("audit");
    expect(t("github", { eventName: "git.clone" })).toBe("git-events");
    expect(t("github", { eventName: "repo.create" })).toBe("audit-log");
    expect(t("salesforce", { shape: "eventlogfile" })).toBe("eventlogfile");
    expect(t("salesforce", { shape: "setup-audit-trail-csv" })).toBe("setup-audit-trail");
    expect(t("salesforce", { shape: "login-history" })).toBe("login-history");
    expect(t("salesforce", {})).toBeUndefined(); // no shape: no log type claimed
  });
});

describe("judgeLogType", () => {
  const base = { requiredDays: 365, now };
  it("sufficient: policy long enough, history reaches back, ingestion current", () => {
    expect(judgeLogType({ ...base, vendorDays: 90, ourDays: null, held: { oldest: ago(400), newest: ago(1) } }).status).toBe("sufficient");
    expect(judgeLogType({ ...base, vendorDays: 90, ourDays: 365, held: { oldest: ago(365), newest: ago(90) } }).status).toBe("sufficient");
  });
  it("gap: our policy purges too early, or ingestion stalled past the vendor's window", () => {
    const short = judgeLogType({ ...base, vendorDays: 90, ourDays: 180, held: { oldest: ago(400), newest: ago(1) } });
    expect(short).toMatchObject({ status: "gap", reason: expect.stringContaining("180 days, fewer than the 365") });
    // Salesforce EventLogFile without Event Monitoring (1 day): two days since the newest event is already a gap.
    const stalled = judgeLogType({ ...base, vendorDays: 1, ourDays: null, held: { oldest: ago(400), newest: ago(2) } });
    expect(stalled).toMatchObject({ status: "gap", reason: expect.stringContaining("2 days old and the vendor keeps 1") });
    // The edge: exactly the vendor's window is still current.
    expect(judgeLogType({ ...base, vendorDays: 90, ourDays: null, held: { oldest: ago(400), newest: ago(90) } }).status).toBe("sufficient");
  });
  it("short history, unknown vendor retention, nothing ingested", () => {
    const young = judgeLogType({ ...base, vendorDays: 90, ourDays: null, held: { oldest: ago(30), newest: ago(1) } });
    expect(young).toMatchObject({ status: "short_history", reason: expect.stringContaining("cannot be recovered") });
    const backfill = judgeLogType({ ...base, vendorDays: 400, ourDays: null, held: { oldest: ago(30), newest: ago(1) } });
    expect(backfill.reason).toMatch(/backfill/);
    expect(judgeLogType({ ...base, vendorDays: null, ourDays: null, held: { oldest: ago(400), newest: ago(1) } }).status).toBe("unknown");
    expect(judgeLogType({ ...base, vendorDays: 90, ourDays: null, held: null }).status).toBe("not_ingested");
  });
});
