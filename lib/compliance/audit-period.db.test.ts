import { describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { buildFrameworkReport, REPORT_NOTICE } from "./build-framework-report";
import { getControlDetail } from "./get-control-detail";
import { getFrameworkStatus } from "./get-framework-status";
import { auditPeriodQuery } from "./audit-period.types";

// One store, two audit periods: the populations behind a control are those of the period, and the reports say which.

let nextEvent = 700_000;
async function checksAt(time: string, count: number, approved: boolean) {
  for (let i = 0; i < count; i++) {
    await pool().query(
      `INSERT INTO governance_check (id, "eventId", platform, time, action, category, approved, status, reasons)
       VALUES (gen_random_uuid(), $1, 'okta', $2, 'user.account.privilege.grant', 'admin_role_change', $3, $4, '[]')`,
      [nextEvent++, time, approved, approved ? "ok" : "unapproved"],
    );
  }
}

async function findingAt(ruleId: string, time: string, fingerprint: string) {
  await pool().query(
    `INSERT INTO finding (id, "ruleId", severity, title, evidence, status, fingerprint, "eventIds", "firstSeenAt", "lastSeenAt")
     VALUES (gen_random_uuid(), $1, 'high', 'Privileged action without approval', '{}', 'open', $2, '{}', $3, $3)`,
    [ruleId, fingerprint, time],
  );
}

const Q1 = auditPeriodQuery.parse({ from: "2025-01-01", to: "2025-03-31" });
const Q2 = auditPeriodQuery.parse({ from: "2025-04-01", to: "2025-06-30" });
const approvalOf = async (period: typeof Q1) =>
  (await getFrameworkStatus({ framework: "nist-csf-2.0", period })).controls
    .find((c) => c.id === "PR.AA-05")!
    .evidence.find((e) => e.source === "governance:approval")!;

describe("audit period", () => {
  it("the same store gives different populations and statuses for two periods", async () => {
    // Q1: 20 approved privileged actions (sufficient); Q2: 10 actions, 3 approved (partial); one on the edge of Q2's end.
    await checksAt("2025-02-10T10:00:00Z", 20, true);
    await checksAt("2025-05-10T10:00:00Z", 3, true);
    await checksAt("2025-05-11T10:00:00Z", 6, false);
    await checksAt("2025-06-30T23:59:59.999Z", 1, false);
    await checksAt("2025-07-01T00:00:00Z", 5, false); // the first instant after Q2: outside it

    const q1 = await approvalOf(Q1);
    expect(q1.population).toMatchObject({ numerator: 20, denominator: 20 });
    expect(q1.status).toBe("sufficient");
    const q2 = await approvalOf(Q2);
    expect(q2.population).toMatchObject({ numerator: 3, denominator: 10 });
    expect(q2.status).toBe("partial");
    // No period: everything held.
    expect((await approvalOf({ from: null, toExclusive: null })).population).toMatchObject({ numerator: 23, denominator: 35 });
  });

  it("findings count against a control only in the periods they were active in", async () => {
    await findingAt("privileged-without-approval", "2025-05-12T00:00:00Z", "fp-q2");
    const gov = async (period: typeof Q1) =>
      (await getFrameworkStatus({ framework: "nist-csf-2.0", period })).controls
        .find((c) => c.id === "PR.AA-05")!
        .evidence.find((e) => e.source === "privileged-without-approval");
    expect((await gov(Q1))?.openFindings ?? 0).toBe(0);
    expect((await gov(Q2))!.openFindings).toBe(1);
    const d1 = await getControlDetail({ framework: "nist-csf-2.0", controlId: "PR.AA-05", period: Q1 });
    const d2 = await getControlDetail({ framework: "nist-csf-2.0", controlId: "PR.AA-05", period: Q2 });
    expect(d1!.findingsTotal).toBe(0);
    expect(d2!.findingsTotal).toBe(1);
    expect(d1!.governance.reduce((s, g) => s + g.checks, 0)).toBe(20);
    expect(d2!.periodLabel).toBe("2025-04-01 to 2025-06-30 (UTC)");
  });

  it("the CSV and the printable report state the period, who generated them, the analysis and the notice", async () => {
    const args = {
      framework: "nist-csf-2.0" as const,
      period: Q2,
      analysis: "Analysis run #7 (through event #42)",
      generatedBy: "auditor@example.com",
    };
    const html = await buildFrameworkReport({ ...args, format: "html" });
    expect(html.body).toContain('<dd data-testid="report-period">2025-04-01 to 2025-06-30 (UTC)</dd>');
    expect(html.body).toContain("auditor@example.com");
    expect(html.body).toContain("Analysis run #7 (through event #42)");
    expect(html.body).toContain(REPORT_NOTICE);
    expect(html.fileName).toMatch(/-period-2025-04-01-to-2025-06-30\.html$/);

    const csv = await buildFrameworkReport({ ...args, format: "csv" });
    const [header, first] = csv.body.split("\r\n");
    const cols = header.split(",");
    expect(cols).toContain("audit_period");
    expect(cols).toContain("data_covered");
    expect(first).toContain("2025-04-01 to 2025-06-30 (UTC)");
    // The same report over Q1 says Q1.
    const q1 = await buildFrameworkReport({ ...args, period: Q1, format: "csv" });
    expect(q1.body).toContain("2025-01-01 to 2025-03-31 (UTC)");
    expect(q1.body).not.toContain("2025-04-01 to 2025-06-30");
  });
});
