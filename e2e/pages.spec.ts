import { expect, test } from "@playwright/test";
import { PAGE_ACCESS } from "../lib/auth/routes";
import { can, ROLE_LABELS, ROLES } from "../lib/auth/permissions";
import { E2E } from "./config";
import { expectAccessible, openAs, signOut, uiSignIn } from "./helpers";

// Signing in through the form and out again; then each role visits every page of the navigation (and user
// management) and sees either the page or the 403 page as the permission table says.
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

test("the pages name their icon and it is served (no favicon 404)", async ({ page }) => {
  const missing: string[] = [];
  page.on("response", (r) => {
    if (r.status() === 404) missing.push(r.url());
  });
  await page.goto("/login");
  const href = await page.locator('link[rel="icon"]').first().getAttribute("href");
  expect(href).toMatch(/^\/icon\.svg/);
  const icon = await page.request.get(href!);
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toContain("image/svg+xml");
  await page.waitForLoadState("networkidle");
  expect(missing).toEqual([]);
});

test("the sidebar prefetches a page on intent, once, not every page on every view", async ({ page }) => {
  // Next.js prefetches a route with RSC requests marked "next-router-prefetch" (its tree, then its metadata).
  const prefetched: string[] = [];
  page.on("request", (r) => {
    const h = r.headers();
    if (h["next-router-prefetch"] === undefined) return;
    const url = new URL(r.url());
    url.searchParams.delete("_rsc"); // the router's cache buster: "/sessions?identityId=…" stays apart from "/sessions"
    prefetched.push(`${url.pathname}${url.search} ${h["next-router-segment-prefetch"] ?? h["next-router-state-tree"] ?? ""}`);
  });
  await openAs(page, "admin");
  await expect(page.getByRole("heading", { level: 1, name: "Sessions" })).toBeVisible();
  await page.waitForLoadState("networkidle");
  prefetched.length = 0; // what the sessions page's own content prefetched
  await page.goto("/identities");
  await expect(page.getByRole("heading", { level: 1, name: "Identities" })).toBeVisible();
  await page.waitForLoadState("networkidle");
  // Links in a page's own content keep Next's viewport prefetch; the sidebar's do not.
  const sidebar = new Set(
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link")
      .evaluateAll((as) => as.map((a) => a.getAttribute("href"))),
  );
  const elsewhere = new Set(await page.locator("main a[href^='/']").evaluateAll((as) => as.map((a) => a.getAttribute("href"))));
  expect(sidebar.size).toBeGreaterThan(5);
  // A route's tree is prefetched per path whatever the query, so a content link to "/sessions?identityId=…" accounts
  // for a "/sessions" tree request: compare paths.
  const elsewherePaths = new Set([...elsewhere].map((h) => h!.split("?")[0]));
  const sidebarOnly = (p: string) => sidebar.has(p.split(" ")[0]) && !elsewherePaths.has(p.split(" ")[0].split("?")[0]);
  expect(prefetched.filter(sidebarOnly), "nothing in the sidebar is prefetched without intent").toEqual([]);
  prefetched.length = 0;

  const findings = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Findings" });
  await findings.hover();
  await expect.poll(() => prefetched.filter((p) => p.startsWith("/findings ")).length).toBeGreaterThan(0);
  await page.mouse.move(600, 400);
  await findings.hover();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Cases" }).focus();
  await expect.poll(() => prefetched.filter((p) => p.startsWith("/cases ")).length).toBeGreaterThan(0);
  await page.waitForLoadState("networkidle");
  expect(
    prefetched.filter((p) => !/^\/(findings|cases) /.test(p)),
    "only the pages reached for",
  ).toEqual([]);
  expect(prefetched.length, `each request once: ${prefetched.join(", ")}`).toBe(new Set(prefetched).size);
  await findings.click();
  await expect(page.getByRole("heading", { level: 1, name: "Findings" })).toBeVisible();
});

test("signing in through the form and out again", async ({ page }) => {
  await uiSignIn(page, E2E.formUser.email, E2E.formUser.password);
  await expect(page.getByText(ROLE_LABELS[E2E.formUser.role], { exact: true }).first()).toBeVisible();
  // An honest empty state or real rows from ingested data, never sample data.
  await expect(
    page.getByText(/No sessions yet|Events are stored, but no sessions are built yet/).or(page.getByTestId("session-row").first()),
  ).toBeVisible();
  await signOut(page);
  const again = await page.goto("/sessions");
  expect(again?.url()).toContain("/login");
});

// axe runs on every page as the administrator, whose pages carry every control the other roles see (and more),
// and on the 403 page the first time a role meets it; the other roles check status and heading. Running axe
// for each role on the same page cost about 2 s a page and found nothing the administrator's run did not.
let refusalChecked = false;
for (const role of ROLES) {
  test(`${role} visits every page and sees it or the 403 page as the permission table says`, async ({ page }) => {
    await openAs(page, role);
    await expect(page.getByText(ROLE_LABELS[role], { exact: true }).first()).toBeVisible();
    for (const path of NAV) {
      const res = await page.goto(path);
      const allowed = can(role, PAGE_ACCESS[path] as Exclude<(typeof PAGE_ACCESS)[typeof path], "public">);
      if (allowed) {
        expect(res?.status(), path).toBe(200);
        await expect(page.getByRole("heading", { level: 1, name: HEADINGS[path] })).toBeVisible();
        if (role === "admin") await expectAccessible(page, path);
      } else {
        expect(res?.status(), path).toBe(403);
        await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
        if (!refusalChecked) await expectAccessible(page, `${path} as ${role} (403)`);
        refusalChecked = true;
      }
    }
  });
}
