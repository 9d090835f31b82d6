import fs from "node:fs";
import path from "node:path";
import { expect, request, test, type APIRequestContext } from "@playwright/test";
import { API_ACCESS, PAGE_ACCESS, type Access } from "../lib/auth/routes";
import { can, ROLES, type Role } from "../lib/auth/permissions";
import { NAV_ITEMS } from "../lib/auth/nav";
import { E2E } from "./config";
import { apiAs, openAs } from "./helpers";

// Walks app/ for every route handler and page, requires each to be in the route table (lib/auth/routes.ts),
// and checks against the running server that each role is allowed or refused exactly as the permission table
// says: refused means 403; allowed means anything but 401/403. Signed-out callers get 401 (API) or a redirect
// to /login (pages) on everything that is not public.
const APP_DIR = path.resolve("app");

function routePath(file: string, suffix: string): string {
  const rel = path.relative(APP_DIR, file).split(path.sep);
  rel.pop(); // route.ts / page.tsx
  const segs = rel.filter((s) => !(s.startsWith("(") && s.endsWith(")")));
  return "/" + segs.join("/");
  void suffix;
}

function discover() {
  const files = (fs.readdirSync(APP_DIR, { recursive: true }) as string[]).map((f) => path.join(APP_DIR, f));
  const pages = files.filter((f) => f.endsWith(`${path.sep}page.tsx`)).map((f) => routePath(f, "page.tsx"));
  const apis: string[] = [];
  for (const f of files.filter((f) => f.endsWith(`${path.sep}route.ts`))) {
    const src = fs.readFileSync(f, "utf8");
    const methods = new Set<string>();
    for (const m of src.matchAll(/export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) methods.add(m[1]);
    for (const m of src.matchAll(/export\s*\{([^}]*)\}/g)) {
      for (const part of m[1].split(",")) {
        const name = part
          .split(/\s+as\s+/)
          .pop()!
          .trim();
        if (/^(GET|POST|PUT|PATCH|DELETE)$/.test(name)) methods.add(name);
      }
    }
    for (const method of methods) apis.push(`${method} ${routePath(f, "route.ts")}`);
  }
  return { pages, apis };
}

function concrete(p: string): string {
  return p
    .replace("[...nextauth]", "session")
    .replace("[platform]", "okta")
    .replace("[framework]", "nist-csf-2.0")
    .replace("[control]", "PR.AA-01")
    .replace(/\[[^\]]+\]/g, "00000000-0000-4000-8000-000000000000");
}

const discovered = discover();

test("every page and route handler is in the route table", () => {
  expect(discovered.pages.length).toBeGreaterThanOrEqual(10);
  expect(discovered.apis.length).toBeGreaterThanOrEqual(5);
  const missingPages = discovered.pages.filter((p) => !(p in PAGE_ACCESS));
  const missingApis = discovered.apis.filter((a) => !(a in API_ACCESS));
  expect(missingPages, "pages missing from PAGE_ACCESS").toEqual([]);
  expect(missingApis, "route handlers missing from API_ACCESS").toEqual([]);
  // And the table names nothing that does not exist.
  expect(Object.keys(PAGE_ACCESS).filter((p) => !discovered.pages.includes(p))).toEqual([]);
  expect(Object.keys(API_ACCESS).filter((a) => !discovered.apis.includes(a))).toEqual([]);
});

async function call(ctx: APIRequestContext, key: string) {
  const [method, p] = key.split(" ");
  const url = concrete(p);
  const opts = { maxRedirects: 0, failOnStatusCode: false } as const;
  if (method === "GET") return ctx.get(url, opts);
  return ctx.fetch(url, { ...opts, method, data: {} });
}

test("signed-out callers are refused everything that is not public", async () => {
  const anon = await request.newContext({ baseURL: E2E.baseUrl });
  for (const key of discovered.apis) {
    const access: Access = API_ACCESS[key as keyof typeof API_ACCESS];
    const res = await call(anon, key);
    if (access === "public") expect(res.status(), key).not.toBe(401);
    else expect(res.status(), key).toBe(401); // token routes too: no bearer token was sent
  }
  for (const p of discovered.pages) {
    const access: Access = PAGE_ACCESS[p as keyof typeof PAGE_ACCESS];
    const res = await anon.get(concrete(p), { maxRedirects: 0 });
    if (access === "public") expect(res.status(), p).toBe(200);
    else {
      expect(res.status(), p).toBe(307);
      expect(res.headers()["location"], p).toContain("/login");
    }
  }
  await anon.dispose();
});

for (const role of ROLES) {
  test(`role ${role}: allowed and refused exactly as the permission table says`, async () => {
    const ctx = await apiAs(role);
    const seen: string[] = [];
    for (const key of discovered.apis) {
      const access: Access = API_ACCESS[key as keyof typeof API_ACCESS];
      const res = await call(ctx, key);
      if (access === "token") {
        // A user session is not a push token: every role is refused with 401.
        expect(res.status(), `${role} ${key} needs a push token`).toBe(401);
      } else if (access === "public" || can(role as Role, access)) {
        expect([401, 403], `${role} ${key} should be allowed`).not.toContain(res.status());
      } else expect(res.status(), `${role} ${key} should be refused`).toBe(403);
      seen.push(`${key}=${res.status()}`);
    }
    for (const p of discovered.pages) {
      const access: Access = PAGE_ACCESS[p as keyof typeof PAGE_ACCESS];
      const res = await ctx.get(concrete(p), { maxRedirects: 0 });
      const allowed = access === "public" || can(role as Role, access);
      if (allowed) expect([200, 307], `${role} ${p} should be allowed`).toContain(res.status());
      else expect(res.status(), `${role} ${p} should be refused`).toBe(403);
      seen.push(`${p}=${res.status()}`);
    }
    test.info().annotations.push({ type: "matrix", description: `${role}: ${seen.join(" ")}` });
    await ctx.dispose();
  });
}

// The sidebar as each role sees it: every link shown opens (200, not 403), and every sidebar page the server
// opens for the role is shown. What the server answers decides, not the nav code under test.
for (const role of ROLES) {
  test(`role ${role}: the sidebar shows exactly the pages that open`, async ({ page }) => {
    await openAs(page, role);
    const sidebar = page.getByRole("navigation", { name: "Main" });
    const hrefs = await sidebar.locator("a[href]").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
    const navLinks = await sidebar.locator("ul.nav a[href]").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
    expect(navLinks.length, `${role} sees some sidebar links`).toBeGreaterThan(0);
    for (const href of new Set(hrefs)) {
      const res = await page.request.get(href, { maxRedirects: 0 });
      expect(res.status(), `${role}: sidebar link ${href} should open`).toBe(200);
    }
    const opens: string[] = [];
    for (const item of NAV_ITEMS) {
      const res = await page.request.get(item.page, { maxRedirects: 0 });
      expect([200, 403], `${role} ${item.page}`).toContain(res.status());
      if (res.status() === 200) opens.push(item.page);
    }
    expect(navLinks, `${role}: sidebar links are the sidebar pages that open, in order`).toEqual(opens);
    test.info().annotations.push({ type: "nav", description: `${role}: ${navLinks.join(" ")}` });
  });
}
