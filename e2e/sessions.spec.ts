import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { generateDemo } from "../lib/demo/generate-demo";
import { apiAs, expectAccessible, openAs, withDb } from "./helpers";

// Sessions, Identities and Lineage as an analyst works them: ingest real vendor exports through the API, run
// the correlation, find a session with the filters, read its four answers, open an event and check its raw record
// against the ledger's copy, follow the credential into the lineage graph. Then the compliance and auditor roles
// read the same pages but are refused the correlation run.
const FIXTURES: [string, string][] = [
  ["aws-cloudtrail", "111122223333_CloudTrail_eu-west-1_20250304T1315Z_AbCdEfGh12345678.json"],
  ["okta", "okta-system-log-page.json"],
  ["github", "audit-log-stream.jsonl"],
  ["entra", "graph-signins-page.json"],
  ["entra", "m365-unified-audit-log.json"],
];

test.describe.configure({ mode: "serial" });

test("an analyst ingests exports, correlates, and finds the sessions", async () => {
  const ctx = await apiAs("analyst");
  for (const [platform, file] of FIXTURES) {
    const res = await ctx.post("/api/v1/ingest/upload", {
      headers: { "x-file-name": file },
      data: fs.readFileSync(`lib/sources/${platform}/fixtures/${file}`),
    });
    expect(res.status(), await res.text()).toBe(201);
    expect((await res.json()).quarantined).toBe(0);
  }
  const run = await ctx.post("/api/v1/correlation", { data: {} });
  expect(run.status(), await run.text()).toBe(200);
  const summary = await run.json();
  expect(summary.sessions).toBeGreaterThan(10);
  const stored = await withDb(async (c) => Number((await c.query(`SELECT count(*) FROM session`)).rows[0].count));
  expect(stored).toBe(summary.sessions);

  // The REST API: filters, totals, field errors.
  const list = await (await ctx.get("/api/v1/sessions?q=ci-deployer")).json();
  expect(list.total).toBe(1);
  expect(list.items[0]).toMatchObject({ platform: "aws-cloudtrail", identity: { name: "alice-admin" }, initiator: { name: "alice" } });
  const bad = await ctx.get("/api/v1/sessions?kind=robot&limit=0");
  expect(bad.status()).toBe(422);
  expect(Object.keys((await bad.json()).error.fields).sort()).toEqual(["kind", "limit"]);
  expect((await ctx.get("/api/v1/lineage")).status()).toBe(422);
  expect((await ctx.get("/api/v1/sessions/00000000-0000-4000-8000-000000000000")).status()).toBe(404);
  const detail = await (await ctx.get(`/api/v1/sessions/${list.items[0].id}`)).json();
  expect(detail.credentialChain.map((c: { externalId: string }) => c.externalId)).toEqual([
    "ASIAQNOADMINROLE0001",
    "ASIAQNOALICEMFA00001",
    "AKIAIOSFODNN7EXAMPLE",
  ]);
  await ctx.dispose();
});

async function openAdminSession(page: Page) {
  await page.goto("/sessions");
  await expect(page.getByTestId("session-row").first()).toBeVisible();
  await page.getByLabel("Search").fill("ci-deployer");
  await expect(page).toHaveURL(/q=ci-deployer/);
  await expect(page.getByTestId("sessions-count")).toHaveText("1 session matches these filters");
  await page.getByTestId("session-row").getByRole("link").click();
  await expect(page).toHaveURL(/\/sessions\/[0-9a-f-]{36}$/);
}

test("the analyst filters the list, opens a session, reads the four answers and an event's raw record", async ({ page }) => {
  await openAs(page, "analyst");
  await expect(page.getByRole("heading", { level: 1, name: "Sessions" })).toBeVisible();
  await expect(page.getByTestId("session-row").first()).toBeVisible();
  await expectAccessible(page, "/sessions");
  // One time convention: UTC on screen, the viewer's local time on hover (the browser runs in Europe/Berlin here).
  const started = page.getByTestId("session-row").first().locator("time").first();
  await expect(started).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
  await expect(started).toHaveAttribute("title", /^Your local time: .* (CET|CEST|GMT\+[12])$/);

  // Filters live in the URL and narrow the list.
  await page.getByLabel("Platform").selectOption("aws-cloudtrail");
  await expect(page).toHaveURL(/platform=aws-cloudtrail/);
  const rows = page.getByTestId("session-row");
  await expect(rows.first()).toContainText("AWS CloudTrail");
  const awsCount = await withDb(async (c) =>
    Number((await c.query(`SELECT count(*) FROM session WHERE platform = 'aws-cloudtrail'`)).rows[0].count),
  );
  await expect(page.getByTestId("sessions-count")).toHaveText(`${awsCount} sessions match these filters`);
  for (const text of await rows.allTextContents()) expect(text).toContain("AWS CloudTrail");
  await page.getByLabel("Identity kind").selectOption("workload");
  await expect(page).toHaveURL(/kind=workload/);
  // Workload role sessions: the EC2 instance profile's, and the other non-Identity-Center role sessions of the trail.
  const workloads = await withDb(async (c) =>
    Number(
      (
        await c.query(
          `SELECT count(*) FROM session s JOIN identity i ON i.id = s."identityId" WHERE s.platform = 'aws-cloudtrail' AND i.kind = 'workload'`,
        )
      ).rows[0].count,
    ),
  );
  expect(workloads).toBeGreaterThanOrEqual(1);
  await expect(rows).toHaveCount(workloads);
  await expect(rows.filter({ hasText: "i-0abc123def4567890" })).toHaveCount(1);
  // The view survives a reload: it is the URL.
  await page.reload();
  await expect(page.getByLabel("Identity kind")).toHaveValue("workload");
  await expect(rows).toHaveCount(workloads);
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(/\/sessions$/);
  // Typing, then picking a platform before the search applies: both stay (the platform used to be lost).
  await page.getByLabel("Search").fill("ci-deployer");
  await page.getByLabel("Platform").selectOption("aws-cloudtrail");
  await page.waitForTimeout(1_000); // past the search box's pause
  await expect(page).toHaveURL(/platform=aws-cloudtrail/);
  await expect(page).toHaveURL(/q=ci-deployer/);
  await expect(page.getByLabel("Platform")).toHaveValue("aws-cloudtrail");
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(/\/sessions$/);

  await openAdminSession(page);
  await expect(page.getByRole("heading", { level: 1, name: "AWS CloudTrail session" })).toBeVisible();
  await expect(page.getByTestId("answer-initiator")).toContainText("alice (");
  await expect(page.getByTestId("answer-initiator")).toContainText("initiated this session");
  await expect(page.getByTestId("answer-identity")).toContainText("alice-admin");
  await expect(page.getByTestId("answer-identity")).toContainText("ASIAQNOADMINROLE0001");
  await expect(page.getByTestId("answer-actions")).toContainText("AttachUserPolicy, CreateAccessKey, AssumeRole");
  await expect(page.getByTestId("answer-objects")).toContainText("ci-deployer");
  await expect(page.getByTestId("link-row")).toContainText("credential_minted_in_session");
  await expect(page.getByTestId("lane-aws-cloudtrail")).toBeVisible();
  await expectAccessible(page, "/sessions/[id]");

  // Keyboard: the timeline's markers are reachable and the arrow keys walk them in time order.
  const lane = page.getByTestId("lane-aws-cloudtrail");
  await lane.getByRole("button", { name: /^AssumeRole at .*linked session/ }).focus();
  await page.keyboard.press("ArrowRight");
  await expect(page.locator(":focus")).toHaveAttribute("aria-label", /^AttachUserPolicy at /);
  await page.keyboard.press("ArrowRight");
  await expect(page.locator(":focus")).toHaveAttribute("aria-label", /^CreateAccessKey at /);
  await page.keyboard.press("Enter");
  const drawer = page.getByTestId("event-drawer");
  await expect(drawer.getByRole("heading", { name: "CreateAccessKey" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(drawer).toHaveCount(0);

  // The event panel: the raw record exactly as the ledger holds it, its file and position, and the proof status.
  await page.getByTestId("event-row").getByRole("button", { name: "AttachUserPolicy" }).click();
  await expect(drawer).toBeVisible();
  const rawText = await drawer.getByTestId("raw-record").textContent();
  const stored = await withDb(
    async (c) =>
      (
        await c.query(
          `SELECT convert_from(r.payload, 'UTF8') AS payload, r."fileName", r.position::int AS position
           FROM event e JOIN raw_record r ON r.id = e."rawRecordId" WHERE e.data->>'event_name' = 'AttachUserPolicy'`,
        )
      ).rows[0],
  );
  expect(rawText).toBe(stored.payload);
  await expect(drawer).toContainText(`${stored.fileName} #${stored.position}`);
  await expect(drawer.getByTestId("proof-status")).toContainText(/Included in checkpoint \d+/);
  await expect(drawer.getByTestId("normalized-event")).toContainText('"event_name": "AttachUserPolicy"');
  await expectAccessible(page, "/sessions/[id] with the event panel");
  // "Add event to case" opens inside the drawer, and its buttons take a real mouse click (it used to open off the
  // drawer's left edge, out of reach).
  await drawer.getByRole("button", { name: "Add event to case" }).click();
  const dialog = drawer.getByRole("dialog");
  await expect(dialog).toBeVisible();
  const [d, b] = [await dialog.boundingBox(), await drawer.boundingBox()];
  expect(d!.x).toBeGreaterThanOrEqual(b!.x);
  expect(d!.x + d!.width).toBeLessThanOrEqual(b!.x + b!.width + 1);
  const cancel = dialog.getByRole("button", { name: "Close", exact: true });
  const c = (await cancel.boundingBox())!;
  await page.mouse.click(c.x + c.width / 2, c.y + c.height / 2);
  await expect(dialog).toHaveCount(0);
  await drawer.getByRole("button", { name: "Close" }).click();

  // Into the lineage graph of the session's credential.
  await page.getByRole("link", { name: "Open the lineage graph of this credential" }).click();
  await expect(page).toHaveURL(/\/lineage\?credentialId=/);
  await expect(page.getByTestId("graph-summary")).toHaveText(/^\d+ nodes, \d+ edges · laid out in/, { timeout: 20_000 });
  await expect(page.getByTestId("lineage-graph").locator("canvas").first()).toBeVisible();
  await page.getByText("Nodes and edges as a table").click();
  await expect(page.getByTestId("edge-row").filter({ hasText: "issued_by:GetSessionToken" })).toHaveCount(1);
  await expect(page.getByTestId("edge-row").filter({ hasText: "credential_minted_in_session" })).not.toHaveCount(0);
  await expectAccessible(page, "/lineage with a graph");

  // The search box starts a graph from an identity.
  await page.getByLabel("Search").fill("Maria");
  await page.getByRole("button", { name: /^Maria Lopez — identity/ }).click();
  await expect(page).toHaveURL(/identityId=/);
  await expect(page.getByRole("heading", { name: "Lineage of Maria Lopez" })).toBeVisible();
});

test("identities: the list and one identity with its merged accounts, sessions and credentials", async ({ page }) => {
  await openAs(page, "analyst");
  await page.goto("/identities?q=Maria");
  await expect(page.getByTestId("identity-row")).toHaveCount(1);
  await expect(page.getByTestId("identity-row")).toContainText("AWS CloudTrail, Entra ID, GitHub, Microsoft 365, Okta");
  await expectAccessible(page, "/identities");
  await page.getByRole("link", { name: "Maria Lopez" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Maria Lopez" })).toBeVisible();
  await expect(page.getByTestId("alias-row").first()).toContainText("first_seen");
  await expect(page.getByTestId("alias-row").filter({ hasText: "same_email" }).first()).toBeVisible();
  await expectAccessible(page, "/identities/[id]");
  await page.getByRole("link", { name: "Sessions", exact: true }).last().click();
  await expect(page).toHaveURL(/identityId=/);
  await expect(page.getByText("Identity: Maria Lopez")).toBeVisible();
});

for (const role of ["compliance", "auditor"] as const) {
  test(`the ${role} role reads sessions, identities and lineage but cannot run the correlation`, async ({ page }) => {
    await openAs(page, role);
    await expect(page.getByTestId("session-row").first()).toBeVisible();
    await expect(page.getByRole("button", { name: /correlation|Correlate/ })).toHaveCount(0);
    await openAdminSession(page);
    await expect(page.getByTestId("answer-actions")).toContainText("AttachUserPolicy");
    await page.getByTestId("event-row").first().getByRole("button").click();
    await expect(page.getByTestId("raw-record")).toBeVisible();
    await page.goto("/identities");
    await expect(page.getByTestId("identity-row").first()).toBeVisible();
    const alice = await withDb(async (c) => (await c.query(`SELECT id FROM identity WHERE "displayName" = 'alice'`)).rows[0].id as string);
    await page.goto(`/lineage?identityId=${alice}`);
    await expect(page.getByTestId("graph-summary")).toHaveText(/^\d+ nodes/, { timeout: 20_000 });
    const res = await page.request.post("/api/v1/correlation", { data: {} });
    expect(res.status()).toBe(403);
  });
}

test("the stolen integration token reads as its headline: rows, object, new network, client and the gap since its last call", async ({
  page,
}) => {
  // The demo's Salesforce API logs (story 2: a connected app's token used from a new network for bulk reads),
  // generated as the demo load writes them and uploaded through the API.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sp-e2e-headline-"));
  const demo = generateDemo({ seed: 1, scale: 1, outDir: dir });
  const gt = JSON.parse(fs.readFileSync(demo.groundTruth, "utf8")) as { files: { path: string; platform: string }[] };
  const ctx = await apiAs("analyst");
  for (const f of gt.files.filter((x) => x.platform === "salesforce" && x.path.endsWith("_API.csv"))) {
    const res = await ctx.post("/api/v1/ingest/upload", {
      headers: { "x-file-name": path.basename(f.path) },
      data: fs.readFileSync(path.join(dir, f.path)),
    });
    expect(res.status(), await res.text()).toBe(201);
  }
  expect((await ctx.post("/api/v1/correlation", { data: {} })).status()).toBe(200);
  await ctx.dispose();

  // What the headline must say, read from the stored events of the session with the most rows.
  const e = await withDb(async (c) => {
    const r = await c.query<{ sessionId: string; rows: string; n: number; entity: string; ip: string; client: string }>(
      `SELECT "sessionId", sum((data->'extra'->>'ROWS_PROCESSED')::numeric) FILTER (WHERE activity = 'export')::text AS rows,
              count(*) FILTER (WHERE activity = 'export')::int AS n, max(data->'resources'->0->>'name') AS entity,
              mode() WITHIN GROUP (ORDER BY "srcIp") AS ip, max(data->'extra'->>'CLIENT_NAME') AS client
         FROM event WHERE platform = 'salesforce' AND json_typeof(data->'extra'->'ROWS_PROCESSED') = 'number' AND "sessionId" IS NOT NULL
        GROUP BY 1 ORDER BY sum((data->'extra'->>'ROWS_PROCESSED')::numeric) DESC LIMIT 1`,
    );
    const ipEvents = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM event WHERE "sessionId" = $1 AND "srcIp" = $2`, [
      r.rows[0].sessionId,
      r.rows[0].ip,
    ]);
    return { ...r.rows[0], ipEvents: ipEvents.rows[0].n };
  });
  const expected = `exported ${Math.round(Number(e.rows) / 1000)}k ${e.entity} rows in ${e.n} queries from new IP ${e.ip}`;

  await openAs(page, "analyst");
  await page.goto("/sessions?platform=salesforce");
  const row = page.getByTestId("session-row").filter({ hasText: expected });
  await expect(row).toHaveCount(1);
  await row.getByRole("link").click();
  await expect(page).toHaveURL(`/sessions/${e.sessionId}`);
  const headline = page.getByTestId("session-headline");
  await expect(headline).toContainText(`${e.client} (as `);
  await expect(headline).toContainText(expected);
  await expect(headline).toHaveText(/ with python-requests, \d+ h after its last call from [\d.]+\. \d+ privileged actions?: API/);
  // The event table shows actor, source IP, client and target, and filters within the session.
  await expect(page.getByRole("columnheader", { name: "Source IP" })).toBeVisible();
  await page.getByTestId("event-filter").fill(e.ip);
  await expect(page.getByTestId("event-row")).toHaveCount(e.ipEvents);
  for (const text of await page.getByTestId("event-row").allTextContents()) expect(text).toContain(e.ip);
  await expectAccessible(page, "/sessions/[id]");
});
