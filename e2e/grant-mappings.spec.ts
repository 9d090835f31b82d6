import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { expectAccessible, openAs, withDb } from "./helpers";

// An administrator declares how an unknown PAM tool's grant export is read (Settings > Grant mappings): previews the
// first records (each one's grant, or why it would be quarantined), saves the mapping, and ingests the export with it.
const FIXTURES = path.resolve(import.meta.dirname, "..", "lib", "sources", "pam-grants", "fixtures");
const EXPORT = path.join(FIXTURES, "acme-pam-grants.csv");

test("admin declares a grant mapping, previews it, saves it and ingests an export with it", async ({ page }) => {
  await openAs(page, "admin");
  await page.goto("/settings");
  const panel = page.getByTestId("grant-mappings");
  await expect(panel.getByRole("heading", { name: "Grant mappings" })).toBeVisible();

  await panel.getByLabel("Name", { exact: true }).fill("e2e-acme-pam");
  await panel.getByLabel("Principal").fill("Requester");
  await panel.getByLabel("Role", { exact: true }).fill("Role Granted");
  await panel.getByLabel("Start", { exact: true }).fill("Approved At");
  await panel.getByLabel(/^End/).fill("Expires");
  await panel.getByLabel("Platform (optional)").fill("Target System");
  await panel.getByLabel(/^Approver/).fill("Reviewer");
  await panel.getByLabel(/^Ticket/).fill("Ticket #");
  await panel.getByLabel(/^Grant id/).fill("Request ID");
  await panel.getByLabel(/^Status \(optional\)/).fill("State");
  await panel.getByLabel(/^Revoked at/).fill("Revoked At");
  await panel.getByLabel(/^Status values/).fill("Approved = granted\nPending Review = requested");
  await panel.getByLabel(/^First lines of the export/).fill(fs.readFileSync(EXPORT, "utf8"));
  await panel.getByRole("button", { name: "Preview the first 5 records" }).click();

  const preview = page.getByTestId("grant-preview");
  await expect(preview.getByTestId("grant-preview-0")).toContainText("maria.lopez@example.com");
  await expect(preview.getByTestId("grant-preview-1")).toContainText("grant, revoked");
  await expect(preview.getByTestId("grant-preview-2")).toContainText('start (field "Approved At") is not a readable time: "soon"');
  await expect(preview.getByTestId("grant-preview-3")).toContainText('principal (field "Requester") is missing or empty');
  await expect(preview.getByTestId("grant-preview-4")).toContainText('status "Escalated"');
  await expectAccessible(page, "/settings with a grant mapping preview");

  await panel.getByRole("button", { name: "Save mapping" }).click();
  await expect(panel.getByText("Saved the mapping “e2e-acme-pam”.")).toBeVisible();
  const row = page.getByTestId("grant-mapping-e2e-acme-pam");
  await expect(row).toBeVisible();

  const copy = path.join(fs.mkdtempSync("/tmp/e2e-grants-"), "acme-e2e.csv");
  fs.writeFileSync(
    copy,
    fs
      .readFileSync(EXPORT, "utf8")
      .replace(/REQ-9/g, "E2E-9")
      .replace(/ci-deployer/g, "e2e-grant-deployer"),
  );
  await row.locator('input[type="file"]').setInputFiles(copy);
  await expect(page.getByTestId("grant-mapping-upload")).toContainText("read 6, stored 3, duplicate 0, quarantined 3");

  const grants = await withDb(
    async (c) => (await c.query(`SELECT "externalId" FROM access_grant WHERE system = 'mapping:e2e-acme-pam' ORDER BY 1`)).rows,
  );
  expect(grants.map((g) => g.externalId)).toEqual(["E2E-9001", "E2E-9002"]);
});

test("the grant mappings panel is for administrators only", async ({ page }) => {
  await openAs(page, "analyst");
  await page.goto("/settings");
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  await expect(page.getByTestId("grant-mappings")).toHaveCount(0);
});
