import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { E2E } from "./config";
import { apiAs, expectAccessible, openAs, withDb } from "./helpers";

// Findings as an analyst and an auditor work them: real exports are ingested and correlated (POST
// /api/v1/correlation also rebuilds governance checks and runs the risk rules); the analyst finds alice-admin's
// unapproved AttachUserPolicy, dismisses it with a reason and sees the reason in its history; the auditor reads the
// same finding without a dismiss form and the API refuses the auditor's dismissal.
const FIXTURES: [string, string][] = [
  ["aws-cloudtrail", "111122223333_CloudTrail_eu-west-1_20250304T1315Z_AbCdEfGh12345678.json"],
  ["okta", "okta-system-log-page.json"],
  ["entra", "m365-unified-audit-log.json"],
];
const RUN = Date.now().toString(36);
const TITLE = "alice-admin ran AttachUserPolicy on ci-deployer without an approval ticket";

test.describe.configure({ mode: "serial" });

let findingId = "";

test("ingest and correlate raise the unapproved privileged action as a finding", async () => {
  const ctx = await apiAs("analyst");
  for (const [platform, file] of FIXTURES) {
    const res = await ctx.post("/api/v1/ingest/upload", {
      headers: { "x-file-name": file },
      data: fs.readFileSync(`lib/sources/${platform}/fixtures/${file}`),
    });
    expect(res.status(), await res.text()).toBe(201);
  }
  const run = await ctx.post("/api/v1/correlation", { data: {} });
  expect(run.status(), await run.text()).toBe(200);
  const list = await (await ctx.get("/api/v1/findings?rule=privileged-without-approval&limit=500")).json();
  const f = list.items.find((x: { title: string }) => x.title === TITLE);
  expect(f, JSON.stringify(list.items.map((x: { title: string }) => x.title))).toBeTruthy();
  findingId = f.id;
  // A previous run against the same database may have dismissed it: start from open.
  if (f.status === "dismissed") {
    expect((await ctx.post(`/api/v1/findings/${findingId}/reopen`, { data: { reason: `e2e ${RUN} starts from open` } })).status()).toBe(
      200,
    );
  }
  const detail = await (await ctx.get(`/api/v1/findings/${findingId}`)).json();
  expect(detail.events.map((e: { eventName: string }) => e.eventName)).toEqual(["AttachUserPolicy"]);
  expect((await ctx.post(`/api/v1/findings/${findingId}/dismiss`, { data: { type: "false_positive", reason: "no" } })).status()).toBe(422);
  // A dismissal names its kind.
  expect((await ctx.post(`/api/v1/findings/${findingId}/dismiss`, { data: { reason: "Known maintenance" } })).status()).toBe(422);
  await ctx.dispose();
});

test("the analyst dismisses the finding with a reason and sees it in the history", async ({ page }) => {
  await openAs(page, "analyst");
  await page.getByRole("link", { name: "Findings" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Findings" })).toBeVisible();
  await page.getByLabel("Rule").selectOption("privileged-without-approval");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/rule=privileged-without-approval/);
  await expect(page.getByTestId("findings-table")).toContainText(TITLE);
  await expectAccessible(page, "/findings");
  // The platform filter offers the platforms by name; picking one keeps the finding, another platform drops it.
  await page.getByLabel("Platform").selectOption({ label: "AWS CloudTrail" });
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/platform=aws-cloudtrail/);
  await expect(page.getByTestId("findings-table")).toContainText(TITLE);
  await page.getByLabel("Platform").selectOption({ label: "Okta" });
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/platform=okta/);
  await expect(page.getByText(TITLE)).toHaveCount(0);
  await page.getByLabel("Platform").selectOption({ label: "Any platform" });
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page.getByTestId("findings-table")).toContainText(TITLE);

  await page.getByRole("link", { name: TITLE }).click();
  await expect(page).toHaveURL(new RegExp(`/findings/${findingId}$`));
  await expect(page.getByTestId("finding-events")).toContainText("AttachUserPolicy");
  // The evidence reads as labelled fields in words, not JSON keys and values.
  const evidence = page.getByTestId("evidence-field");
  await expect(evidence.filter({ hasText: "Governance verdict" })).toContainText("Unapproved");
  await expect(evidence.filter({ hasText: "Platform" }).first()).toContainText("AWS CloudTrail");
  for (const text of await evidence.allTextContents()) expect(text).not.toMatch(/[{}"]|checkStatus/);
  await expect(page.getByText("PR.AA-05")).toBeVisible();
  await expectAccessible(page, "/findings/[id]");
  const reason = `Covered by emergency change EC-${RUN}, approved after the fact`;
  await page.getByRole("radio", { name: /^False positive/ }).check();
  await page.getByLabel("Reason for dismissing").fill(reason);
  await page.getByRole("button", { name: "Dismiss finding" }).click();
  await expect(page.getByTestId("finding-status")).toContainText("False positive");
  await expect(page.getByTestId("finding-history")).toContainText(`Dismissed by ${E2E.users.analyst.email}: False positive: ${reason}`);
  await expect(page.getByRole("button", { name: "Reopen finding" })).toBeVisible();

  const stored = await withDb(
    async (c) =>
      (
        await c.query(`SELECT action, details->>'reason' AS reason FROM audit_log WHERE "resourceId" = $1 ORDER BY id DESC LIMIT 1`, [
          findingId,
        ])
      ).rows[0],
  );
  expect(stored).toEqual({ action: "finding.dismissed", reason });
});

test("the auditor reads the finding without a dismiss form, and the API refuses the dismissal", async ({ page }) => {
  await openAs(page, "auditor");
  await page.goto(`/findings/${findingId}`);
  await expect(page.getByTestId("finding-history")).toContainText("Dismissed by");
  await expect(page.getByRole("button", { name: /Dismiss finding|Reopen finding/ })).toHaveCount(0);
  await expect(page.getByLabel(/Reason for/)).toHaveCount(0);
  const ctx = await apiAs("auditor");
  expect(
    (
      await ctx.post(`/api/v1/findings/${findingId}/dismiss`, { data: { type: "false_positive", reason: "auditor cannot do this" } })
    ).status(),
  ).toBe(403);
  expect((await ctx.post(`/api/v1/findings/${findingId}/reopen`, { data: { reason: "auditor cannot do this" } })).status()).toBe(403);
  expect((await ctx.get(`/api/v1/findings/${findingId}`)).status()).toBe(200);
  await ctx.dispose();
});
