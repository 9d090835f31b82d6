import { expect, test } from "@playwright/test";
import { PAGE_ACCESS } from "../lib/auth/routes";
import { can, ROLE_LABELS, ROLES } from "../lib/auth/permissions";
import { credentialsFor } from "./config";
import { expectAccessible, signOut, uiSignIn } from "./helpers";

// Each role signs in through the sign-in page, visits every page of the navigation (and user management),
// sees either the page or the 403 page as the permission table says, passes an axe check on each, signs out.
const NAV = [
  "/sessions",
  "/identities",
  "/lineage",
  "/coverage",
  "/compliance",
  "/cases",
  "/ingest",
  "/settings",
  "/settings/users",
] as const;
const HEADINGS: Record<(typeof NAV)[number], string> = {
  "/sessions": "Sessions",
  "/identities": "Identities",
  "/lineage": "Lineage",
  "/coverage": "Coverage",
  "/compliance": "Compliance",
  "/cases": "Cases",
  "/ingest": "Ingest",
  "/settings": "Settings",
  "/settings/users": "Users",
};

test("the sign-in page is accessible", async ({ page }) => {
  await page.goto("/login");
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign in with Test IdP" })).toBeVisible();
  await expectAccessible(page, "/login");
});

for (const role of ROLES) {
  test(`${role} signs in, visits every page, signs out`, async ({ page }) => {
    const cred = credentialsFor(role);
    await uiSignIn(page, cred.email, cred.password);
    await expect(page.getByText(ROLE_LABELS[role], { exact: true }).first()).toBeVisible();
    for (const path of NAV) {
      const res = await page.goto(path);
      const allowed = can(role, PAGE_ACCESS[path] as Exclude<(typeof PAGE_ACCESS)[typeof path], "public">);
      if (allowed) {
        expect(res?.status(), path).toBe(200);
        await expect(page.getByRole("heading", { level: 1, name: HEADINGS[path] })).toBeVisible();
      } else {
        expect(res?.status(), path).toBe(403);
        await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
      }
      await expectAccessible(page, `${path} as ${role}`);
    }
    await page.goto("/sessions");
    // An honest empty state or real rows from ingested data, never sample data.
    await expect(
      page.getByText(/No sessions yet|Events are stored, but no sessions are built yet/).or(page.getByTestId("session-row").first()),
    ).toBeVisible();
    await signOut(page);
    const again = await page.goto("/sessions");
    expect(again?.url()).toContain("/login");
  });
}
