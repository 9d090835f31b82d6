import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { E2E } from "./config";
import { apiAs, expectAccessible, openAs, withDb } from "./helpers";

// Governance checks as compliance and audit read them: an analyst ingests a CloudTrail export, a PAM grant feed
// and ServiceNow change requests, and correlates; the checks are rebuilt (runGovernanceChecks, as the correlation
// run does); then the compliance officer and the auditor each find the action made 17 minutes after its JIT grant
// expired and the one without a ticket, filter the table through the URL, and the page passes axe.

const RUN = Date.now().toString(36);
const T = Date.parse("2026-10-14T10:00:00Z");
const at = (min: number) => new Date(T + min * 60_000).toISOString().replace(".000Z", "Z");
const email = (who: string) => `${who}.${RUN}@gov-e2e.example`;

function trail(who: string, min: number) {
  const arn = `arn:aws:sts::444455556666:assumed-role/AWSReservedSSO_Ops_1a2b3c4d5e6f7a8b/${email(who)}`;
  return {
    eventVersion: "1.09",
    userIdentity: {
      type: "AssumedRole",
      principalId: `AROAE2E:${email(who)}`,
      arn,
      accountId: "444455556666",
      accessKeyId: `ASIA${(who + RUN).toUpperCase().padEnd(16, "Q").slice(0, 16)}`,
      sessionContext: {
        sessionIssuer: {
          type: "Role",
          principalId: "AROAE2E",
          // IAM Identity Center's reserved role: it names the session after the signed-in user (a proven identity).
          arn: "arn:aws:iam::444455556666:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Ops_1a2b3c4d5e6f7a8b",
          accountId: "444455556666",
          userName: "AWSReservedSSO_Ops_1a2b3c4d5e6f7a8b",
        },
        attributes: { creationDate: at(-5), mfaAuthenticated: "true" },
      },
    },
    eventTime: at(min),
    eventSource: "iam.amazonaws.com",
    eventName: "AttachRolePolicy",
    awsRegion: "eu-west-1",
    sourceIPAddress: "203.0.113.77",
    userAgent: "aws-cli/2.22.4",
    requestParameters: { roleName: "deployer", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" },
    responseElements: null,
    requestID: `req-${RUN}-${who}`,
    eventID: `evt-${RUN}-${who}`,
    readOnly: false,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: "444455556666",
    eventCategory: "Management",
  };
}

const FILES: { name: string; body: unknown }[] = [
  {
    name: `444455556666_CloudTrail_eu-west-1_20261014T1000Z_${RUN.padEnd(16, "0").slice(0, 16)}.json`,
    body: { Records: [trail("kim", 30), trail("lou", 77), trail("max", 30)] },
  },
  {
    name: `sessionproof-grants-${RUN}.json`,
    body: ["kim", "lou", "max"].map((who) => ({
      grant_id: `gr-${RUN}-${who}`,
      principal: email(who),
      principal_type: "human",
      privilege: "IAMFullAccess",
      platform: "aws:444455556666",
      granted_at: at(0),
      expires_at: at(60),
      approved_by: email("lead"),
      ticket: who === "max" ? null : `CHG${who === "kim" ? "0077001" : "0077002"}`,
    })),
  },
  {
    name: `change_request-${RUN}.json`,
    body: {
      result: ["kim", "lou"].map((who, i) => ({
        sys_id: `${RUN}${i}`
          .replace(/[^0-9a-f]/g, "a")
          .padEnd(32, "b")
          .slice(0, 32),
        number: `CHG007700${i + 1}`,
        sys_class_name: "change_request",
        short_description: "Attach a read-only policy to the deployer role",
        type: "normal",
        state: "-1",
        approval: "approved",
        approval_set: at(-60).replace("T", " ").slice(0, 19),
        // Each person's own sys_user id: a shared one would (rightly) merge them into one identity.
        requested_by: { display_value: email(who), value: String(i + 1).repeat(32) },
        assigned_to: { display_value: email(who), value: String(i + 1).repeat(32) },
        cmdb_ci: { display_value: "AWS account 444455556666", value: "e".repeat(32) },
        // What the change is for, as structured fields: the role and the granted privilege.
        u_resources: "deployer, IAMFullAccess",
        start_date: at(-10).replace("T", " ").slice(0, 19),
        end_date: at(180).replace("T", " ").slice(0, 19),
        sys_updated_on: at(-60).replace("T", " ").slice(0, 19),
      })),
    },
  },
  {
    // The approver's records: separation of duties needs to know who approved.
    name: `sysapproval_approver-${RUN}.json`,
    body: {
      result: ["kim", "lou"].map((who, i) => ({
        sys_id: `${RUN}${i}`
          .replace(/[^0-9a-f]/g, "a")
          .padEnd(32, "d")
          .slice(0, 32),
        approver: { display_value: email("lead"), value: "f".repeat(32) },
        sysapproval: { display_value: `CHG007700${i + 1}` },
        source_table: "change_request",
        state: "approved",
        sys_created_on: at(-90).replace("T", " ").slice(0, 19),
        sys_updated_on: at(-60).replace("T", " ").slice(0, 19),
      })),
    },
  },
];

test.describe.configure({ mode: "serial" });

test("setup: the analyst ingests the platform log and the governance feeds, correlates, and the checks are built", async () => {
  const ctx = await apiAs("analyst");
  for (const f of FILES) {
    const up = await ctx.post("/api/v1/ingest/upload", { headers: { "x-file-name": f.name }, data: Buffer.from(JSON.stringify(f.body)) });
    expect(up.status(), `${f.name}: ${await up.text()}`).toBe(201);
  }
  const run = await ctx.post("/api/v1/correlation", { data: {} });
  expect(run.status(), await run.text()).toBe(200);
  await ctx.dispose();
  // The same function the correlation run calls afterwards, against the server's database.
  const runtime = JSON.parse(fs.readFileSync(path.join(E2E.dataDir, "runtime.json"), "utf8")) as { databaseUrl: string };
  const out = execFileSync(
    "npx",
    [
      "tsx",
      "--import",
      "./scripts/server-only.mjs",
      "-e",
      `Promise.all([import("./lib/governance/run-governance-checks.ts"), import("./lib/context/request-context.ts")]).then(async ([m, c]) => { console.log(JSON.stringify(await m.runGovernanceChecks({ ctx: c.system() }))); process.exit(0); })`,
    ],
    { env: { ...process.env, DATABASE_URL: runtime.databaseUrl }, encoding: "utf8" },
  );
  expect(JSON.parse(out.trim().split("\n").pop()!).checks).toBeGreaterThanOrEqual(6);
  const rows = await withDb((c) =>
    c.query<{ actor: string; status: string; minutesOutside: number | null }>(
      `SELECT "actorName" AS actor, status, "minutesOutside" FROM governance_check WHERE platform = 'aws-cloudtrail' AND "actorName" LIKE $1 ORDER BY "actorName"`,
      [`%.${RUN}@gov-e2e.example`],
    ),
  );
  expect(rows.rows).toEqual([
    { actor: email("kim"), status: "ok", minutesOutside: 0 },
    { actor: email("lou"), status: "outside_window", minutesOutside: 17 },
    { actor: email("max"), status: "unapproved", minutesOutside: 0 },
  ]);
});

test("compliance: the page shows the checks, filters through the URL and is accessible", async ({ page }) => {
  await openAs(page, "compliance");
  await page.getByRole("link", { name: "Governance" }).click();
  await expect(page).toHaveURL(/\/governance$/);
  await expect(page.getByRole("heading", { level: 1, name: "Governance" })).toBeVisible();
  const table = page.getByTestId("governance-table");
  // Each person has two rows: the IAM change and the grant record itself (checked for its own ticket).
  const change = (who: string) =>
    table
      .getByRole("row")
      .filter({ hasText: email(who) })
      .filter({ hasText: "AttachRolePolicy" });
  await expect(change("lou")).toContainText("Outside grant window");
  await expect(change("lou")).toContainText("17");
  await expect(change("kim")).toContainText("CHG0077001");
  await expect(change("kim")).toContainText("OK");
  await expect(page.getByRole("figure", { name: /Stacked bar chart/ })).toBeVisible();
  await expectAccessible(page, "/governance");

  // Filter by status with the form: the URL carries it, and only checks failing that rule are left (shown first
  // or after another failure).
  await page.getByLabel("Status", { exact: true }).selectOption("outside_window");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/status=outside_window/);
  const statuses = await page
    .getByTestId("governance-table")
    .locator("tbody tr")
    .evaluateAll((rows) => rows.map((r) => (r.getAttribute("data-statuses") ?? "").split(" ")));
  expect(statuses.length).toBeGreaterThan(0);
  for (const s of statuses) expect(s).toContain("outside_window");
  // The filtered list downloads as CSV.
  const csv = await page.request.get((await page.getByTestId("governance-export-csv").getAttribute("href"))!);
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toContain(email("lou"));
  await expect(page.getByTestId("governance-table")).toContainText(email("lou"));
  await expect(page.getByTestId("governance-table")).not.toContainText(email("max"));

  // Sorting is a link too.
  await page.getByRole("link", { name: /Minutes outside/ }).click();
  await expect(page).toHaveURL(/sort=minutes/);
  await expect(page).toHaveURL(/status=outside_window/);
});

test("auditor: reads the same checks, through the page and the API", async ({ page }) => {
  await openAs(page, "auditor");
  await page.goto("/governance?status=problem&platform=aws-cloudtrail");
  const table = page.getByTestId("governance-table");
  await expect(table).toContainText(email("max"));
  await expect(table).not.toContainText(email("kim"));
  await expect(table.getByRole("row").filter({ hasText: email("max") })).toContainText("Unapproved");
  await expectAccessible(page, "/governance?status=problem");
  // A bad link says what is wrong and still shows the list.
  await page.goto("/governance?status=maybe");
  await expect(page.getByRole("main").getByRole("alert")).toContainText("not a status");

  const ctx = await apiAs("auditor");
  const res = await ctx.get(`/api/v1/governance/checks?status=outside_window&platform=aws-cloudtrail&limit=500`);
  expect(res.status()).toBe(200);
  const body = await res.json();
  const lou = body.items.find((i: { actorName: string }) => i.actorName === email("lou"));
  expect(lou).toMatchObject({
    status: "outside_window",
    minutesOutside: 17,
    insideWindow: false,
    approved: true,
    category: "admin_role_change",
  });
  expect(lou.grant).toMatchObject({ privilege: "IAMFullAccess" });
  expect((await ctx.get("/api/v1/governance/checks?category=nope")).status()).toBe(422);
  await ctx.dispose();
});
