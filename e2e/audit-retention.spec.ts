import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { E2E } from "./config";
import { apiAs, expectAccessible, openAs, withDb } from "./helpers";

// Legal holds and the audit trail as their users meet them: an admin places a hold on a source and time range
// with a reason and releases it (both shown in the list, with who and why); an analyst is refused both the hold
// API and the audit trail; an auditor opens a session, then finds that very view in the audit trail with the
// filters, and downloads it as CSV.
test.describe.configure({ mode: "serial" });

const FILE = "audit-log-stream.jsonl";
let sourceId: string;
let sessionId: string;

test("setup: a GitHub export is ingested and correlated", async () => {
  const ctx = await apiAs("analyst");
  const up = await ctx.post("/api/v1/ingest/upload", {
    headers: { "x-file-name": FILE },
    data: fs.readFileSync(`lib/sources/github/fixtures/${FILE}`),
  });
  expect(up.status(), await up.text()).toBe(201);
  const run = await ctx.post("/api/v1/correlation", { data: {} });
  expect(run.status(), await run.text()).toBe(200);
  await ctx.dispose();
  sourceId = await withDb(
    async (c) => (await c.query(`SELECT id::text AS id FROM source WHERE platform = 'github' ORDER BY "createdAt" LIMIT 1`)).rows[0].id,
  );
  sessionId = await withDb(
    async (c) => (await c.query(`SELECT id::text AS id FROM session WHERE platform = 'github' ORDER BY "startedAt" LIMIT 1`)).rows[0].id,
  );
});

test("an analyst cannot place or release holds, set retention, purge, or read the audit trail", async () => {
  const ctx = await apiAs("analyst");
  expect((await ctx.post("/api/v1/holds", { data: { sourceId, reason: "not allowed here" } })).status()).toBe(403);
  expect((await ctx.post("/api/v1/holds/00000000-0000-4000-8000-000000000000/release", { data: { reason: "not allowed" } })).status()).toBe(
    403,
  );
  expect((await ctx.put(`/api/v1/retention/policies/${sourceId}`, { data: { days: 5 } })).status()).toBe(403);
  expect((await ctx.post("/api/v1/retention/purge", { data: {} })).status()).toBe(403);
  expect((await ctx.get("/api/v1/audit")).status()).toBe(403);
  expect((await ctx.get("/api/v1/audit/export?format=csv")).status()).toBe(403);
  // Everyone may see what is held and why.
  expect((await ctx.get("/api/v1/holds")).status()).toBe(200);
  expect((await ctx.get("/api/v1/retention")).status()).toBe(200);
  await ctx.dispose();
});

test("an admin places a hold on a source range with a reason, sees it, and releases it", async ({ page }) => {
  const admin = await apiAs("admin");
  const short = await admin.post("/api/v1/holds", { data: { sourceId, reason: "no" } });
  expect(short.status()).toBe(422);
  await admin.dispose();

  await openAs(page, "admin");
  await page.goto("/retention");
  await expect(page.getByRole("heading", { name: "Retention per source" })).toBeVisible();
  await page.getByText("Place a hold on a source and time range").click();
  const form = page.getByRole("form", { name: "Place a legal hold on a source" });
  await form.getByLabel("Source").selectOption(sourceId);
  await form.getByLabel(/^From/).fill("2020-01-01T00:00");
  await form.getByLabel(/^To/).fill("2030-01-01T00:00");
  const reason = `E2E regulator request ${Date.now()}`;
  await form.getByLabel(/^Reason/).fill(reason);
  await form.getByRole("button", { name: "Place legal hold" }).click();
  const row = page.getByTestId("hold-row").filter({ hasText: reason });
  await expect(row).toContainText("Active");
  await expect(row).toContainText(E2E.admin.email);
  // The fixture's records all lie in the range: the count shown equals the source's raw records, counted here.
  const expected = await withDb(async (c) =>
    Number((await c.query(`SELECT count(*) FROM raw_record WHERE "sourceId" = $1`, [sourceId])).rows[0].count),
  );
  await expect(row.getByRole("cell").nth(4)).toHaveText(expected.toLocaleString("en"));
  await expectAccessible(page, "retention page");

  await row.getByRole("button", { name: /Release/ }).click();
  await row.getByLabel("Reason for release").fill("Request withdrawn by the regulator");
  await row.getByRole("button", { name: "Release hold" }).click();
  await expect(row).toContainText("Released");
  await expect(row).toContainText("Request withdrawn by the regulator");

  const logged = await withDb(
    async (c) =>
      (
        await c.query(
          `SELECT action, details->>'reason' AS reason, ip FROM audit_log WHERE action LIKE 'hold.%' AND details->'scope'->>'sourceId' = $1 ORDER BY id DESC LIMIT 2`,
          [sourceId],
        )
      ).rows,
  );
  expect(logged.map((r) => [r.action, r.reason])).toEqual([
    ["hold.released", "Request withdrawn by the regulator"],
    ["hold.placed", reason],
  ]);
});

test("a case hold keeps the session the case cites, and the case page shows it", async ({ page }) => {
  const analyst = await apiAs("analyst");
  const created = await analyst.post("/api/v1/cases", { data: { title: `Hold test ${Date.now()}` } });
  expect(created.status(), await created.text()).toBe(201);
  const caseId = (await created.json()).id as string;
  const added = await analyst.post(`/api/v1/cases/${caseId}/items`, { data: { itemType: "session", refId: sessionId } });
  expect(added.status(), await added.text()).toBe(201);
  expect((await analyst.post("/api/v1/holds", { data: { caseId, reason: "analysts cannot" } })).status()).toBe(403);
  await analyst.dispose();

  const admin = await apiAs("admin");
  const placed = await admin.post("/api/v1/holds", { data: { caseId, reason: "Litigation hold for this case" } });
  expect(placed.status(), await placed.text()).toBe(201);
  const holds = (await (await admin.get(`/api/v1/holds?caseId=${caseId}`)).json()).items as { active: boolean; heldRecords: number }[];
  const cited = await withDb(async (c) =>
    Number((await c.query(`SELECT count(DISTINCT "rawRecordId") FROM event WHERE "sessionId" = $1`, [sessionId])).rows[0].count),
  );
  expect(holds.map((h) => [h.active, h.heldRecords])).toEqual([[true, cited]]);
  await admin.dispose();

  // The analyst sees the hold on the case page (read-only: no release control).
  await openAs(page, "analyst");
  await page.goto(`/cases/${caseId}`);
  const panel = page.getByTestId("legal-hold-panel");
  await expect(panel).toContainText("Under legal hold");
  await expect(panel).toContainText("Litigation hold for this case");
  await expect(panel.getByRole("button", { name: /Release/ })).toHaveCount(0);
});

test("an auditor finds his own view of a session in the audit trail, filters it, and downloads CSV", async ({ page }) => {
  await openAs(page, "auditor");
  await page.goto(`/sessions/${sessionId}`);
  await expect(page.getByTestId("answers")).toBeVisible();

  await page.getByRole("link", { name: "Audit trail" }).click();
  await expect(page).toHaveURL(/\/audit$/);
  await page.getByLabel("Actor").fill(E2E.users.auditor.email);
  await page.getByLabel("Action").selectOption("view.session");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/action=view.session/);
  const table = page.getByTestId("audit-table");
  const first = table.locator("tbody tr").first();
  await expect(first).toContainText("view.session");
  await expect(first).toContainText(E2E.users.auditor.email);
  await expect(first.getByRole("link", { name: sessionId.slice(0, 13) })).toHaveAttribute("href", `/sessions/${sessionId}`);
  await expectAccessible(page, "audit trail");

  const download = page.waitForEvent("download");
  await page.getByTestId("audit-export-csv").click();
  const file = await download;
  const csv = fs
    .readFileSync(await file.path(), "utf8")
    .trim()
    .split("\n");
  expect(csv[0]).toBe("id,at,actorEmail,actorId,action,resourceType,resourceId,ip,userAgent,leafIndex,details");
  expect(csv.length).toBeGreaterThan(1);
  expect(csv.slice(1).every((l) => l.includes(",view.session,session,"))).toBe(true);
  expect(csv.some((l) => l.includes(sessionId))).toBe(true);

  // The export is itself in the trail, and every entry so far is a ledger leaf.
  await expect
    .poll(async () =>
      withDb(
        async (c) =>
          (
            await c.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'audit.exported' AND "actorEmail" = $1`, [
              E2E.users.auditor.email,
            ])
          ).rows[0].n,
      ),
    )
    .toBeGreaterThan(0);

  // Roles without audit.read get no nav item and a 403 page.
  const analyst = await apiAs("analyst");
  expect((await analyst.get("/audit")).status()).toBe(403);
  await analyst.dispose();
});
