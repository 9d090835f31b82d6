import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { expect, request, type APIRequestContext, type BrowserContext, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { E2E, statePath, type RoleName } from "./config";

/** Signs in through next-auth's credentials endpoint (CSRF token first), as a browser would. */
export async function apiSignIn(email: string, password: string): Promise<APIRequestContext> {
  const ctx = await request.newContext({ baseURL: E2E.baseUrl });
  const csrf = await (await ctx.get("/api/auth/csrf")).json();
  const res = await ctx.post("/api/auth/callback/credentials", {
    form: { csrfToken: csrf.csrfToken, email, password, json: "true" },
  });
  expect(res.status(), `sign-in of ${email}`).toBe(200);
  const me = await ctx.get("/api/v1/me");
  expect(me.status(), `session of ${email}`).toBe(200);
  return ctx;
}

/** An API client signed in as the role (its session from the global setup; no sign-in request). */
export async function apiAs(role: RoleName): Promise<APIRequestContext> {
  return request.newContext({ baseURL: E2E.baseUrl, storageState: statePath(role) });
}

/**
 * The page signed in as the role (its session cookie from the global setup) and on /sessions, where the sign-in
 * form lands. For specs that are not about signing in; those use uiSignIn.
 */
export async function openAs(page: Page, role: RoleName): Promise<void> {
  const state = JSON.parse(fs.readFileSync(statePath(role), "utf8")) as { cookies: Parameters<BrowserContext["addCookies"]>[0] };
  await page.context().addCookies(state.cookies);
  await page.goto("/sessions");
}

/** Signs in through the sign-in form, as a person does. */
export async function uiSignIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL("**/sessions");
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL("**/login**");
  const session = await page.request.get("/api/auth/session");
  expect(await session.json()).toEqual({});
}

/** axe-core on the current page; serious and critical violations fail the test. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    `accessibility of ${label}`,
  ).toEqual([]);
}

/** The database of the server under test (the embedded one, whose URL start.ts writes to runtime.json). */
export async function withDb<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const runtime = JSON.parse(fs.readFileSync(path.join(E2E.dataDir, "runtime.json"), "utf8")) as { databaseUrl: string };
  const client = new pg.Client({ connectionString: runtime.databaseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
