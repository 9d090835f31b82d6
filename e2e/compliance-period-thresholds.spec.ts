import { expect, test } from "@playwright/test";
import { apiAs, expectAccessible, openAs, withDb } from "./helpers";

// The audit period picker and the thresholds form of the Compliance pages. The thresholds are global settings: the
// spec changes only freshDays and puts back what it found, so other specs' statuses do not move.

test.describe.configure({ mode: "serial" });

let before: Record<string, number> | null = null;

test.beforeAll(async () => {
  const api = await apiAs("compliance");
  before = (await (await api.get("/api/v1/compliance/settings")).json()) as Record<string, number>;
});

test.afterAll(async () => {
  if (!before) return;
  const api = await apiAs("compliance");
  expect((await api.put("/api/v1/compliance/settings", { data: before })).status()).toBe(200);
});

test("a period preset and a custom period scope the views, the links and the downloads", async ({ page }) => {
  await openAs(page, "auditor");
  await page.goto("/compliance");
  await expect(page.getByTestId("period-label")).toHaveText("all data held (no period set)");

  await page.getByRole("link", { name: "Last 90 days" }).click();
  await expect(page).toHaveURL(/\/compliance\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}$/);
  await expect(page.getByTestId("period-label")).toContainText(" to ");

  // Custom period: the framework page keeps it, and so do its download links.
  await page.goto("/compliance/nist-csf-2.0");
  await page.getByLabel("From").fill("2025-01-01");
  await page.getByLabel("To (inclusive)").fill("2025-03-31");
  await page.getByRole("button", { name: "Set period" }).click();
  await expect(page).toHaveURL(/from=2025-01-01&to=2025-03-31/);
  await expect(page.getByTestId("period-label")).toHaveText("2025-01-01 to 2025-03-31 (UTC)");
  await expect(page.getByRole("link", { name: "Download CSV" })).toHaveAttribute("href", /format=csv&from=2025-01-01&to=2025-03-31/);
  await expect(page.getByRole("link", { name: "Printable report" })).toHaveAttribute("href", /format=html&from=2025-01-01&to=2025-03-31/);
  const control = page.getByTestId("control-row").first().getByRole("link");
  await expect(control).toHaveAttribute("href", /\?from=2025-01-01&to=2025-03-31$/);
  await expectAccessible(page, "framework page with a period");

  // The printable report states the period.
  const api = await apiAs("auditor");
  const html = await (await api.get("/api/v1/compliance/nist-csf-2.0/report?format=html&from=2025-01-01&to=2025-03-31")).text();
  expect(html).toContain("2025-01-01 to 2025-03-31 (UTC)");
  expect(html).toContain("not a compliance opinion");

  // A period that ends before it starts says so and falls back to all data.
  await page.goto("/compliance/nist-csf-2.0?from=2025-03-01&to=2025-02-01");
  await expect(page.getByRole("alert").filter({ hasText: "ends before it starts" })).toBeVisible();
  await expect(page.getByTestId("period-label")).toHaveText("all data held (no period set)");
});

test("an auditor sees the thresholds but no form", async ({ page }) => {
  await openAs(page, "auditor");
  await page.goto("/compliance");
  await expect(page.getByTestId("thresholds")).toContainText("Minimum population");
  await expect(page.getByRole("form", { name: "Control status thresholds" })).toHaveCount(0);
});

test("a compliance manager changes a threshold: a bad value is refused under its field, a good one is saved and audited", async ({
  page,
}) => {
  await openAs(page, "compliance");
  await page.goto("/compliance");
  const form = page.getByRole("form", { name: "Control status thresholds" });
  await expect(form).toBeVisible();
  await expectAccessible(page, "compliance page with the thresholds form");

  // One row never makes a control sufficient: a minimum population of 1 is refused, with the reason under the field.
  await form.getByLabel("Minimum population (rows)").fill("1");
  await form.getByRole("button", { name: "Save thresholds" }).click();
  await expect(form.getByRole("alert")).toContainText("at least 2");
  await form.getByLabel("Minimum population (rows)").fill(String(before!.minPopulation));

  const fresh = before!.freshDays === 365 ? 364 : before!.freshDays + 1;
  await form.getByLabel("Recent logs: within (days)").fill(String(fresh));
  await form.getByRole("button", { name: "Save thresholds" }).click();
  await expect(form.getByRole("status")).toContainText("Thresholds saved");

  const api = await apiAs("compliance");
  expect(((await (await api.get("/api/v1/compliance/settings")).json()) as { freshDays: number }).freshDays).toBe(fresh);
  const audited = await withDb(
    async (c) =>
      (
        await c.query<{ after: number }>(
          `SELECT (details->'after'->>'freshDays')::int AS after FROM audit_log
          WHERE "resourceId" = 'compliance.thresholds' ORDER BY at DESC LIMIT 1`,
        )
      ).rows,
  );
  expect(audited[0]?.after).toBe(fresh);
});

test("SOC 2 and ISO 27001 views: statuses through the CSF 2.0 crosswalk, its source and each control's mapping shown", async ({ page }) => {
  await openAs(page, "auditor");
  await page.goto("/compliance");
  await expect(page.getByTestId("framework-soc2-tsc-2017")).toContainText("14 controls");
  await expect(page.getByTestId("framework-iso-27001-2022")).toContainText("93 controls");

  await page.goto("/compliance/soc2-tsc-2017");
  await expect(page.getByTestId("crosswalk-source")).toContainText("nist.gov/informative-references");
  await expect(page.getByTestId("crosswalk-source")).toContainText("weakest of the mapped");
  await page.getByTestId("control-row").getByRole("link", { name: "CC6.3", exact: true }).click();
  await expect(page.getByRole("columnheader", { name: "Mapped CSF 2.0 subcategory" })).toBeVisible();
  await expect(page.getByTestId("evidence-row").first()).toContainText("NIST CSF 2.0 PR.AA-05");
  await expect(page.getByTestId("crosswalk-rule")).toBeVisible();
  // The derived status equals PR.AA-05's (CC6.3 maps to it alone), unless CC6.3 itself was scoped out.
  const api = await apiAs("auditor");
  const csf = (await (await api.get("/api/v1/compliance/nist-csf-2.0")).json()) as { controls: { id: string; status: string }[] };
  const soc = (await (await api.get("/api/v1/compliance/soc2-tsc-2017")).json()) as {
    controls: { id: string; status: string; scoping: unknown }[];
  };
  const cc63 = soc.controls.find((c) => c.id === "CC6.3")!;
  if (!cc63.scoping) expect(cc63.status).toBe(csf.controls.find((c) => c.id === "PR.AA-05")!.status);
  await expectAccessible(page, "SOC 2 control page");
});

test("Coverage: retention per log type, one row per vendor log type with the held dates counted from the database", async ({ page }) => {
  await openAs(page, "auditor");
  await page.goto("/coverage");
  const table = page.getByTestId("log-retention");
  await expect(table).toBeVisible();
  for (const h of ["Platform", "Log type", "Vendor keeps", "We keep", "Oldest held", "Verdict"])
    await expect(table.getByRole("columnheader", { name: h, exact: true })).toBeVisible();
  // Salesforce lists its three documented logs, EventLogFile with both tiers, whatever was ingested.
  const elf = table.locator('[data-platform="salesforce"][data-log-type="eventlogfile"]');
  await expect(elf).toContainText("1 day (without Event Monitoring");
  await expect(elf).toContainText("30 days (with Event Monitoring");
  await expect(table.locator('[data-platform="salesforce"][data-log-type="setup-audit-trail"]')).toBeVisible();
  await expect(table.locator('[data-platform="entra"][data-log-type="sign-in"]')).toContainText("7 days (Entra ID Free)");
  // Okta's oldest held date is the database's.
  const oldest = await withDb(async (c) => {
    const r = await c.query<{ d: string | null }>(
      `SELECT to_char(min(time) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS d FROM event WHERE platform = 'okta' AND "tenantId" = 'default'`,
    );
    return r.rows[0].d;
  });
  if (oldest) await expect(table.locator('[data-platform="okta"][data-log-type="system-log"]')).toContainText(oldest);
  await expectAccessible(page, "coverage page with the retention per log type");
});
