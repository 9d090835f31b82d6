import { expect, test, type Page } from "@playwright/test";
import { PAGE_ACCESS } from "../lib/auth/routes";
import { can, ROLE_LABELS, ROLES } from "../lib/auth/permissions";
import { signOut, withDb } from "./helpers";

// Single sign-on against a real OpenID provider (scripts/oidc-test-provider.ts): authorization code flow
// with PKCE, state and nonce, the role taken from the ID token's claim, the user provisioned on first sign-in.
async function ssoSignIn(page: Page, login: string) {
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in with Test IdP" }).click();
  await page.waitForURL(/127\.0\.0\.1:3901\/interaction/);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any-password");
  await page.getByRole("button", { name: "Sign-in" }).click();
}

for (const role of ROLES) {
  test(`SSO ${role}: provisioned with the role from the ID token, visits the pages, signs out`, async ({ page }) => {
    const login = `sso-user.${role}`;
    await ssoSignIn(page, login);
    await page.waitForURL("**/sessions");
    await expect(page.getByText(`${login}@sso.example.test`)).toBeVisible();
    await expect(page.getByText(ROLE_LABELS[role], { exact: true }).first()).toBeVisible();
    const row = await withDb(
      async (c) =>
        (
          await c.query(`SELECT role::text AS role, "authProvider", "oidcSubject", "passwordHash" FROM app_user WHERE email = $1`, [
            `${login}@sso.example.test`,
          ])
        ).rows[0],
    );
    expect(row).toEqual({ role, authProvider: "oidc", oidcSubject: login, passwordHash: null });
    for (const path of ["/sessions", "/coverage", "/cases", "/ingest", "/settings"] as const) {
      const res = await page.goto(path);
      const access = PAGE_ACCESS[path];
      expect(res?.status(), `${role} ${path}`).toBe(can(role, access) ? 200 : 403);
    }
    await signOut(page);
  });
}

test("SSO without a role claim is refused with a message that says what to do", async ({ page }) => {
  await ssoSignIn(page, "no-role-person");
  await page.waitForURL("**/login?error=NoRole**");
  await expect(page.getByRole("main").getByRole("alert")).toContainText("carries no Sessionproof role");
  const count = await withDb(
    async (c) => (await c.query(`SELECT count(*)::int AS n FROM app_user WHERE email = 'no-role-person@sso.example.test'`)).rows[0].n,
  );
  expect(count).toBe(0);
  const audit = await withDb(
    async (c) =>
      (
        await c.query(
          `SELECT details->>'reason' AS reason FROM audit_log WHERE action = 'auth.sign_in_failed' AND "actorEmail" = 'no-role-person@sso.example.test'`,
        )
      ).rows,
  );
  expect(audit).toContainEqual({ reason: "no_role_claim" });
});
