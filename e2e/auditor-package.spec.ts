import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { apiAs, openAs, withDb } from "./helpers";

// Issue 16's auditor story, end to end: an analyst builds a case around a privileged AWS action that had a
// ServiceNow change ticket and a JIT grant; the auditor takes the key fingerprint from Settings, downloads the
// package from the case page, runs the README's commands pinned to that fingerprint, reads report.pdf, and finds
// the ticket and the grant as raw records of the package, named by the governance check.

const RUN = `${Date.now().toString(36)}ap`;
const T = Date.parse("2026-11-03T09:00:00Z");
const at = (min: number) => new Date(T + min * 60_000).toISOString().replace(".000Z", "Z");
const snTime = (min: number) => at(min).replace("T", " ").slice(0, 19);
const WHO = `ana.${RUN}@auditor-e2e.example`;
const LEAD = `lead.${RUN}@auditor-e2e.example`;
const TICKET = `CHG${String(Date.now()).slice(-7)}`;
const GRANT = `gr-${RUN}`;
const EVENT_ID = `evt-${RUN}`;
const TITLE = `Auditor package ${RUN}`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sessionproof-e2e-auditor-"));

const FILES: { name: string; body: unknown }[] = [
  {
    name: `111122223333_CloudTrail_eu-west-1_20261103T0900Z_${RUN.padEnd(16, "0").slice(0, 16)}.json`,
    body: {
      Records: [
        {
          eventVersion: "1.09",
          userIdentity: {
            type: "AssumedRole",
            principalId: `AROAAUDITE2E:${WHO}`,
            arn: `arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Ops_0a1b2c3d4e5f6a7b/${WHO}`,
            accountId: "111122223333",
            accessKeyId: `ASIA${RUN.toUpperCase().padEnd(16, "Z").slice(0, 16)}`,
            sessionContext: {
              sessionIssuer: {
                type: "Role",
                principalId: "AROAAUDITE2E",
                arn: "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Ops_0a1b2c3d4e5f6a7b",
                accountId: "111122223333",
                userName: "AWSReservedSSO_Ops_0a1b2c3d4e5f6a7b",
              },
              attributes: { creationDate: at(-5), mfaAuthenticated: "true" },
            },
          },
          eventTime: at(20),
          eventSource: "iam.amazonaws.com",
          eventName: "AttachRolePolicy",
          awsRegion: "eu-west-1",
          sourceIPAddress: "203.0.113.91",
          userAgent: "aws-cli/2.22.4",
          requestParameters: { roleName: "deployer", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" },
          responseElements: null,
          requestID: `req-${RUN}`,
          eventID: EVENT_ID,
          readOnly: false,
          eventType: "AwsApiCall",
          managementEvent: true,
          recipientAccountId: "111122223333",
          eventCategory: "Management",
        },
      ],
    },
  },
  {
    name: `sessionproof-grants-${RUN}.json`,
    body: [
      {
        grant_id: GRANT,
        principal: WHO,
        principal_type: "human",
        privilege: "IAMFullAccess",
        platform: "aws:111122223333",
        granted_at: at(0),
        expires_at: at(60),
        approved_by: LEAD,
        ticket: TICKET,
      },
    ],
  },
  {
    name: `change_request-${RUN}.json`,
    body: {
      result: [
        {
          sys_id: RUN.replace(/[^0-9a-f]/g, "a")
            .padEnd(32, "c")
            .slice(0, 32),
          number: TICKET,
          sys_class_name: "change_request",
          short_description: "Attach a read-only policy to the deployer role",
          type: "normal",
          state: "-1",
          approval: "approved",
          approval_set: snTime(-60),
          requested_by: { display_value: WHO, value: "7".repeat(32) },
          assigned_to: { display_value: WHO, value: "7".repeat(32) },
          cmdb_ci: { display_value: "AWS account 111122223333", value: "e".repeat(32) },
          u_resources: "deployer, IAMFullAccess",
          start_date: snTime(-10),
          end_date: snTime(180),
          sys_updated_on: snTime(-60),
        },
      ],
    },
  },
  {
    name: `sysapproval_approver-${RUN}.json`,
    body: {
      result: [
        {
          sys_id: RUN.replace(/[^0-9a-f]/g, "a")
            .padEnd(32, "d")
            .slice(0, 32),
          approver: { display_value: LEAD, value: "8".repeat(32) },
          sysapproval: { display_value: TICKET },
          source_table: "change_request",
          state: "approved",
          sys_created_on: snTime(-90),
          sys_updated_on: snTime(-60),
        },
      ],
    },
  },
];

test.describe.configure({ mode: "serial" });
test.afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let caseId = "";
let sessionId = "";

test("setup: the analyst ingests the action, its ticket and its grant, analyses, and builds a case around the session", async () => {
  const ctx = await apiAs("analyst");
  for (const f of FILES) {
    const up = await ctx.post("/api/v1/ingest/upload", { headers: { "x-file-name": f.name }, data: Buffer.from(JSON.stringify(f.body)) });
    expect(up.status(), `${f.name}: ${await up.text()}`).toBe(201);
  }
  const run = await ctx.post("/api/v1/correlation", { data: {} });
  expect(run.status(), await run.text()).toBe(200);
  // The analysis that follows correlation builds the governance checks; wait for this action's.
  await expect
    .poll(
      async () =>
        withDb(
          async (c) =>
            (
              await c.query<{ status: string; sessionId: string | null }>(
                `SELECT g.status, e."sessionId" FROM governance_check g JOIN event e ON e.id = g."eventId" WHERE e."nativeId" = $1`,
                [EVENT_ID],
              )
            ).rows[0] ?? null,
        ),
      { timeout: 60_000 },
    )
    .toMatchObject({ status: "ok" });
  sessionId = await withDb(
    async (c) => (await c.query<{ s: string }>(`SELECT "sessionId"::text AS s FROM event WHERE "nativeId" = $1`, [EVENT_ID])).rows[0].s,
  );
  const created = await ctx.post("/api/v1/cases", { data: { title: TITLE, severity: "high" } });
  expect(created.status(), await created.text()).toBe(201);
  caseId = (await created.json()).id;
  const item = await ctx.post(`/api/v1/cases/${caseId}/items`, {
    data: { itemType: "session", refId: sessionId, annotation: "IAM policy change under CHG ticket and JIT grant" },
  });
  expect(item.status(), await item.text()).toBe(201);
  await ctx.dispose();
});

test("the auditor pins the key from Settings, verifies the package, reads report.pdf and finds the ticket and the grant", async ({
  page,
}) => {
  await openAs(page, "auditor");
  await page.goto("/settings");
  const fingerprint = (await page.getByTestId("key-fingerprint").textContent())?.trim() ?? "";
  expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);

  await page.goto(`/cases/${caseId}`);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download evidence package" }).click(),
  ]);
  const zip = path.join(tmp, download.suggestedFilename());
  await download.saveAs(zip);
  const sh = (cmd: string, cwd: string) => {
    const r = spawnSync("sh", ["-c", cmd], { cwd, encoding: "utf8", env: { ...process.env, SESSIONPROOF_KEY: fingerprint } });
    return { code: r.status, out: `${r.stdout}${r.stderr}` };
  };
  expect(sh(`unzip -q ${JSON.stringify(zip)} -d out`, tmp).code).toBe(0);
  const pkg = path.join(tmp, "out", download.suggestedFilename().replace(/\.zip$/, ""));

  // The README's commands, as written, with the fingerprint obtained out of band.
  const readme = fs.readFileSync(path.join(pkg, "README.md"), "utf8");
  const commands = (/```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? "").trim().split("\n");
  expect(commands.length).toBeGreaterThanOrEqual(3);
  for (const cmd of commands) {
    const r = sh(cmd, pkg);
    expect(r.code, `${cmd}\n${r.out}`).toBe(0);
  }
  expect(sh('node verify.mjs --expect-key "$SESSIONPROOF_KEY"', pkg).out).toContain(fingerprint);
  // Pinned to another key, the same package fails.
  const other = sh(`node verify.mjs --expect-key ${"0".repeat(64)}`, pkg);
  expect(other.code).not.toBe(0);

  // report.pdf: the case, the session's answers and the key, as text.
  const { extractText, getDocumentProxy } = await import("unpdf");
  const pdf = await getDocumentProxy(new Uint8Array(fs.readFileSync(path.join(pkg, "report.pdf"))));
  const { text } = await extractText(pdf, { mergePages: true });
  const flat = (text as string).replace(/\s+/g, " ");
  expect(flat).toContain(TITLE);
  expect(flat).toContain(fingerprint.slice(0, 16));
  expect(flat).toContain("AttachRolePolicy");

  // The governance check names the ticket and the grant, and their raw records are in the package.
  const checks = JSON.parse(fs.readFileSync(path.join(pkg, "governance", "checks.json"), "utf8")) as {
    actions: { status: string; action: string; matched: { records: Record<string, { rawRecordId: string | null } | null> } }[];
  };
  const action = checks.actions.find((a) => a.action === "AttachRolePolicy");
  expect(action?.status).toBe("ok");
  const ticketRaw = action!.matched.records.approval?.rawRecordId;
  const grantRaw = action!.matched.records.grant?.rawRecordId;
  expect(ticketRaw).toBeTruthy();
  expect(grantRaw).toBeTruthy();
  const index = fs
    .readFileSync(path.join(pkg, "raw", "index.ndjson"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { rawRecordId: string; offset: number; length: number });
  const bin = fs.readFileSync(path.join(pkg, "raw", "records.bin"));
  const payloadOf = (id: string) => {
    const r = index.find((x) => x.rawRecordId === id);
    expect(r, `raw record ${id} in raw/index.ndjson`).toBeTruthy();
    return bin.subarray(r!.offset, r!.offset + r!.length).toString("utf8");
  };
  expect(payloadOf(ticketRaw!)).toContain(TICKET);
  expect(payloadOf(grantRaw!)).toContain(GRANT);
});
