import { describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { buildFrameworkReport } from "./build-framework-report";
import { getControlDetail } from "./get-control-detail";
import { getFrameworkStatus } from "./get-framework-status";

// Crafted rows in a fresh database: the status of a control follows exactly from the findings and facts mapped
// to it in evidence-map.ts (excessive-scopes -> NHI5:2025 and PR.AA-05; governance:approval -> PR.AA-05, GV.RR-02).

const statusOf = async (framework: "nist-csf-2.0" | "owasp-nhi-2025", id: string) =>
  (await getFrameworkStatus({ framework })).controls.find((c) => c.id === id)!;

async function insertGovernanceCheck(eventId: number, approved: boolean | null, status: string) {
  await pool().query(
    `INSERT INTO governance_check (id, "eventId", platform, time, action, category, approved, status, reasons)
     VALUES (gen_random_uuid(), $1, 'okta', now(), 'user.account.privilege.grant', 'admin_role_change', $2, $3, '[]')`,
    [eventId, approved, status],
  );
}

describe("framework status", () => {
  it("starts without evidence when nothing is stored", async () => {
    const st = await getFrameworkStatus({ framework: "nist-csf-2.0" });
    expect(st.summary.total).toBe(106);
    expect(st.summary.with_findings + st.summary.with_evidence + st.summary.without_evidence).toBe(106);
    expect(st.controls.find((c) => c.id === "PR.AA-05")!.status).toBe("without_evidence");
    expect(st.controls.find((c) => c.id === "GV.RR-02")!.status).toBe("without_evidence");
  });

  it("an approved governance check is evidence; an unapproved one alone is not", async () => {
    await insertGovernanceCheck(900001, null, "unapproved");
    expect((await statusOf("nist-csf-2.0", "PR.AA-05")).status).toBe("without_evidence");

    await insertGovernanceCheck(900002, true, "ok");
    const aa05 = await statusOf("nist-csf-2.0", "PR.AA-05");
    expect(aa05.status).toBe("with_evidence");
    const gov = aa05.evidence.find((e) => e.source === "governance:approval")!;
    expect(gov.present).toBe(true);
    expect(gov.value).toBe("1 of 2 privileged actions covered by an approved ticket");
    expect((await statusOf("nist-csf-2.0", "GV.RR-02")).status).toBe("with_evidence");
    // Not mapped to governance: stays without evidence.
    expect((await statusOf("nist-csf-2.0", "PR.DS-01")).status).toBe("without_evidence");
  });

  it("an open finding makes its controls 'with findings'; dismissing it leaves evidence", async () => {
    const s = await pool().query<{ id: string }>(
      `INSERT INTO session (id, platform, "sessionKey", "keyType", rule, "startedAt", "endedAt", "srcIps")
       VALUES (gen_random_uuid(), 'github', 'k1', 'native', 'test', now() - interval '1 hour', now(), '{}') RETURNING id`,
    );
    const sessionId = s.rows[0].id;
    const f = await pool().query<{ id: string }>(
      `INSERT INTO finding (id, "ruleId", severity, title, "sessionId", evidence, status, fingerprint, "eventIds", "firstSeenAt", "lastSeenAt")
       VALUES (gen_random_uuid(), 'excessive-scopes', 'medium', 'Token with unused admin scope', $1, '{}', 'open', 'fp-1', '{}', now(), now())
       RETURNING id`,
      [sessionId],
    );

    const nhi5 = await statusOf("owasp-nhi-2025", "NHI5:2025");
    expect(nhi5.status).toBe("with_findings");
    expect(nhi5.openFindings).toBe(1);
    // PR.AA-05 has approval evidence from the previous test, but the open finding outweighs it.
    expect((await statusOf("nist-csf-2.0", "PR.AA-05")).status).toBe("with_findings");
    // A rule that did not fire does not mark its control.
    expect((await statusOf("owasp-nhi-2025", "NHI10:2025")).status).toBe("without_evidence");

    const detail = (await getControlDetail({ framework: "owasp-nhi-2025", controlId: "NHI5:2025" }))!;
    expect(detail.findings.map((x) => x.id)).toEqual([f.rows[0].id]);
    expect(detail.findings[0].reason).toBe("Direct match: over-privileged NHI.");
    expect(detail.sessions.map((x) => [x.id, x.findings])).toEqual([[sessionId, 1]]);
    expect(detail.control.title).toBe("Overprivileged NHI");

    await pool().query(`UPDATE finding SET status = 'dismissed' WHERE id = $1`, [f.rows[0].id]);
    const after = await statusOf("owasp-nhi-2025", "NHI5:2025");
    expect(after.status).toBe("with_evidence");
    expect(after.evidence.find((e) => e.source === "excessive-scopes")!.value).toBe("0 open, 1 dismissed after review");
  });

  it("returns null for an unknown control", async () => {
    expect(await getControlDetail({ framework: "nist-csf-2.0", controlId: "PR.AC-01" })).toBeNull();
  });

  it("writes one CSV row per control under the header", async () => {
    const analysis = "Analysis run #7 finished 2026-12-07T10:00:00.000Z over 12 events";
    const report = await buildFrameworkReport({ framework: "nist-csf-2.0", format: "csv", analysis });
    expect(report.contentType).toMatch(/^text\/csv/);
    const lines = report.body.trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "framework,function,category,control_id,control_title,status,open_findings,evidence,control_text,attribution,analysis",
    );
    // Every row names the analysis its status comes from.
    expect(lines.slice(1).every((l) => l.endsWith(`,${analysis}`))).toBe(true);
    expect(lines).toHaveLength(107);
    expect(lines.filter((l) => l.includes(",PR.AA-05,"))).toHaveLength(1);
  });
});
