import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { E2E } from "./config";
import { apiAs, expectAccessible, openAs, withDb } from "./helpers";

// Cases as an analyst works them: from a session, "Add to case" opens a new case with the session as annotated
// evidence; on the case page the analyst moves the status, writes a markdown note and adds a task, and each change
// lands in case_activity with its before/after. An auditor then reads the same case with no forms, and the API
// refuses his change.
const FIXTURE = "111122223333_CloudTrail_eu-west-1_20250304T1315Z_AbCdEfGh12345678.json";
const TITLE = `E2E token reuse ${Date.now()}`;

test.describe.configure({ mode: "serial" });

let sessionId = "";
let caseId = "";

test("setup: the analyst ingests a CloudTrail export and correlates it", async () => {
  const ctx = await apiAs("analyst");
  const up = await ctx.post("/api/v1/ingest/upload", {
    headers: { "x-file-name": FIXTURE },
    data: fs.readFileSync(`lib/sources/aws-cloudtrail/fixtures/${FIXTURE}`),
  });
  expect(up.status(), await up.text()).toBe(201);
  const run = await ctx.post("/api/v1/correlation", { data: {} });
  expect(run.status(), await run.text()).toBe(200);
  const list = await (await ctx.get("/api/v1/sessions?q=ci-deployer")).json();
  expect(list.total).toBe(1);
  sessionId = list.items[0].id;
  // API input errors are field errors, and unknown cases are 404s.
  const bad = await ctx.post("/api/v1/cases", { data: { title: "", severity: "urgent" } });
  expect(bad.status()).toBe(422);
  expect(Object.keys((await bad.json()).error.fields).sort()).toEqual(["severity", "title"]);
  expect((await ctx.get("/api/v1/cases/00000000-0000-4000-8000-000000000000")).status()).toBe(404);
  await ctx.dispose();
});

test("the analyst adds a session to a new case, moves its status, writes a note and a task", async ({ page }) => {
  await openAs(page, "analyst");
  await page.goto(`/sessions/${sessionId}`);
  await page.getByRole("button", { name: "Add to case" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Add this session to a case" });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("New case", { exact: true }).check();
  await dialog.getByLabel("New case title").fill(TITLE);
  await dialog.getByLabel("Severity").selectOption("high");
  await dialog.getByLabel("Annotation").fill("Admin policy attached from the CI role");
  await expectAccessible(page, "/sessions/[id] with the Add to case dialog");
  await dialog.getByRole("button", { name: "Add to case" }).click();
  await expect(dialog.getByRole("status")).toContainText(`${TITLE}`);
  await dialog.getByRole("link", { name: new RegExp(TITLE) }).click();
  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
  caseId = page.url().split("/").pop()!;

  await expect(page.getByRole("heading", { level: 1 })).toContainText(TITLE);
  await expect(page.getByTestId("case-status")).toHaveText("Open");
  const item = page.getByTestId("case-item");
  await expect(item).toHaveCount(1);
  await expect(item).toContainText("AWS CloudTrail session of");
  await expect(item).toContainText("Admin policy attached from the CI role");
  await expect(page.getByTestId("case-timeline")).toContainText("Evidence · event time");
  await expect(page.getByTestId("case-timeline")).toContainText("Handling · case time");
  await expectAccessible(page, "/cases/[id]");

  // Status: open -> investigating, recorded with before/after.
  await page.getByRole("button", { name: "Start investigating" }).click();
  await expect(page.getByTestId("case-status")).toHaveText("Investigating");
  await expect(page.getByRole("button", { name: "Submit for review" })).toBeVisible();

  // A markdown note renders as markdown (and raw HTML is not rendered).
  await page.getByLabel("New note (markdown)").fill('The key was **rotated late**.\n\n<b id="raw-html">raw</b>\n\n- first step');
  await page.getByRole("button", { name: "Add note" }).click();
  const note = page.getByTestId("case-note");
  await expect(note.locator("strong")).toHaveText("rotated late");
  await expect(note.locator("li")).toHaveText("first step");
  await expect(page.locator("#raw-html")).toHaveCount(0);

  // A task, then ticked done.
  await page.getByLabel("New task").fill("Ask the CI owner about the key");
  await page.getByRole("button", { name: "Add task" }).click();
  const task = page.getByTestId("case-task");
  await expect(task).toContainText("Ask the CI owner about the key");
  await task.getByRole("checkbox").check();
  await expect(task).toContainText("done");

  const history = await withDb(
    async (c) =>
      (
        await c.query<{ action: string; before: unknown; after: unknown }>(
          `SELECT action, before, after FROM case_activity WHERE "caseId" = $1 ORDER BY id`,
          [caseId],
        )
      ).rows,
  );
  expect(history.map((h) => h.action)).toEqual(["created", "item_added", "status_changed", "note_added", "task_added", "task_updated"]);
  expect(history[2]).toMatchObject({ before: { status: "open" }, after: { status: "investigating" } });
  expect(history[5]).toMatchObject({ before: { done: false }, after: { done: true } });
  const audits = await withDb(async (c) =>
    Number((await c.query(`SELECT count(*) FROM audit_log WHERE action = 'case.changed' AND "resourceId" = $1`, [caseId])).rows[0].count),
  );
  expect(audits).toBe(history.length);
  await expect(page.getByTestId("case-history")).toContainText("changed the status");

  // The list shows it, and its filters are in the URL.
  await page.goto("/cases?status=investigating&severity=high");
  await expect(page.getByTestId("cases-table")).toContainText(TITLE);
  await expectAccessible(page, "/cases");
  await page.goto("/cases?status=closed");
  await expect(page.getByText(TITLE)).toHaveCount(0);
});

test("an auditor reads the case with no forms, and the API refuses his change", async ({ page }) => {
  await openAs(page, "auditor");
  await page.goto(`/cases/${caseId}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(TITLE);
  await expect(page.getByTestId("case-item")).toHaveCount(1);
  await expect(page.getByTestId("case-note").locator("strong")).toHaveText("rotated late");
  await expect(page.locator("main form")).toHaveCount(0);
  await expect(page.locator("main textarea, main select, main input")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Submit for review" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "New case" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Download evidence package" })).toHaveAttribute("href", `/api/v1/cases/${caseId}/export`);
  await expectAccessible(page, "/cases/[id] as auditor");
  // His view of the case is itself on the audit trail.
  const views = await withDb(async (c) =>
    Number(
      (
        await c.query(`SELECT count(*) FROM audit_log WHERE action = 'view.case' AND "resourceId" = $1 AND "actorEmail" = $2`, [
          caseId,
          E2E.users.auditor.email,
        ])
      ).rows[0].count,
    ),
  );
  expect(views).toBeGreaterThanOrEqual(1);
  await page.goto(`/sessions/${sessionId}`);
  await expect(page.getByRole("button", { name: "Add to case" })).toHaveCount(0);

  const ctx = await apiAs("auditor");
  expect((await ctx.get(`/api/v1/cases/${caseId}`)).status()).toBe(200);
  const patch = await ctx.patch(`/api/v1/cases/${caseId}`, { data: { status: "pending_review" } });
  expect(patch.status()).toBe(403);
  const note = await ctx.post(`/api/v1/cases/${caseId}/notes`, { data: { body: "auditor note" } });
  expect(note.status()).toBe(403);
  await ctx.dispose();
  const status = await withDb(async (c) => (await c.query(`SELECT status FROM "case" WHERE id = $1`, [caseId])).rows[0].status);
  expect(status).toBe("investigating");
});
