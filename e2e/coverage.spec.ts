import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { E2E } from "./config";
import { apiAs, expectAccessible, openAs, withDb } from "./helpers";

// The Coverage page as compliance and audit staff read it: fixture exports are ingested through the API, then
// the matrix, join-ability and retention figures are checked against counts taken straight from the database.
// An administrator changes the required retention through the page; the setting and its audit entry are checked
// in the database. Other specs may have ingested more data: every expected figure is counted, never hard-coded.
const FIXTURES: [string, string][] = [
  ["okta", "okta-system-log-page.json"],
  ["github", "audit-log-stream.jsonl"],
];

test.describe.configure({ mode: "serial" });

const pct = (n: number, d: number) => `${Math.round((n / d) * 100)}%`;

async function oktaCounts() {
  return withDb(async (c) => {
    const { rows } = await c.query(
      `SELECT count(*)::int AS events, count("srcIp")::int AS ip, count("sessionKey")::int AS session, max(time) AS newest
         FROM event WHERE platform = 'okta' AND "tenantId" = 'default'`,
    );
    return rows[0] as { events: number; ip: number; session: number; newest: Date };
  });
}

test("ingested fixtures give coverage figures equal to the database's own counts", async () => {
  const analyst = await apiAs("analyst");
  for (const [platform, file] of FIXTURES) {
    const res = await analyst.post("/api/v1/ingest/upload", {
      headers: { "x-file-name": file },
      data: fs.readFileSync(`lib/sources/${platform}/fixtures/${file}`),
    });
    expect(res.status(), await res.text()).toBe(201);
    expect((await res.json()).quarantined).toBe(0);
  }
  await analyst.dispose();

  const compliance = await apiAs("compliance");
  const res = await compliance.get("/api/v1/coverage");
  expect(res.status()).toBe(200);
  const report = await res.json();
  const counts = await oktaCounts();
  expect(counts.events).toBeGreaterThan(0);
  const okta = report.platforms.find((p: { platform: string }) => p.platform === "okta");
  expect(okta.events).toBe(counts.events);
  expect(okta.fields.find((f: { field: string }) => f.field === "ip").filled).toBe(counts.ip);
  expect(okta.fields.find((f: { field: string }) => f.field === "session_id").filled).toBe(counts.session);
  expect(okta.retention.vendorDays).toBe(90);
  expect(okta.retention.exportBy).toBe(new Date(counts.newest.getTime() + 90 * 86_400_000).toISOString());
  // Changing the required retention needs holds.manage: compliance is refused.
  expect((await compliance.put("/api/v1/coverage/settings", { data: { requiredRetentionDays: 30 } })).status()).toBe(403);
  await compliance.dispose();
});

for (const role of ["compliance", "auditor"] as const) {
  test(`the ${role} role reads the matrix, join-ability, retention and gaps`, async ({ page }) => {
    const counts = await oktaCounts();
    await openAs(page, role);
    await page.goto("/coverage");
    await expect(page.getByRole("heading", { name: "Coverage", level: 1 })).toBeVisible();

    const matrix = page.locator("table.cov-matrix");
    const oktaRow = matrix.locator('tr[data-platform="okta"]');
    await expect(oktaRow.getByRole("rowheader")).toContainText("Okta System Log");
    await expect(oktaRow.locator("td").first()).toHaveText(counts.events.toLocaleString("en"));
    // Columns: Events, then the nine fields in order; IP is the fifth field.
    await expect(oktaRow.locator("td.cov-cell").nth(4)).toContainText(pct(counts.ip, counts.events));
    await expect(oktaRow.locator("td.cov-cell").nth(4)).toContainText("documented");
    await expect(matrix.locator('tr[data-platform="github"]')).toBeVisible();

    await expect(page.locator("figure.coverage-chart")).toBeVisible();
    await expect(page.locator('table.cov-join tr[data-platform="okta"]')).toBeVisible();

    // One retention table, per log type (lib/sources/okta/retention.ts): Okta's System Log, 90 days on all plans.
    const retention = page.getByTestId("log-retention").locator('tr[data-platform="okta"][data-log-type="system-log"]');
    await expect(retention).toContainText("90 days (all plans)");
    await expect(retention).toContainText(new Date(counts.newest.getTime() + 90 * 86_400_000).toISOString().slice(0, 10));
    // Only an administrator gets the form.
    await expect(page.getByLabel("Required retention (days)")).toHaveCount(0);

    await expectAccessible(page, `coverage as ${role}`);

    // Filter the gap list by platform: the filter goes to the URL and only that platform's gaps remain.
    await page.getByLabel("Platform", { exact: true }).selectOption("okta");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/gp=okta/);
    const rows = page.locator("table.cov-gaps tbody tr");
    await expect(rows.first()).toBeVisible();
    const platforms = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-platform")));
    expect(new Set(platforms)).toEqual(new Set(["okta"]));
    await expect(page.locator("table.cov-gaps")).toContainText("Okta System Log keeps 90 days");
  });
}

test("an administrator changes the required retention; the setting and its audit entry are stored", async ({ page }) => {
  await openAs(page, "admin");
  await page.goto("/coverage");
  const input = page.getByLabel("Required retention (days)");
  await input.fill("30");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Required retention set to 30 days." })).toBeVisible();
  // Okta keeps 90 days: with 30 required it is no longer short (no retention gap for it), and the table judges against 30.
  await expect(page.getByTestId("log-retention")).toContainText("against the required 30 days");
  await expect(page.locator('table.cov-gaps tr[data-platform="okta"]').filter({ hasText: "keeps 90 days" })).toHaveCount(0);
  await expectAccessible(page, "coverage as admin");

  const stored = await withDb(async (c) => {
    const setting = (await c.query(`SELECT value FROM setting WHERE key = 'coverage.requiredRetentionDays'`)).rows[0]?.value;
    const audit = (await c.query(`SELECT "actorEmail", details FROM audit_log WHERE action = 'settings.changed' ORDER BY id DESC LIMIT 1`))
      .rows[0];
    return { setting, audit };
  });
  expect(stored.setting).toBe(30);
  expect(stored.audit.actorEmail).toBe(E2E.admin.email);
  expect(stored.audit.details).toMatchObject({ key: "coverage.requiredRetentionDays", after: 30 });

  // A bad value is refused with a field message, and nothing changes.
  const admin = await apiAs("admin");
  const bad = await admin.put("/api/v1/coverage/settings", { data: { requiredRetentionDays: 0 } });
  expect(bad.status()).toBe(422);
  expect((await bad.json()).error.fields.requiredRetentionDays[0]).toMatch(/at least 1 day/);
  // Back to the default, so other specs see the usual requirement.
  expect((await admin.put("/api/v1/coverage/settings", { data: { requiredRetentionDays: 365 } })).status()).toBe(200);
  await admin.dispose();
});
