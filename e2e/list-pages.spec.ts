import { expect, test } from "@playwright/test";
import { E2E } from "./config";
import { apiAs, apiSignIn, expectAccessible, openAs, withDb } from "./helpers";

// The shared list UI (components/pager.tsx, filter-bar.tsx, case-fields.tsx): paging, sort links, the GET filter form, and the case fields of the New case and Edit details forms (payloads checked in the database).
const RUN = Date.now().toString(36);
test.describe.configure({ mode: "serial" });

test("pager on the audit trail: disabled Previous on page one, Next moves by the limit, axe passes", async ({ page }) => {
  for (const u of [E2E.users.analyst, E2E.users.auditor, E2E.users.compliance]) await (await apiSignIn(u.email, u.password)).dispose();
  await openAs(page, "admin");
  await page.goto("/audit?limit=2");
  const nav = page.getByRole("navigation", { name: "Pages" });
  await expect(nav).toBeVisible();
  await expect(nav.getByRole("link", { name: "Previous page" })).toHaveAttribute("aria-disabled", "true");
  await expect(nav).toContainText(/Showing 1–2 of \d+/);
  await expectAccessible(page, "/audit?limit=2");
  await nav.getByRole("link", { name: "Next page" }).click();
  await expect(page).toHaveURL(/offset=2/);
  await expect(page).toHaveURL(/limit=2/);
  await expect(nav).toContainText(/Showing 3–4 of \d+/);
  await expect(nav.getByRole("link", { name: "Previous page" })).toHaveAttribute("href", "/audit?limit=2");
  // Sorting goes back to page one and keeps the limit.
  await page.getByRole("link", { name: /^Actor/ }).click();
  await expect(page).toHaveURL(/sort=actor&dir=asc/);
  await expect(page).not.toHaveURL(/offset=/);
  await expect(page.getByRole("columnheader", { name: /Actor/ })).toHaveAttribute("aria-sort", "ascending");
});

test("new case form and edit details share the fields and send the same payloads as before", async ({ page }) => {
  const title = `list case ${RUN}`;
  await openAs(page, "analyst");
  await page.goto("/cases");
  await page.getByRole("button", { name: "New case" }).click();
  const nc = page.getByRole("region", { name: "New case" });
  await nc.getByLabel("Title").fill(title);
  await nc.getByLabel("Severity").selectOption("critical");
  await nc.getByLabel("Tags").fill(" alpha , beta,, ");
  await nc.getByLabel("Description").fill("first description");
  await expectAccessible(page, "/cases with the new case form");
  await page.getByRole("button", { name: "Create case" }).click();
  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
  const id = page.url().split("/").pop()!;
  const row = () =>
    withDb(async (c) => (await c.query(`SELECT title, severity, tags, description, "assigneeId" FROM "case" WHERE id = $1`, [id])).rows[0]);
  expect(await row()).toEqual({ title, severity: "critical", tags: ["alpha", "beta"], description: "first description", assigneeId: null });

  await page.getByRole("button", { name: "Edit details" }).click();
  const form = page.getByRole("form", { name: "Edit case details" });
  await expect(form.getByLabel("Title")).toHaveValue(title);
  await expect(form.getByLabel("Tags")).toHaveValue("alpha, beta");
  await form.getByLabel("Title").fill(`${title} edited`);
  await form.getByLabel("Tags").fill("gamma");
  await form.getByLabel("Description").fill("   ");
  await form.getByLabel("Severity").selectOption("low");
  await expectAccessible(page, "/cases/[id] editing");
  await form.getByRole("button", { name: "Save details" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`${title} edited`);
  expect(await row()).toEqual({ title: `${title} edited`, severity: "low", tags: ["gamma"], description: null, assigneeId: null });

  // Two or more cases with limit=1: the cases list pages, and the filter form keeps the limit out but sort in.
  const ctx = await apiAs("analyst");
  expect((await ctx.post("/api/v1/cases", { data: { title: `list second ${RUN}`, severity: "low" } })).ok()).toBe(true);
  await ctx.dispose();
  await page.goto("/cases?limit=1");
  const nav = page.getByRole("navigation", { name: "Pages" });
  await expect(nav).toContainText(/Showing 1–1 of \d+/);
  await expectAccessible(page, "/cases?limit=1");
  await page.getByLabel("Search").fill(`${title} edited`);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/q=list/);
  await expect(page.getByTestId("cases-table")).toContainText(`${title} edited`);
  await expect(page.getByRole("link", { name: "Clear", exact: true })).toHaveAttribute("href", "/cases");
});
