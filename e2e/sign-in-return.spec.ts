import { expect, test } from "@playwright/test";
import { E2E } from "./config";

// A signed-out visitor who opens a deep link (a session with a query string) signs in and comes back to exactly
// that URL: the real path and query, not the page's route pattern ("/sessions/[id]").
test("sign-in returns to the exact page and query that was asked for", async ({ page }) => {
  const id = "0b6f2a9e-1c1d-4e0e-9a53-0d7c1b2f3a4b";
  await page.goto(`/sessions/${id}?eventsOffset=0&x=1`);
  await expect(page).toHaveURL(/\/login\?/);
  expect(new URL(page.url()).searchParams.get("callbackUrl")).toBe(`/sessions/${id}?eventsOffset=0&x=1`);
  await page.getByLabel("Email").fill(E2E.users.analyst.email);
  await page.getByLabel("Password").fill(E2E.users.analyst.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(`**/sessions/${id}?eventsOffset=0&x=1`);
  // No such session in this database: the page says so (rendered, not a redirect elsewhere).
  await expect(page.getByRole("heading", { name: "Session not found" })).toBeVisible();

  // A header a client sends cannot choose the return address: the proxy overwrites it with the real path.
  const ctx = await page
    .context()
    .browser()!
    .newContext({ baseURL: E2E.baseUrl, extraHTTPHeaders: { "x-sp-return": "//evil.example/x" } });
  const other = await ctx.newPage();
  await other.goto("/cases?status=open");
  expect(new URL(other.url()).searchParams.get("callbackUrl")).toBe("/cases?status=open");
  await ctx.close();
});

// The open redirect of the attack campaign: a link to the sign-in page whose callbackUrl a browser reads as another
// host ("/\evil.example" and "/%09/evil.example" both become //evil.example). Neither the sign-in form (signed out)
// nor the sign-in page's own redirect (signed in) may follow it; both land on /sessions of this origin.
test("sign-in never sends the visitor to another site, whatever callbackUrl says", async ({ page }) => {
  const { email, password } = E2E.users.analyst;
  const onSessions = (url: URL) => url.pathname === "/sessions";
  // Written as an attacker would write the link: the query is not encoded further.
  for (const attack of ["/\\evil.example", "/%09/evil.example", "//evil.example/x", "https://evil.example/x"]) {
    await page.context().clearCookies();
    await page.goto(`/login?callbackUrl=${attack}`);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(onSessions, { timeout: 15_000 });
    expect(new URL(page.url()).origin, `form, ${attack}`).toBe(E2E.baseUrl);

    await page.goto(`/login?callbackUrl=${attack}`);
    await page.waitForURL(onSessions, { timeout: 15_000 });
    expect(new URL(page.url()).origin, `signed in, ${attack}`).toBe(E2E.baseUrl);
  }
});
