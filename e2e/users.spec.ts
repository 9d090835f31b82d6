import { expect, test } from "@playwright/test";
import { E2E } from "./config";
import { expectAccessible, openAs, withDb } from "./helpers";

// An administrator manages users in Settings; each change lands in the database with an audit entry, and a
// disabled account can no longer sign in.
test("admin creates a user, changes the role, disables the account", async ({ page, browser }) => {
  await openAs(page, "admin");
  await page.goto("/settings/users");
  await expect(page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();

  // A too-short password is refused with the reason next to the field.
  await page.getByLabel("Email").fill("dana@e2e.test");
  await page.getByLabel("Initial password").fill("short");
  await page.getByRole("button", { name: "Add user" }).click();
  await expect(page.getByText("Passwords need at least 12 characters.")).toBeVisible();

  await page.getByLabel("Initial password").fill("dana-password-123");
  await page.getByLabel("Role", { exact: true }).selectOption("compliance");
  await page.getByRole("button", { name: "Add user" }).click();
  await expect(page.getByText("Created dana@e2e.test as Compliance manager.")).toBeVisible();
  const row = page.getByTestId("user-row-dana@e2e.test");
  await expect(row).toBeVisible();
  await expectAccessible(page, "/settings/users with data");

  // Filter and sort work on the table.
  await page.getByLabel("Filter users").fill("dana");
  await expect(page.locator("tbody tr")).toHaveCount(1);
  await page.getByLabel("Filter users").fill("");

  await row.getByLabel("Role of dana@e2e.test").selectOption("auditor");
  await expect(page.getByText("Saved dana@e2e.test.")).toBeVisible();
  page.once("dialog", (d) => d.accept());
  await row.getByRole("button", { name: /Disable/ }).click();
  await expect(row.getByText("Disabled")).toBeVisible();

  const dbRow = await withDb(
    async (c) => (await c.query(`SELECT role::text AS role, disabled FROM app_user WHERE email = 'dana@e2e.test'`)).rows[0],
  );
  expect(dbRow).toEqual({ role: "auditor", disabled: true });
  const audit = await withDb(
    async (c) =>
      (
        await c.query(
          `SELECT action, details FROM audit_log WHERE "resourceId" = (SELECT id::text FROM app_user WHERE email = 'dana@e2e.test') ORDER BY id`,
        )
      ).rows,
  );
  expect(audit.map((a) => a.action)).toEqual(["user.created", "user.updated", "user.updated"]);
  expect(audit[2].details).toMatchObject({ before: { disabled: false }, after: { disabled: true } });

  // The disabled account cannot sign in, and is told why (in a browser of its own).
  const other = await browser.newContext({ baseURL: E2E.baseUrl });
  const login = await other.newPage();
  await login.goto("/login");
  await login.getByLabel("Email").fill("dana@e2e.test");
  await login.getByLabel("Password").fill("dana-password-123");
  await login.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(login.getByRole("main").getByRole("alert")).toContainText("This account has been disabled");
  await other.close();
});
