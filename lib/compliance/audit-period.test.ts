import { describe, expect, it } from "vitest";
import { auditPeriodQuery, describePeriod, periodParams, periodPresets } from "./audit-period.types";
import { buildFrameworkReportContract } from "./build-framework-report.types";

describe("audit period", () => {
  it("a date-only `to` covers that whole day: the period is half-open at the next midnight (UTC)", () => {
    const p = auditPeriodQuery.parse({ from: "2025-01-01", to: "2025-03-31" });
    expect(p).toEqual({ from: "2025-01-01T00:00:00.000Z", toExclusive: "2025-04-01T00:00:00.000Z" });
    expect(describePeriod(p)).toBe("2025-01-01 to 2025-03-31 (UTC)");
    expect(periodParams(p)).toEqual({ from: "2025-01-01", to: "2025-03-31" });
  });

  it("open ends and no period at all", () => {
    expect(auditPeriodQuery.parse({})).toEqual({ from: null, toExclusive: null });
    expect(describePeriod(auditPeriodQuery.parse({ from: "", to: "" }))).toBe("all data held (no period set)");
    expect(describePeriod(auditPeriodQuery.parse({ from: "2025-02-01" }))).toBe("from 2025-02-01 to now (UTC)");
    expect(describePeriod(auditPeriodQuery.parse({ to: "2025-02-01" }))).toBe("everything held through 2025-02-01 (UTC)");
  });

  it("refuses a period that ends before it starts, and text that is no date, with a message that says what to enter", () => {
    const back = auditPeriodQuery.safeParse({ from: "2025-03-01", to: "2025-02-01" });
    expect(back.success).toBe(false);
    expect(back.error!.issues[0].message).toMatch(/ends before it starts/);
    const junk = auditPeriodQuery.safeParse({ from: "last tuesday" });
    expect(junk.error!.issues[0].message).toMatch(/YYYY-MM-DD/);
    // A one-day period is fine.
    expect(auditPeriodQuery.safeParse({ from: "2025-03-01", to: "2025-03-01" }).success).toBe(true);
  });

  it("presets: last 90 days ends today, last quarter is the previous calendar quarter", () => {
    const presets = periodPresets(new Date("2026-12-07T16:00:00Z"));
    expect(presets.find((p) => p.id === "90d")).toMatchObject({ from: "2026-09-09", to: "2026-12-07" });
    expect(presets.find((p) => p.id === "quarter")).toMatchObject({
      from: "2026-07-01",
      to: "2026-09-30",
      label: "Last quarter (Q3 2026)",
    });
    // In the first quarter, the last quarter is Q4 of the year before.
    expect(periodPresets(new Date("2026-02-10T00:00:00Z")).find((p) => p.id === "quarter")).toMatchObject({
      from: "2025-10-01",
      to: "2025-12-31",
      label: "Last quarter (Q4 2025)",
    });
    expect(presets.find((p) => p.id === "all")).toMatchObject({ from: null, to: null });
  });
});

describe("report query (GET /api/v1/compliance/{framework}/report)", () => {
  it("takes no period (all data), a period, and refuses a backwards one naming `to`", () => {
    expect(buildFrameworkReportContract.query.parse({})).toEqual({ format: "csv", period: { from: null, toExclusive: null } });
    expect(buildFrameworkReportContract.query.parse({ format: "html", from: "2025-01-01", to: "2025-03-31" })).toEqual({
      format: "html",
      period: { from: "2025-01-01T00:00:00.000Z", toExclusive: "2025-04-01T00:00:00.000Z" },
    });
    const bad = buildFrameworkReportContract.query.safeParse({ from: "2025-03-01", to: "2025-02-01" });
    expect(bad.error!.issues).toEqual([expect.objectContaining({ path: ["to"], message: expect.stringMatching(/ends before it starts/) })]);
  });
});
