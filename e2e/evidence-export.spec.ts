import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { E2E } from "./config";
import { apiAs, openAs, withDb } from "./helpers";

// The evidence package as an auditor receives it: an analyst cites a session in a new case, the auditor downloads
// the package from the case page, unzips it and runs the three commands its README gives; all pass. Then the
// package is tampered with, and the same commands fail. The export is in the case history, by the auditor.
const FIXTURE = "okta-system-log-page.json";
const TITLE = `E2E evidence export ${Date.now()}`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sessionproof-e2e-export-"));

test.describe.configure({ mode: "serial" });

let sessionId = "";
let caseId = "";
let pkg = "";
let commands: string[] = [];
// The signing key's fingerprint as the auditor reads it in Settings, out of band from the package.
let keyFromSettings = "";

const sh = (cmd: string, cwd: string) => {
  const r = spawnSync("sh", ["-c", cmd], { cwd, encoding: "utf8", env: { ...process.env, SESSIONPROOF_KEY: keyFromSettings } });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
};

test.afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test("setup: the analyst ingests an Okta System Log export and correlates it", async () => {
  const ctx = await apiAs("analyst");
  const up = await ctx.post("/api/v1/ingest/upload", {
    headers: { "x-file-name": FIXTURE },
    data: fs.readFileSync(`lib/sources/okta/fixtures/${FIXTURE}`),
  });
  expect(up.status(), await up.text()).toBe(201);
  const run = await ctx.post("/api/v1/correlation", { data: {} });
  expect(run.status(), await run.text()).toBe(200);
  const list = await (await ctx.get("/api/v1/sessions?platform=okta&sort=events&dir=desc&limit=50")).json();
  expect(list.total).toBeGreaterThan(0);
  sessionId = [...list.items].sort((a: { eventCount: number }, b: { eventCount: number }) => b.eventCount - a.eventCount)[0].id;
  await ctx.dispose();
});

test("the analyst cites the session in a new case", async ({ page }) => {
  await openAs(page, "analyst");
  await page.goto(`/sessions/${sessionId}`);
  await page.getByRole("button", { name: "Add to case" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Add this session to a case" });
  await dialog.getByLabel("New case", { exact: true }).check();
  await dialog.getByLabel("New case title").fill(TITLE);
  await dialog.getByLabel("Annotation").fill("Sign-in to investigate");
  await dialog.getByRole("button", { name: "Add to case" }).click();
  await dialog.getByRole("link", { name: new RegExp(TITLE) }).click();
  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
  caseId = page.url().split("/").pop()!;
});

test("the auditor downloads the package from the case page; the README's three commands pass", async ({ page }) => {
  await openAs(page, "auditor");
  await page.goto("/settings");
  keyFromSettings = (await page.getByTestId("key-fingerprint").textContent())?.trim() ?? "";
  expect(keyFromSettings).toMatch(/^[0-9a-f]{64}$/);
  await page.goto(`/cases/${caseId}`);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download evidence package" }).click(),
  ]);
  const number = await withDb(
    async (c) => (await c.query<{ number: number }>(`SELECT number FROM "case" WHERE id = $1`, [caseId])).rows[0].number,
  );
  expect(download.suggestedFilename()).toMatch(new RegExp(`^case-${number}-evidence-\\d{4}-\\d{2}-\\d{2}\\.zip$`));
  const zip = path.join(tmp, download.suggestedFilename());
  await download.saveAs(zip);
  const unzip = sh(`unzip -q ${JSON.stringify(zip)} -d out`, tmp);
  expect(unzip.code, unzip.out).toBe(0);
  pkg = path.join(tmp, "out", download.suggestedFilename().replace(/\.zip$/, ""));

  // The commands exactly as the README gives them (its ```sh block).
  const readme = fs.readFileSync(path.join(pkg, "README.md"), "utf8");
  const block = /```sh\n([\s\S]*?)```/.exec(readme);
  commands = (block?.[1] ?? "").trim().split("\n");
  expect(commands).toHaveLength(3);
  expect(commands[0]).toBe("sha256sum --strict -c SHA256SUMS");
  expect(commands[1]).toMatch(/^openssl pkeyutl -verify .*-rawin -in checkpoint\.txt -sigfile checkpoint\.sig$/);
  expect(commands[2]).toBe('node verify.mjs --expect-key "$SESSIONPROOF_KEY"');
  for (const cmd of commands) {
    const r = sh(cmd, pkg);
    expect(r.code, `${cmd}\n${r.out}`).toBe(0);
  }
  expect(sh(commands[2], pkg).out).toContain(`VERIFIED: every check passed, signed by the expected key ${keyFromSettings}`);

  // The package holds the session's events, and the export is in the case history and the audit trail.
  const expected = await withDb(async (c) =>
    Number((await c.query(`SELECT count(*) FROM event WHERE "sessionId" = $1`, [sessionId])).rows[0].count),
  );
  const events = fs.readFileSync(path.join(pkg, "events.ndjson"), "utf8").trim().split("\n");
  expect(events).toHaveLength(expected);
  const rows = await withDb(
    async (c) =>
      (
        await c.query<{ action: string; email: string; after: { status: string; events: number } }>(
          `SELECT a.action, u.email, a.after FROM case_activity a JOIN app_user u ON u.id = a."actorId" WHERE a."caseId" = $1 ORDER BY a.id`,
          [caseId],
        )
      ).rows,
  );
  const exported = rows.filter((r) => r.action === "exported");
  expect(exported).toHaveLength(1);
  expect(exported[0]).toMatchObject({ email: E2E.users.auditor.email, after: { status: "completed", events: expected } });
  const audit = await withDb(async (c) =>
    Number(
      (
        await c.query(`SELECT count(*) FROM audit_log WHERE action = 'case.exported' AND "resourceId" = $1 AND "actorEmail" = $2`, [
          caseId,
          E2E.users.auditor.email,
        ])
      ).rows[0].count,
    ),
  );
  expect(audit).toBe(1);

  // The checkpoint signed for the export covers the audit trail up to then: every entry committed before it (the
  // case, its item, the views; with a 2 s margin for transactions still open at that moment) is in the ledger
  // under the package's tree size.
  const checkpoint = JSON.parse(fs.readFileSync(path.join(pkg, "checkpoint.json"), "utf8")) as { treeSize: number; createdAt: string };
  const before = await withDb(
    async (c) =>
      (
        await c.query<{ action: string; leaf: string | null }>(
          `SELECT a.action, r."leafIndex"::text AS leaf FROM audit_log a LEFT JOIN raw_record r ON r.id = a."rawRecordId"
          WHERE a.at < $1::timestamptz - interval '2 seconds' ORDER BY a.id`,
          [checkpoint.createdAt],
        )
      ).rows,
  );
  expect(before.length).toBeGreaterThan(0);
  for (const r of before) expect(r.leaf !== null && Number(r.leaf) < checkpoint.treeSize, `${r.action} at leaf ${r.leaf}`).toBe(true);
});

test("after tampering, the same commands fail and name what changed", () => {
  // One byte of an event changed: sha256sum and verify.mjs fail, naming events.ndjson.
  const copy1 = path.join(tmp, "tampered-events");
  fs.cpSync(pkg, copy1, { recursive: true });
  const ev = path.join(copy1, "events.ndjson");
  const bytes = fs.readFileSync(ev);
  bytes[Math.floor(bytes.length / 2)] ^= 0x01;
  fs.writeFileSync(ev, bytes);
  const sums = sh(commands[0], copy1);
  expect(sums.code).not.toBe(0);
  expect(sums.out).toContain("events.ndjson: FAILED");
  const v1 = sh(commands[2], copy1);
  expect(v1.code).toBe(1);
  expect(v1.out).toMatch(/FAIL {2}files +events\.ndjson: SHA-256/);

  // The signed checkpoint changed (a larger tree size claimed): openssl and verify.mjs fail.
  const copy2 = path.join(tmp, "tampered-checkpoint");
  fs.cpSync(pkg, copy2, { recursive: true });
  const cp = path.join(copy2, "checkpoint.txt");
  const lines = fs.readFileSync(cp, "utf8").split("\n");
  lines[1] = String(Number(lines[1]) + 1);
  fs.writeFileSync(cp, lines.join("\n"));
  const ssl = sh(commands[1], copy2);
  expect(ssl.code).not.toBe(0);
  expect(ssl.out).toContain("Signature Verification Failure");
  const v2 = sh(commands[2], copy2);
  expect(v2.code).toBe(1);
  expect(v2.out).toContain("checkpoint.sig: the signature of checkpoint.txt does not verify");

  // A file removed: verify.mjs names it.
  const copy3 = path.join(tmp, "dropped");
  fs.cpSync(pkg, copy3, { recursive: true });
  fs.rmSync(path.join(copy3, "raw", "records.bin"));
  const v3 = sh(commands[2], copy3);
  expect(v3.code).toBe(1);
  expect(v3.out).toContain("raw/records.bin: missing");
});

test("the export API refuses roles without cases.export and unknown cases", async () => {
  const compliance = await apiAs("compliance");
  expect((await compliance.get(`/api/v1/cases/${caseId}/export`)).status()).toBe(403);
  await compliance.dispose();
  const auditor = await apiAs("auditor");
  const missing = await auditor.get("/api/v1/cases/00000000-0000-4000-8000-000000000000/export");
  expect(missing.status()).toBe(404);
  expect((await missing.json()).error.code).toBe("NOT_FOUND");
  await auditor.dispose();
});
