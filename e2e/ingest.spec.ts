import { expect, request, test } from "@playwright/test";
import { E2E } from "./config";
import { apiAs, expectAccessible, openAs, withDb } from "./helpers";
import { okta, github } from "../scripts/bench/synthetic";

// Ingest as an analyst would: drop several files on the Ingest page, watch each one's progress and result,
// review the quarantined records, download them, re-process them. Then push delivery with a source API token
// created by an administrator in Settings, and its revocation.
test("an analyst uploads several files and sees read / stored / duplicate / quarantined per batch", async ({ page }) => {
  await openAs(page, "analyst");
  await page.goto("/ingest");
  // Specs that run earlier (audit, cases, coverage, ...) may already have ingested files: the page shows either its
  // empty state or the batch table.
  await expect(page.getByText("Nothing ingested yet.").or(page.getByRole("table")).first()).toBeVisible();
  await expectAccessible(page, "/ingest empty");

  const oktaFile = Buffer.from(JSON.stringify(Array.from({ length: 40 }, (_, i) => okta(9000 + i))));
  const ghLines = Array.from({ length: 10 }, (_, i) => JSON.stringify(github(9000 + i)));
  ghLines.splice(3, 0, '{"action": "repo.create", "truncated');
  const ghFile = Buffer.from(ghLines.join("\n") + "\n");
  await page.getByTestId("file-input").setInputFiles([
    { name: "okta-e2e.json", mimeType: "application/json", buffer: oktaFile },
    { name: "github-e2e.ndjson", mimeType: "application/x-ndjson", buffer: ghFile },
  ]);
  const okRow = page.getByTestId("upload-okta-e2e.json");
  // The uploads' progress shows right under the drop zone, in view without scrolling (at 1280 x 720).
  await expect(okRow.getByRole("progressbar")).toBeInViewport();
  await expect(page.getByTestId("upload-github-e2e.ndjson").getByRole("progressbar")).toBeInViewport();
  await expect(okRow.getByText("Done")).toBeVisible({ timeout: 30_000 });
  await expect(okRow).toContainText("Okta");
  await expect(okRow).toContainText("read 40");
  await expect(okRow).toContainText("stored 40");
  const ghRow = page.getByTestId("upload-github-e2e.ndjson");
  await expect(ghRow.getByText("Done")).toBeVisible({ timeout: 30_000 });
  await expect(ghRow).toContainText("read 11");
  await expect(ghRow).toContainText("stored 10");
  await expect(ghRow).toContainText("quarantined 1");

  // The batches table shows both, and the database agrees.
  await expect(page.getByTestId("batch-okta-e2e.json")).toBeVisible();
  const counts = await withDb(
    async (c) =>
      (
        await c.query(
          `SELECT b."fileName", b."readCount", b."storedCount", b."quarantinedCount",
                (SELECT count(*)::int FROM raw_record r WHERE r."batchId" = b.id) AS raws,
                (SELECT count(*)::int FROM event e JOIN raw_record r ON r.id = e."rawRecordId" WHERE r."batchId" = b.id) AS events
         FROM ingest_batch b WHERE b."fileName" IN ('okta-e2e.json', 'github-e2e.ndjson') ORDER BY b."fileName"`,
        )
      ).rows,
  );
  expect(counts).toEqual([
    { fileName: "github-e2e.ndjson", readCount: 11, storedCount: 10, quarantinedCount: 1, raws: 10, events: 10 },
    { fileName: "okta-e2e.json", readCount: 40, storedCount: 40, quarantinedCount: 0, raws: 40, events: 40 },
  ]);

  // Review the quarantined record: position and reason, downloadable, re-processable.
  await page
    .getByTestId("batch-github-e2e.ndjson")
    .getByRole("button", { name: /review/ })
    .click();
  await expect(page.getByText("github-e2e.ndjson #3")).toBeVisible();
  // The review link takes the person to what it opened: the panel's heading is in view and has the focus.
  const quarantineHeading = page.getByRole("heading", { name: "Quarantined records" });
  await expect(quarantineHeading).toBeFocused();
  await expect(quarantineHeading).toBeInViewport();
  await expectAccessible(page, "/ingest with results");
  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download NDJSON" }).click();
  const download = await downloadPromise;
  const text = await (await download.createReadStream()).toArray();
  const line = JSON.parse(Buffer.concat(text).toString("utf8").trim());
  expect(line).toMatchObject({ file: "github-e2e.ndjson", position: 3, raw: '{"action": "repo.create", "truncated' });
  await page.getByRole("button", { name: "Re-process with current parsers" }).click();
  await expect(page.getByText("Re-processed 1: 0 now stored, 1 still quarantined.")).toBeVisible();

  // The same file again is all duplicates.
  await page.getByTestId("file-input").setInputFiles([{ name: "okta-e2e.json", mimeType: "application/json", buffer: oktaFile }]);
  await expect(page.getByTestId("upload-okta-e2e.json").first()).toContainText("duplicate 40");

  // Which records were duplicates, and of what: the newest okta-e2e.json batch lists its 40, each pointing at the
  // first upload's record at the same position.
  await page
    .getByTestId("batch-okta-e2e.json")
    .first()
    .getByRole("button", { name: /40 — show/ })
    .click();
  const panel = page.getByTestId("duplicates-panel");
  await expect(panel).toBeVisible();
  await expect(panel.getByTestId("duplicate-0")).toContainText("okta-e2e.json");
  await expect(panel.locator("tbody tr")).toHaveCount(40);
  await expectAccessible(page, "/ingest duplicates");
});

// Regression: the request proxy used to buffer and cut bodies at 10 MB, so a bigger upload lost its tail.
test("an upload larger than 10 MB reaches the pipeline whole", async () => {
  const n = 9_000;
  const lines = Array.from({ length: n }, (_, i) => JSON.stringify(okta(500_000 + i)));
  const body = Buffer.from(lines.join("\n") + "\n");
  expect(body.length).toBeGreaterThan(11 * 1024 * 1024);
  const ctx = await apiAs("analyst");
  const res = await ctx.post("/api/v1/ingest/upload", {
    headers: { "x-file-name": "okta-large-e2e.ndjson" },
    data: body,
    timeout: 120_000,
  });
  expect(res.status(), await res.text()).toBe(201);
  expect(await res.json()).toMatchObject({ platform: "okta", read: n, stored: n, quarantined: 0 });
  await ctx.dispose();
});

test("an unknown format is refused in two lines and leaves a failed batch with the supported formats", async ({ page }) => {
  const ctx = await apiAs("analyst");
  const res = await ctx.post("/api/v1/ingest/upload", { headers: { "x-file-name": "notes.txt" }, data: Buffer.from("just some text\n") });
  expect(res.status()).toBe(422);
  const message = (await res.json()).error.message as string;
  expect(message).toMatch(/^Could not recognise the format of notes\.txt: it is not JSON, NDJSON or CSV/);
  expect(message.split("\n")).toHaveLength(2);
  await ctx.dispose();
  await openAs(page, "analyst");
  await page.goto("/ingest");
  const row = page.getByTestId("batch-notes.txt").first();
  await expect(row).toContainText("Could not recognise the format of notes.txt");
  await expect(row).toContainText("failed");
  await row.getByText("Closest formats and the supported ones").click();
  await expect(row).toContainText("Supported: Okta System Log [okta]");
});

test("push delivery with a per-source API token: shown once, scoped, revocable", async ({ page }) => {
  await openAs(page, "admin");
  await page.goto("/settings");
  await expect(page.getByTestId("key-fingerprint")).toHaveText(/^[0-9a-f]{64}$/);
  const tokens = page.getByRole("region", { name: "Push API tokens" });
  await tokens.getByLabel("Name", { exact: true }).fill("okta-streaming");
  await tokens.getByLabel("Platform").selectOption("okta");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent())!.trim();
  expect(token).toMatch(/^sp_push_[0-9a-f]{8}_/);
  await expectAccessible(page, "/settings with a new token");
  const stored = await withDb(
    async (c) => (await c.query(`SELECT "tokenHash", prefix FROM api_token WHERE name = 'okta-streaming'`)).rows[0],
  );
  expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
  expect(stored.tokenHash).not.toContain(token);
  expect(token.startsWith(stored.prefix)).toBe(true);

  const anon = await request.newContext({ baseURL: E2E.baseUrl });
  const body = Buffer.from(JSON.stringify([okta(70001), okta(70002)]));
  const ok = await anon.post("/api/v1/ingest/okta", {
    headers: { authorization: `Bearer ${token}`, "x-file-name": "pushed.json" },
    data: body,
  });
  expect(ok.status(), await ok.text()).toBe(201);
  expect(await ok.json()).toMatchObject({ platform: "okta", stored: 2, read: 2 });
  const wrongPlatform = await anon.post("/api/v1/ingest/github", { headers: { authorization: `Bearer ${token}` }, data: body });
  expect(wrongPlatform.status()).toBe(403);
  const noToken = await anon.post("/api/v1/ingest/okta", { data: body });
  expect(noToken.status()).toBe(401);

  page.once("dialog", (d) => d.accept());
  await page
    .getByTestId("token-okta-streaming")
    .getByRole("button", { name: /Revoke/ })
    .click();
  await expect(page.getByTestId("token-okta-streaming").getByText("Revoked")).toBeVisible();
  const revoked = await anon.post("/api/v1/ingest/okta", { headers: { authorization: `Bearer ${token}` }, data: body });
  expect(revoked.status()).toBe(401);
  expect((await revoked.json()).error.message).toMatch(/revoked/);
  await anon.dispose();
});

test("the ledger public key is served publicly", async () => {
  const anon = await request.newContext({ baseURL: E2E.baseUrl });
  const res = await anon.get("/api/v1/ledger/public-key");
  expect(res.status()).toBe(200);
  const key = await res.json();
  expect(key.publicKeyPem).toContain("BEGIN PUBLIC KEY");
  expect(key.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  expect(key.keyId).toBe(key.fingerprint.slice(0, 16));
  expect(key.keys.at(-1).fingerprint).toBe(key.fingerprint);
  await anon.dispose();
});
