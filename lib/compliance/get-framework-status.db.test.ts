import { describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { expectAppError, seedIdentity, seedUser } from "@/test/factories";
import { buildFrameworkReport, REPORT_NOTICE } from "./build-framework-report";
import { getControlDetail } from "./get-control-detail";
import { getFrameworkStatus } from "./get-framework-status";
import { scopeInControl, scopeOutControl } from "./scope-control";
import { scopeOutInput } from "./scope-control.types";
import { setComplianceThresholds } from "./set-compliance-thresholds";
import { getComplianceThresholds } from "./thresholds";

// Crafted rows in a fresh database: the status of a control follows from the populations and findings mapped to it
// in evidence-map.ts, measured against the thresholds (lib/compliance/thresholds.ts).

type Fw = "nist-csf-2.0" | "owasp-nhi-2025" | "nist-ai-rmf-1.0";
const statusOf = async (framework: Fw, id: string) => (await getFrameworkStatus({ framework })).controls.find((c) => c.id === id)!;
const itemOf = async (framework: Fw, id: string, source: string) =>
  (await statusOf(framework, id)).evidence.find((e) => e.source === source)!;

let nextEvent = 900_000;
async function insertGovernanceChecks(count: number, approved: boolean | null) {
  for (let i = 0; i < count; i++) {
    await pool().query(
      `INSERT INTO governance_check (id, "eventId", platform, time, action, category, approved, status, reasons)
       VALUES (gen_random_uuid(), $1, 'okta', now(), 'user.account.privilege.grant', 'admin_role_change', $2, $3, '[]')`,
      [nextEvent++, approved, approved ? "ok" : "unapproved"],
    );
  }
}

async function insertFinding(ruleId: string, fingerprint: string) {
  const s = await pool().query<{ id: string }>(
    `INSERT INTO session (id, platform, "sessionKey", "keyType", rule, "startedAt", "endedAt", "srcIps")
     VALUES (gen_random_uuid(), 'github', $1, 'native', 'test', now() - interval '1 hour', now(), '{}') RETURNING id`,
    [fingerprint],
  );
  const f = await pool().query<{ id: string }>(
    `INSERT INTO finding (id, "ruleId", severity, title, "sessionId", evidence, status, fingerprint, "eventIds", "firstSeenAt", "lastSeenAt")
     VALUES (gen_random_uuid(), $1, 'high', 'Service account used from a browser', $2, '{}', 'open', $3, '{}', now(), now())
     RETURNING id`,
    [ruleId, s.rows[0].id, fingerprint],
  );
  return { sessionId: s.rows[0].id, findingId: f.rows[0].id };
}

describe("framework status", () => {
  it("starts with no data when nothing is stored", async () => {
    const st = await getFrameworkStatus({ framework: "nist-csf-2.0" });
    expect(st.summary.total).toBe(106);
    expect(st.summary.no_data).toBe(106);
    expect(st.controls.find((c) => c.id === "PR.AA-05")!.status).toBe("no_data");
  });

  it("one approved privileged action is not sufficient; the population must meet the threshold and the minimum", async () => {
    await insertGovernanceChecks(1, true);
    let gov = await itemOf("nist-csf-2.0", "PR.AA-05", "governance:approval");
    expect(gov.status).toBe("partial");
    expect(gov.population).toMatchObject({ numerator: 1, denominator: 1, thresholdPct: 95, min: 10 });

    // 19 of 20 = 95%: sufficient.
    await insertGovernanceChecks(18, true);
    await insertGovernanceChecks(1, null);
    gov = await itemOf("nist-csf-2.0", "PR.AA-05", "governance:approval");
    expect(gov.population).toMatchObject({ numerator: 19, denominator: 20 });
    expect(gov.status).toBe("sufficient");
    // The JIT population of the same actions has none inside a window: a gap, so the control is only partial.
    expect((await itemOf("nist-csf-2.0", "PR.AA-05", "governance:jit")).status).toBe("gap");
    expect((await statusOf("nist-csf-2.0", "PR.AA-05")).status).toBe("partial");
  });

  it("thresholds are settings: raising one turns sufficient into partial, and the change is audited", async () => {
    const admin = await seedUser("compliance");
    expect((await getComplianceThresholds()).privilegedApprovedPct).toBe(95);
    await setComplianceThresholds({ ctx: admin.ctx, input: { privilegedApprovedPct: 96 } });
    const t = await getComplianceThresholds();
    expect(t.privilegedApprovedPct).toBe(96);
    expect(t.minPopulation).toBe(10); // untouched
    expect((await itemOf("nist-csf-2.0", "PR.AA-05", "governance:approval")).status).toBe("partial");
    const audit = await pool().query(`SELECT action, details FROM audit_log WHERE "resourceId" = 'compliance.thresholds'`);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].details.before.privilegedApprovedPct).toBe(95);
    expect(audit.rows[0].details.after.privilegedApprovedPct).toBe(96);
    // One row never makes a control green: a minimum population of 1 is refused.
    await expect(setComplianceThresholds({ ctx: admin.ctx, input: { minPopulation: 1 } })).rejects.toThrow(/at least 2/);
    await expect(setComplianceThresholds({ ctx: admin.ctx, input: { fieldFillPct: 101 } })).rejects.toThrow(/cannot exceed 100%/);
    await setComplianceThresholds({ ctx: admin.ctx, input: { privilegedApprovedPct: 95 } });
  });

  it("an open finding is a gap; a resolved one is not open", async () => {
    const { findingId, sessionId } = await insertFinding("human-use-of-nhi", "fp-open");
    const nhi10 = await statusOf("owasp-nhi-2025", "NHI10:2025");
    expect(nhi10.status).toBe("gap");
    expect(nhi10.openFindings).toBe(1);
    // A rule that did not fire says nothing for or against its control.
    expect((await statusOf("owasp-nhi-2025", "NHI7:2025")).status).toBe("no_data");

    const detail = (await getControlDetail({ framework: "owasp-nhi-2025", controlId: "NHI10:2025" }))!;
    expect(detail.findings.map((x) => x.id)).toEqual([findingId]);
    expect(detail.findings[0].reason).toBe("Direct match: humans using NHI credentials.");
    expect(detail.sessions.map((x) => [x.id, x.findings])).toEqual([[sessionId, 1]]);
    expect(detail.status).toBe("gap");

    await pool().query(`UPDATE finding SET evidence = '{"resolvedAt":"2026-12-01T00:00:00Z"}' WHERE id = $1`, [findingId]);
    const after = await statusOf("owasp-nhi-2025", "NHI10:2025");
    expect(after.openFindings).toBe(0);
    expect(after.status).toBe("no_data");
  });

  it("a compliance user scopes a control out with a reason (audited), and back in", async () => {
    const cm = await seedUser("compliance");
    await expectAppError(
      scopeOutControl({ ctx: cm.ctx, framework: "nist-csf-2.0", controlId: "PR.AC-01", input: { reason: "Not used here at all" } }),
      "NOT_FOUND",
    );
    // The route contract refuses a short reason before scopeOutControl runs.
    expect(() => scopeOutInput.parse({ reason: "n/a" })).toThrow(/at least 10 characters/);
    const reason = "No privileged administration happens in this tenant";
    const out = await scopeOutControl({ ctx: cm.ctx, framework: "nist-csf-2.0", controlId: "PR.AA-05", input: { reason } });
    expect(out).toMatchObject({ controlId: "PR.AA-05", reason, scopedBy: cm.email });
    const row = await statusOf("nist-csf-2.0", "PR.AA-05");
    expect(row.status).toBe("not_applicable");
    expect(row.scoping).toMatchObject({ reason, scopedBy: cm.email });
    // Its evidence is still measured.
    expect(row.evidence.find((e) => e.source === "governance:approval")!.status).toBe("sufficient");
    expect((await getFrameworkStatus({ framework: "nist-csf-2.0" })).summary.not_applicable).toBe(1);
    // Scoping out is per framework: the same id elsewhere is unaffected.
    expect((await getControlDetail({ framework: "nist-csf-2.0", controlId: "PR.AA-05" }))!.scoping?.reason).toBe(reason);
    await expectAppError(scopeOutControl({ ctx: cm.ctx, framework: "nist-csf-2.0", controlId: "PR.AA-05", input: { reason } }), "CONFLICT");

    await scopeInControl({
      ctx: cm.ctx,
      framework: "nist-csf-2.0",
      controlId: "PR.AA-05",
      input: { reason: "Privileged admin started in Q4" },
    });
    expect((await statusOf("nist-csf-2.0", "PR.AA-05")).status).toBe("partial");
    const audit = await pool().query(
      `SELECT action, "actorEmail", details->>'reason' AS reason FROM audit_log WHERE "resourceId" = 'nist-csf-2.0/PR.AA-05' ORDER BY id`,
    );
    expect(audit.rows).toEqual([
      { action: "control.scoped_out", actorEmail: cm.email, reason },
      { action: "control.scoped_in", actorEmail: cm.email, reason: "Privileged admin started in Q4" },
    ]);
  });

  it("a weak-authentication finding about a person does not count against OWASP NHI4; about a service account it does", async () => {
    const person = await seedIdentity({ kind: "human", displayName: "alice" });
    const bot = await seedIdentity({ kind: "service_account", displayName: "ci-bot" });
    const nhi4 = async () => (await statusOf("owasp-nhi-2025", "NHI4:2025")).evidence.find((e) => e.source === "weak-authentication")!;
    await pool().query(
      `INSERT INTO finding (id, "ruleId", severity, title, "identityId", evidence, status, fingerprint, "eventIds", "firstSeenAt", "lastSeenAt")
       VALUES (gen_random_uuid(), 'weak-authentication', 'medium', 'alice signed in without MFA', $1, '{}', 'open', 'weak-alice', '{}', now(), now())`,
      [person],
    );
    expect((await nhi4()).openFindings).toBe(0);
    // The same finding counts for CSF PR.AA-03, which is about users and services alike.
    expect((await itemOf("nist-csf-2.0", "PR.AA-03", "weak-authentication")).openFindings).toBe(1);
    await pool().query(
      `INSERT INTO finding (id, "ruleId", severity, title, "identityId", evidence, status, fingerprint, "eventIds", "firstSeenAt", "lastSeenAt")
       VALUES (gen_random_uuid(), 'weak-authentication', 'medium', 'ci-bot signed in with a password', $1, '{}', 'open', 'weak-bot', '{}', now(), now())`,
      [bot],
    );
    expect((await nhi4()).openFindings).toBe(1);
    const detail = (await getControlDetail({ framework: "owasp-nhi-2025", controlId: "NHI4:2025" }))!;
    expect(detail.findings.map((f) => f.title)).toEqual(["ci-bot signed in with a password"]);
    expect(detail.findingsTotal).toBe(1);
  });

  it("returns null for an unknown control", async () => {
    expect(await getControlDetail({ framework: "nist-csf-2.0", controlId: "PR.AC-01" })).toBeNull();
  });

  it("writes one CSV row per control under the header", async () => {
    const analysis = "Analysis run #7 finished 2026-12-07T10:00:00.000Z over 12 events";
    const report = await buildFrameworkReport({
      framework: "nist-csf-2.0",
      format: "csv",
      analysis,
      generatedBy: "cm@example.test",
      now: new Date("2026-12-07T12:00:00.000Z"),
    });
    expect(report.contentType).toMatch(/^text\/csv/);
    const lines = report.body.trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "framework,function,category,control_id,control_title,status,open_findings,evidence,control_text,attribution,audit_period,data_covered,analysis,generated_by,generated_at,notice",
    );
    // Every row names the analysis its status comes from, who generated it and when, and that it is not an opinion.
    expect(lines.slice(1).every((l) => l.includes(`,${analysis},cm@example.test,2026-12-07T12:00:00.000Z,`))).toBe(true);
    expect(lines.slice(1).every((l) => l.endsWith(`,"${REPORT_NOTICE}"`))).toBe(true);
    const html = await buildFrameworkReport({ framework: "owasp-nhi-2025", format: "html", analysis, generatedBy: "cm@example.test" });
    expect(html.body).toContain("<dt>Generated by</dt><dd>cm@example.test</dd>");
    expect(html.body).toContain("Evidence for an assessment, not a compliance opinion");
    expect(lines).toHaveLength(107);
    expect(lines.filter((l) => l.includes(",PR.AA-05,"))).toHaveLength(1);
    expect(lines.find((l) => l.includes(",PR.AA-05,"))).toContain(",Partial,");
  });
});
