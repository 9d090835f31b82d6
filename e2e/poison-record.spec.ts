import fs from "node:fs";
import { expect, request, test, type Page } from "@playwright/test";
import { E2E } from "./config";
import { apiAs, openAs, withDb } from "./helpers";

// Issue 17, item 2: one pushed record with a lone UTF-16 surrogate (a truncated emoji) in its user agent and NUL in
// its actor's name made PostgreSQL's JSON functions fail, so Coverage, Compliance and every page reading event JSON
// answered 500 for everyone until the row was edited by hand. Here the record arrives the way it did, through push
// delivery with a source token; after the analysis, the analysis pages and APIs answer and show its session.
// (lib/ingest/poison-strings.db.test.ts drives the same strings through every lib/ reader.)
test.describe.configure({ mode: "serial" });

const tag = `poison-${Date.now()}`;
const email = `${tag}@e2e.test`;
const sessionKey = `idxPoison${Date.now()}`;
let sessionId = "";

/** An Okta System Log record from the fixture, made unique, with the poison in the user agent and the actor's name. */
function poisonRecord(): Record<string, unknown> {
  const page = JSON.parse(fs.readFileSync("lib/sources/okta/fixtures/okta-system-log-page.json", "utf8")) as Record<string, unknown>[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a vendor record, edited in place
  const r = structuredClone(page[0]) as Record<string, any>;
  r.uuid = `${tag}-0000-4000-8000-000000000001`;
  r.published = new Date(Date.now() - 60_000).toISOString();
  r.actor = { ...r.actor, id: `00u${Date.now()}`, alternateId: email, displayName: `Poison\u0000Pill \ud83d` };
  r.client.userAgent.rawUserAgent = "Mozilla/5.0 (X11; Linux x86_64) \ud83d truncated\u0000agent \udc00";
  r.authenticationContext.externalSessionId = sessionKey;
  r.authenticationContext.rootSessionId = sessionKey;
  return r;
}

test("a record with a lone surrogate and NUL is pushed with a source token and stored", async () => {
  const admin = await apiAs("admin");
  const created = await admin.post("/api/v1/tokens", { data: { name: tag, platform: "okta", sourceName: "okta-poison" } });
  expect(created.status(), await created.text()).toBe(201);
  const { token } = (await created.json()) as { token: string };
  await admin.dispose();

  // JSON.stringify writes the lone surrogate as the escape \ud83d and NUL as \u0000: valid JSON, as a vendor sends it.
  const body = JSON.stringify([poisonRecord()]);
  expect(body).toContain("\\ud83d");
  expect(body).toContain("\\u0000");
  const anon = await request.newContext({ baseURL: E2E.baseUrl });
  const res = await anon.post("/api/v1/ingest/okta", {
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "x-file-name": `${tag}.json` },
    data: Buffer.from(body),
  });
  expect(res.status(), await res.text()).toBe(201);
  expect(await res.json()).toMatchObject({ platform: "okta", read: 1, stored: 1, quarantined: 0 });
  await anon.dispose();

  // The raw record keeps the vendor's bytes, escapes and all; the event's JSON is valid for PostgreSQL's functions.
  const stored = await withDb(async (c) => {
    const { rows } = await c.query(
      `SELECT convert_from(r.payload, 'UTF8') AS payload, e.data::jsonb ->> 'user_agent' AS ua, e."actorName" AS actor
         FROM raw_record r JOIN event e ON e."rawRecordId" = r.id
        WHERE position(convert_to($1, 'UTF8') IN r.payload) > 0`,
      [tag],
    );
    return rows as { payload: string; ua: string; actor: string }[];
  });
  expect(stored).toHaveLength(1);
  expect(stored[0].payload).toContain("\\ud83d");
  expect(stored[0].payload).toContain("\\u0000");
  expect(stored[0].ua.isWellFormed() && !stored[0].ua.includes("\u0000")).toBe(true);
  expect(stored[0].actor.isWellFormed() && !stored[0].actor.includes("\u0000")).toBe(true);
});

test("after the analysis, the analysis APIs answer and list the record's session", async () => {
  const analyst = await apiAs("analyst");
  const run = await analyst.post("/api/v1/correlation", { data: {} });
  expect(run.status(), await run.text()).toBe(200);
  sessionId = await withDb(async (c) => {
    const { rows } = await c.query(
      `SELECT e."sessionId"::text AS id FROM event e JOIN raw_record r ON r.id = e."rawRecordId"
        WHERE position(convert_to($1, 'UTF8') IN r.payload) > 0`,
      [tag],
    );
    return (rows[0]?.id as string | undefined) ?? "";
  });
  expect(sessionId, "the poisoned record's event belongs to a session").not.toBe("");

  const sessions = await analyst.get(`/api/v1/sessions?q=${encodeURIComponent(email)}`);
  expect(sessions.status(), await sessions.text()).toBe(200);
  expect(((await sessions.json()) as { items: { id: string }[] }).items.map((s) => s.id)).toContain(sessionId);
  const session = await analyst.get(`/api/v1/sessions/${sessionId}`);
  expect(session.status(), await session.text()).toBe(200);
  const findings = await analyst.get("/api/v1/findings");
  expect(findings.status(), await findings.text()).toBe(200);
  await analyst.dispose();

  const compliance = await apiAs("compliance");
  const coverage = await compliance.get("/api/v1/coverage");
  expect(coverage.status(), await coverage.text()).toBe(200);
  const okta = ((await coverage.json()) as { platforms: { platform: string; events: number }[] }).platforms.find(
    (p) => p.platform === "okta",
  );
  expect(okta?.events).toBeGreaterThan(0);
  for (const framework of ["nist-csf-2.0", "owasp-nhi-2025"]) {
    const status = await compliance.get(`/api/v1/compliance/${framework}`);
    expect(status.status(), `${framework}: ${await status.text()}`).toBe(200);
    const report = await compliance.get(`/api/v1/compliance/${framework}/report?format=csv`);
    expect(report.status(), `${framework} report: ${await report.text()}`).toBe(200);
  }
  await compliance.dispose();
});

/** The page answers 200 with its heading and without the error page. */
async function expectPage(page: Page, path: string, heading: string | RegExp) {
  const res = await page.goto(path);
  expect(res?.status(), path).toBe(200);
  await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
  await expect(page.getByText("This page could not be shown.")).toHaveCount(0);
}

test("Coverage, Compliance, Findings, Sessions and the session's page show, with the record's session", async ({ page }) => {
  expect(sessionId, "set by the previous test").not.toBe("");
  await openAs(page, "admin");
  await expectPage(page, "/coverage", "Coverage");
  await expectPage(page, "/compliance", "Compliance");
  await expectPage(page, "/compliance/nist-csf-2.0", /NIST/);
  await expectPage(page, "/findings", "Findings");

  await expectPage(page, `/sessions?q=${encodeURIComponent(email)}`, "Sessions");
  const row = page.getByTestId("session-row").filter({ has: page.locator(`a[href="/sessions/${sessionId}"]`) });
  await expect(row).toHaveCount(1);

  await expectPage(page, `/sessions/${sessionId}`, "Okta session");
  await expect(page.getByTestId("answers")).toBeVisible();
  await expect(page.getByTestId("answer-identity")).toContainText(/Poison|poison-/);
  await expect(page.getByTestId("event-row").first()).toBeVisible();
});
