import { expect, test } from "@playwright/test";
import { RISK_RULES } from "../lib/risk/catalog";
import { credentialsFor } from "./config";
import { apiAs, expectAccessible, openAs, withDb } from "./helpers";

// The compliance views as compliance and audit staff read them. One open finding is planted (and removed at the
// end) so a drill-down from a control to a finding and its session always has something to show; every other
// figure is checked against the database or the catalogs, never hard-coded, because other specs add data.

test.describe.configure({ mode: "serial" });

const FINGERPRINT = "e2e-compliance-human-use-of-nhi";
let planted: { sessionId: string; findingId: string } | null = null;

test.beforeAll(async () => {
  planted = await withDb(async (c) => {
    const s = await c.query<{ id: string }>(
      `INSERT INTO session (id, platform, "sessionKey", "keyType", rule, "startedAt", "endedAt", "srcIps")
       VALUES (gen_random_uuid(), 'okta', 'e2e-compliance-session', 'native', 'e2e', now() - interval '1 hour', now(), '{}')
       RETURNING id`,
    );
    const f = await c.query<{ id: string }>(
      `INSERT INTO finding (id, "ruleId", severity, title, "sessionId", evidence, status, fingerprint, "eventIds", "firstSeenAt", "lastSeenAt")
       VALUES (gen_random_uuid(), 'human-use-of-nhi', 'high', 'E2E: service account used from a browser', $1, '{}', 'open', $2, '{}', now(), now())
       RETURNING id`,
      [s.rows[0].id, FINGERPRINT],
    );
    return { sessionId: s.rows[0].id, findingId: f.rows[0].id };
  });
});

test.afterAll(async () => {
  if (!planted) return;
  const p = planted;
  await withDb(async (c) => {
    await c.query(`DELETE FROM finding_activity WHERE "findingId" = $1`, [p.findingId]);
    await c.query(`DELETE FROM finding WHERE id = $1`, [p.findingId]);
    await c.query(`DELETE FROM session WHERE id = $1`, [p.sessionId]);
  });
});

/** Controls that the rules with open (unresolved) findings map to, computed from the database and the rule catalog. */
async function expectedWithFindings(framework: string): Promise<string[]> {
  const openRules = await withDb(async (c) =>
    (
      await c.query<{ ruleId: string }>(
        `SELECT DISTINCT "ruleId" FROM finding WHERE "tenantId" = 'default' AND status = 'open' AND NOT (evidence::jsonb ? 'resolvedAt')`,
      )
    ).rows.map((r) => r.ruleId),
  );
  const ids = RISK_RULES.filter((r) => openRules.includes(r.id)).flatMap((r) =>
    r.controls.filter((c) => c.framework === framework).map((c) => c.id),
  );
  return [...new Set(ids)].sort();
}

for (const role of ["compliance", "auditor"] as const) {
  test(`${role}: API status, CSV and HTML reports, legacy lookup`, async () => {
    const api = await apiAs(role);

    const status = await api.get("/api/v1/compliance/nist-csf-2.0");
    expect(status.status()).toBe(200);
    const st = (await status.json()) as {
      summary: Record<string, number>;
      controls: { id: string; status: string; openFindings: number }[];
    };
    expect(st.controls).toHaveLength(106);
    expect(st.summary.total).toBe(106);
    const withFindings = st.controls
      .filter((c) => c.openFindings > 0)
      .map((c) => c.id)
      .sort();
    expect(withFindings).toEqual(await expectedWithFindings("nist-csf-2.0"));
    expect(withFindings).toContain("PR.AA-02"); // human-use-of-nhi -> PR.AA-02 (the planted finding)
    // An open finding never leaves its control "sufficient".
    for (const c of st.controls.filter((x) => x.openFindings > 0)) expect(["gap", "partial", "not_applicable"]).toContain(c.status);

    const csv = await api.get("/api/v1/compliance/nist-csf-2.0/report?format=csv");
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toContain("text/csv");
    expect(csv.headers()["content-disposition"]).toMatch(
      /^attachment; filename="nist-csf-2\.0-evidence-\d{4}-\d{2}-\d{2}\.csv"; filename\*=UTF-8''nist-csf-2\.0-evidence-\d{4}-\d{2}-\d{2}\.csv$/,
    );
    const lines = (await csv.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "framework,function,category,control_id,control_title,status,open_findings,evidence,control_text,attribution,audit_period,data_covered,analysis,generated_by,generated_at,notice",
    );
    expect(lines[1]).toContain(`,${credentialsFor(role).email},`);
    expect(lines[1]).toContain("Evidence for an assessment, not a compliance opinion");
    // Each row names the analysis run its status comes from.
    expect(lines[1]).toMatch(/,"?(Analysis run #\d+ finished|No analysis has run yet)/);
    expect(lines.slice(1)).toHaveLength(106);
    expect(lines.filter((l) => l.startsWith("NIST CSF 2.0,")).length).toBe(106);
    expect(lines.find((l) => l.includes(",PR.AA-02,"))).toMatch(/,(Gap|Partial|Not applicable),/);

    const nhiCsv = await (await api.get("/api/v1/compliance/owasp-nhi-2025/report?format=csv")).text();
    expect(nhiCsv.trimEnd().split("\r\n")).toHaveLength(11);
    expect(nhiCsv).toContain("OWASP Non-Human Identities Top 10");

    const html = await api.get("/api/v1/compliance/owasp-nhi-2025/report?format=html");
    expect(html.status()).toBe(200);
    expect(html.headers()["content-type"]).toContain("text/html");
    const body = await html.text();
    expect(body).toContain("@media print");
    expect(body).toContain("Generated");
    expect(body).toContain("CC BY-SA 4.0");
    expect(body.match(/<tr>\s*<td>NHI\d+:2025<\/td>/g)).toHaveLength(10);

    const legacy = await api.get("/api/v1/compliance/legacy-csf?id=PR.AC-1");
    expect(legacy.status()).toBe(200);
    const lr = await legacy.json();
    expect(lr.links[0].targets.map((t: { id: string }) => t.id)).toEqual(["PR.AA-01", "PR.AA-05"]);
    expect((await api.get("/api/v1/compliance/legacy-csf?id=bogus")).status()).toBe(422);
    expect((await api.get("/api/v1/compliance/nist-csf-1.1")).status()).toBe(404);
    expect((await api.get("/api/v1/compliance/nist-csf-2.0/report?format=pdf")).status()).toBe(422);
    await api.dispose();
  });

  test(`${role}: overview, framework table, drill-down, downloads, legacy lookup in the UI`, async ({ page }) => {
    await openAs(page, role);
    await page.goto("/compliance");
    await expect(page.getByRole("heading", { name: "Compliance", level: 1 })).toBeVisible();
    for (const f of ["nist-csf-2.0", "owasp-nhi-2025", "nist-ai-rmf-1.0"]) await expect(page.getByTestId(`framework-${f}`)).toBeVisible();
    await expect(page.getByTestId("framework-nist-csf-2.0")).toContainText("106 controls");
    await expect(page.getByTestId("framework-owasp-nhi-2025")).toContainText("10 controls");
    await expect(page.getByTestId("framework-nist-ai-rmf-1.0")).toContainText("72 controls");
    await expect(page.locator("figure.cmp-chart")).toBeVisible();
    await expect(page.getByTestId("analysis-as-of")).toContainText(/Analysis as of|No analysis has run yet/);
    await expect(page.getByTestId("owasp-attribution")).toContainText("CC BY-SA 4.0");
    await expectAccessible(page, `compliance overview as ${role}`);

    // Legacy CSF 1.1 lookup: a GET form, so the answer is a link too.
    await page.getByRole("textbox", { name: "CSF 1.1 id" }).fill("PR.AC-1");
    await page.getByRole("button", { name: "Look up" }).click();
    await expect(page).toHaveURL(/csf=PR\.AC-1/);
    const result = page.getByTestId("legacy-result");
    await expect(result).toContainText("PR.AA-01");
    await expect(result).toContainText("PR.AA-05");
    await page.getByRole("textbox", { name: "CSF 1.1 id" }).fill("PR.DS-1");
    await page.getByRole("button", { name: "Look up" }).click();
    await expect(page.getByTestId("legacy-result")).toContainText("not in the official mapping excerpt");
    await expectAccessible(page, `legacy lookup as ${role}`);

    // Framework page: 106 controls, filter by status (in the URL), CSV download.
    await page.getByRole("link", { name: "NIST Cybersecurity Framework 2.0" }).click();
    await expect(page).toHaveURL(/\/compliance\/nist-csf-2\.0$/);
    await expect(page.getByTestId("control-row")).toHaveCount(106);
    await expectAccessible(page, `CSF framework page as ${role}`);
    const api = await apiAs(role);
    const st = (await (await api.get("/api/v1/compliance/nist-csf-2.0")).json()) as { controls: { id: string; status: string }[] };
    await api.dispose();
    const gaps = st.controls.filter((c) => c.status === "gap");
    await page.getByRole("combobox", { name: "Status", exact: true }).selectOption("gap");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/status=gap/);
    await expect(page.getByTestId("control-row")).toHaveCount(gaps.length);
    await page.getByRole("combobox", { name: "Status", exact: true }).selectOption("");
    await page.getByRole("textbox", { name: "Search id or text" }).fill("PR.AA-02");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page.getByTestId("control-row")).toHaveCount(1);

    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Download CSV" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^nist-csf-2\.0-evidence-.*\.csv$/);

    // Drill-down: control -> finding -> session.
    await page.getByRole("link", { name: "PR.AA-02", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("PR.AA-02");
    await expect(page.getByTestId("evidence-row").first()).toBeVisible();
    const finding = page.getByTestId("finding-row").filter({ hasText: "E2E: service account used from a browser" });
    await expect(finding).toBeVisible();
    await expect(finding).toContainText("Identities must be bound to credentials");
    await expect(page.getByTestId("session-row").filter({ has: page.locator(`a[href="/sessions/${planted!.sessionId}"]`) })).toBeVisible();
    await expectAccessible(page, `CSF control page as ${role}`);

    // OWASP pages carry the attribution wherever the OWASP text appears.
    await page.goto("/compliance/owasp-nhi-2025");
    await expect(page.getByTestId("control-row")).toHaveCount(10);
    await expect(page.getByTestId("owasp-attribution")).toContainText("OWASP Non-Human Identities Top 10");
    await page.getByRole("link", { name: "NHI10:2025" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("NHI10:2025: Human Use of NHI");
    await expect(page.getByTestId("owasp-attribution")).toContainText("CC BY-SA 4.0");
    await expectAccessible(page, `OWASP control page as ${role}`);

    await page.goto("/compliance/nist-ai-rmf-1.0");
    await expect(page.getByTestId("control-row")).toHaveCount(72);
    await page.getByRole("link", { name: "GOVERN 1.6", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("GOVERN 1.6");

    // Unknown framework or control: 404.
    expect((await page.request.get("/compliance/nist-csf-1.1")).status()).toBe(404);
    expect((await page.request.get("/compliance/nist-csf-2.0/PR.AC-01")).status()).toBe(404);
  });
}
