import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, request, test } from "@playwright/test";
import { E2E } from "./config";
import { apiAs, apiSignIn, openAs, withDb } from "./helpers";

test("pages carry a nonce-based CSP and the usual security headers", async () => {
  const ctx = await request.newContext({ baseURL: E2E.baseUrl });
  const res = await ctx.get("/login");
  const h = res.headers();
  expect(h["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(h["content-security-policy"]).toContain("object-src 'none'");
  expect(h["x-frame-options"]).toBe("DENY");
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(h["x-powered-by"]).toBeUndefined();
  // The nonce changes on every response.
  const again = (await ctx.get("/login")).headers()["content-security-policy"];
  expect(again).not.toBe(h["content-security-policy"]);
  await ctx.dispose();
});

test("the page scripts run under the CSP (the sign-in form hydrates)", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await page.goto("/login");
  await page.getByLabel("Email").fill("nobody@e2e.test");
  await page.getByLabel("Password").fill("wrong-password-1");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  // Only a hydrated client form can show this message without a page load.
  await expect(page.getByRole("main").getByRole("alert")).toContainText("The email or password is not correct.");
  expect(violations).toEqual([]);
});

test("requests that pose as Next's internal subrequests are refused", async () => {
  const ctx = await request.newContext({ baseURL: E2E.baseUrl });
  for (const path of ["/sessions", "/api/v1/users", "/settings/users"]) {
    const res = await ctx.get(path, {
      headers: { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" },
      maxRedirects: 0,
    });
    expect(res.status(), path).toBe(400);
  }
  await ctx.dispose();
});

test("session cookies are HttpOnly and SameSite=Lax; CSRF is enforced on sign-in", async () => {
  const ctx = await apiSignIn(E2E.admin.email, E2E.admin.password);
  const cookies = await ctx.storageState();
  const session = cookies.cookies.find((c) => c.name.endsWith("next-auth.session-token"));
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe("Lax");
  const csrf = cookies.cookies.find((c) => c.name.endsWith("next-auth.csrf-token"));
  expect(csrf?.httpOnly).toBe(true);
  await ctx.dispose();

  // Without the CSRF token the credentials callback does not sign anyone in.
  const bare = await request.newContext({ baseURL: E2E.baseUrl });
  await bare.post("/api/auth/callback/credentials", {
    form: { email: E2E.admin.email, password: E2E.admin.password, json: "true" },
    maxRedirects: 0,
  });
  expect(await (await bare.get("/api/auth/session")).json()).toEqual({});
  expect((await bare.get("/api/v1/me")).status()).toBe(401);
  await bare.dispose();
});

test("a same-site page on another port cannot post a form with the admin's cookie (CSRF)", async ({ page }) => {
  // The attack: a page on 127.0.0.1:<other port> (same site as the app, so SameSite=Lax sends the cookie) posts a
  // text/plain form whose body is valid JSON to the users API. The signed-in admin only has to open the page.
  const victim = `csrf-${Date.now()}@e2e.test`;
  const field = JSON.stringify({ email: victim, role: "admin", password: "Attacker-chosen-password-1", pad: "" }).slice(0, -2);
  const html = `<!doctype html><form method="POST" action="${E2E.baseUrl}/api/v1/users" enctype="text/plain">
    <input type="hidden" name='${field}' value='"}'></form><script>document.forms[0].submit()</script>`;
  const server = http.createServer((_, res) => res.writeHead(200, { "content-type": "text/html" }).end(html));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    await openAs(page, "admin");
    const { port } = server.address() as AddressInfo;
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/api/v1/users") && r.request().method() === "POST"),
      page.goto(`http://127.0.0.1:${port}/`),
    ]);
    expect(response.status()).toBe(403);
    const created = await withDb(async (c) => (await c.query(`SELECT 1 FROM app_user WHERE email = $1`, [victim])).rowCount);
    expect(created).toBe(0);
  } finally {
    server.close();
  }
});

test("repeated wrong passwords shut this address out of the account, with a clear message", async ({ page }) => {
  const admin = await apiAs("admin");
  const created = await admin.post("/api/v1/users", {
    data: { email: "locked@e2e.test", password: "locked-password-1", role: "analyst" },
  });
  expect(created.status()).toBe(201);
  await admin.dispose();
  await page.goto("/login");
  for (let i = 0; i < 5; i++) {
    await page.getByLabel("Email").fill("locked@e2e.test");
    await page.getByLabel("Password").fill(`wrong-password-${i}`);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("main").getByRole("alert")).toContainText("The email or password is not correct.");
  }
  // Even the right password is refused from this address now, and the message says for how long. (The owner at
  // another address is only slowed down: lib/auth/throttle.ts; lib/auth/sign-in.db.test.ts covers that.)
  await page.getByLabel("Email").fill("locked@e2e.test");
  await page.getByLabel("Password").fill("locked-password-1");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("main").getByRole("alert")).toContainText(
    /Too many failed sign-in attempts for this account from your network address\. Try again in 1[45] minutes\./,
  );
});

test("the audit trail records the connection's address, not an X-Forwarded-For the client wrote", async () => {
  // No trusted proxy is configured for the e2e server: the client is the TCP peer (127.0.0.1), whatever it claims,
  // including a forged copy of the header the server stamps itself (scripts/peer-address.mjs).
  const email = `spoof-${Date.now()}@e2e.test`;
  const ctx = await request.newContext({
    baseURL: E2E.baseUrl,
    extraHTTPHeaders: { "x-forwarded-for": "203.0.113.66", "x-real-ip": "203.0.113.67", "x-sessionproof-peer": "203.0.113.68" },
  });
  const csrf = await (await ctx.get("/api/auth/csrf")).json();
  await ctx.post("/api/auth/callback/credentials", {
    form: { csrfToken: csrf.csrfToken, email, password: "wrong-password-1", json: "true" },
  });
  await ctx.dispose();
  const rows = await withDb(
    async (c) => (await c.query(`SELECT ip FROM audit_log WHERE action = 'auth.sign_in_failed' AND details->>'email' = $1`, [email])).rows,
  );
  expect(rows).toEqual([{ ip: "127.0.0.1" }]);
});
