import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { system } from "@/lib/context/request-context";
import { db, pool } from "@/lib/db";
import { runCorrelation } from "@/lib/correlation/run-correlation";
import { generateDemo, type GroundTruth } from "@/lib/demo/generate-demo";
import { ingestFiles } from "@/lib/ingest/ingest-files";
import { ingestStream } from "@/lib/ingest/ingest-stream";
import { evaluateCheck, type CandidateGrant, type CheckEvent } from "./evaluate-check";
import { listGovernanceChecks } from "./list-governance-checks";
import { classifyPrivilegedAction, grantCoversPlatform, grantPrivilegeLevel } from "./privileged-actions";
import { runGovernanceChecks } from "./run-governance-checks";
import { summarizeGovernanceChecks } from "./summarize-governance-checks";

// Governance checks over small crafted exports, ingested through the real pipeline (CloudTrail, the PAM grant
// feed, ServiceNow change requests, OPA decision logs): each person below is one situation, and each test asserts
// the values the situation implies, computed by hand from the times written here. Then the demo dataset: its
// story of a privileged action after the JIT grant expired (story 8) and the agent's unapproved change (story 9).

const T = Date.parse("2026-11-20T10:00:00Z");
const at = (min: number) => new Date(T + min * 60_000).toISOString();
const snDate = (min: number) => at(min).replace("T", " ").slice(0, 19);
const email = (who: string) => `${who}@gov-test.example`;

function trail(
  who: string,
  min: number,
  eventName: string,
  source = "iam.amazonaws.com",
  readOnly = false,
  extra: Record<string, unknown> = {},
) {
  const arn = `arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Ops_0a1b2c3d4e5f6a7b/${email(who)}`;
  return {
    eventVersion: "1.09",
    userIdentity: {
      type: "AssumedRole",
      principalId: `AROAOPS:${email(who)}`,
      arn,
      accountId: "111122223333",
      accessKeyId: `ASIA${who.toUpperCase().padEnd(16, "X")}`,
      sessionContext: {
        sessionIssuer: {
          type: "Role",
          principalId: "AROAOPS",
          arn: "arn:aws:iam::111122223333:role/AWSReservedSSO_Ops_0a1b2c3d4e5f6a7b",
          accountId: "111122223333",
          userName: "AWSReservedSSO_Ops_0a1b2c3d4e5f6a7b",
        },
        attributes: { creationDate: at(-60).replace(".000Z", "Z"), mfaAuthenticated: "true" },
      },
    },
    eventTime: at(min).replace(".000Z", "Z"),
    eventSource: source,
    eventName,
    awsRegion: "eu-west-1",
    sourceIPAddress: "203.0.113.10",
    userAgent: "aws-cli/2.22.4",
    requestParameters: { roleName: "payments-deployer", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess", ...extra },
    responseElements: null,
    requestID: `req-${who}-${min}-${eventName}`,
    eventID: `evt-${who}-${min}-${eventName}`,
    readOnly,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: "111122223333",
    eventCategory: "Management",
  };
}

const grant = (
  id: string,
  who: string,
  privilege: string,
  from: number,
  to: number | null,
  revoked: number | null = null,
  ticket: string | null = null,
) => ({
  grant_id: id,
  principal: email(who),
  principal_type: "human",
  privilege,
  platform: "aws:111122223333",
  granted_at: at(from),
  expires_at: to === null ? null : at(to),
  revoked_at: revoked === null ? null : at(revoked),
  approved_by: email("lead"),
  ticket,
  justification: "test",
});

const change = (num: string, who: string, from: number, to: number, approval: string, ci = "AWS production account 111122223333") => ({
  sys_id: num.replace(/\D/g, "").padEnd(32, "a"),
  number: num,
  sys_class_name: "change_request",
  short_description: `Change ${num}`,
  type: "normal",
  state: "-1",
  approval,
  approval_set: approval === "approved" ? snDate(from - 60) : "",
  requested_by: { display_value: email(who), value: `${who}`.padEnd(32, "0") },
  assigned_to: { display_value: email(who), value: `${who}`.padEnd(32, "1") },
  cmdb_ci: { display_value: ci, value: "c1".padEnd(32, "2") },
  start_date: snDate(from),
  end_date: snDate(to),
  sys_updated_on: snDate(from - 60),
});

const opa = (who: string, min: number, allow: boolean, id: string) => ({
  labels: { app: "iam-gateway", id: "gw-1", version: "v1" },
  decision_id: id,
  path: "iam/authz/allow",
  input: { method: "POST", path: ["iam", "attach"], user: email(who), source_ip: "203.0.113.10" },
  result: allow,
  timestamp: at(min),
});

async function ingestJson(name: string, value: unknown) {
  const r = await ingestStream({ input: Readable.from([Buffer.from(JSON.stringify(value))]), fileName: name, via: "cli", ctx: system() });
  expect(r.quarantined, name).toBe(0);
  return r;
}

type Row = {
  action: string;
  actorName: string | null;
  category: string;
  approved: boolean | null;
  approvalRef: string | null;
  insideWindow: boolean | null;
  minutesOutside: number | null;
  grantBroader: boolean | null;
  usedPrivilege: string | null;
  policyDecisionId: string | null;
  policyResult: string | null;
  status: string;
  reasons: string[];
  grantId: string | null;
};

async function checksOf(who: string): Promise<Row[]> {
  const r = await pool().query<Row>(
    `SELECT action, "actorName", category, approved, "approvalRef", "insideWindow", "minutesOutside", "grantBroader", "usedPrivilege",
            "policyDecisionId"::text, "policyResult", status, reasons, "grantId"::text
       FROM governance_check WHERE platform = 'aws-cloudtrail' AND "actorName" LIKE $1 ORDER BY time`,
    [`%${email(who)}`],
  );
  return r.rows;
}

describe("governance checks over crafted exports", () => {
  let counts: Awaited<ReturnType<typeof runGovernanceChecks>>;

  beforeAll(async () => {
    await ingestJson("111122223333_CloudTrail_eu-west-1_20261120T1000Z_Gov0000000000001.json", {
      Records: [
        trail("alice", 30, "AttachRolePolicy"), // approved CHG1, inside G1 (IAMFullAccess): ok, not broader
        trail("alice", 40, "ScheduleKeyDeletion", "kms.amazonaws.com", false, { keyId: "mrk-1" }), // not flagged by the source; the catalog marks it
        trail("bob", 30, "AttachRolePolicy"), // no ticket, inside G2: unapproved
        trail("carol", 77, "AttachRolePolicy"), // approved CHG3 (to 13:00), G3 expired at 11:00: 17 minutes outside
        trail("dave", 50, "AttachRolePolicy"), // approved CHG4, G4 revoked at 10:20 (was to expire 12:00): 30 minutes outside
        trail("erin", 30, "AttachRolePolicy"), // approved CHG5, inside G5 AdministratorAccess: ok but broader; OPA decision at 10:29
        trail("frank", 30, "GetObject", "s3.amazonaws.com", true, { bucketName: "b", key: "k" }), // a read: not privileged, no check
        trail("gina", 30, "AttachRolePolicy"), // CHG7 covers the time but names only Salesforce: not covered
      ],
    });
    await ingestJson("sessionproof-grants-test.json", [
      grant("g-alice", "alice", "IAMFullAccess", 0, 60, null, "CHG0090001"),
      grant("g-bob", "bob", "IAMFullAccess", 0, 60),
      grant("g-carol", "carol", "IAMFullAccess", 0, 60, null, "CHG0090003"),
      grant("g-dave", "dave", "IAMFullAccess", 0, 120, 20, "CHG0090004"),
      grant("g-erin", "erin", "AdministratorAccess", 0, 60, null, "CHG0090005"),
      grant("g-gina", "gina", "IAMFullAccess", 0, 60),
    ]);
    await ingestJson("change_request.json", {
      result: [
        change("CHG0090001", "alice", -30, 120, "approved"),
        change("CHG0090003", "carol", 0, 180, "approved"),
        change("CHG0090004", "dave", 0, 120, "approved"),
        change("CHG0090005", "erin", 0, 120, "approved"),
        change("CHG0090007", "gina", 0, 120, "approved", "Salesforce production"),
      ],
    });
    await ingestJson("opa-decision-logs-iam-gateway.json", [
      opa("erin", 29, false, "dec-erin-1"),
      opa("erin", 10, true, "dec-erin-0"), // earlier: the later one is the decision at request time
      opa("bob", -40, true, "dec-bob-old"), // 70 minutes before bob's action: too old to be "at request time"
    ]);
    await runCorrelation({ ctx: system() });
    counts = await runGovernanceChecks({ ctx: system() });
  });

  it("approved and inside the grant window: ok, minutes outside 0, not broader", async () => {
    const [attach] = (await checksOf("alice")).filter((r) => r.action === "AttachRolePolicy");
    expect(attach).toMatchObject({
      category: "admin_role_change",
      approved: true,
      approvalRef: "CHG0090001",
      insideWindow: true,
      minutesOutside: 0,
      grantBroader: false,
      status: "ok",
      usedPrivilege: "iam:AttachRolePolicy",
    });
    expect(attach.grantId).not.toBeNull();
    expect(attach.policyDecisionId).toBeNull();
  });

  it("no ticket names the actor: unapproved, with approved null", async () => {
    const [r] = await checksOf("bob");
    expect(r).toMatchObject({ approved: null, approvalRef: null, insideWindow: true, status: "unapproved" });
    expect(r.reasons.join(" ")).toMatch(/no approval ticket names the actor/);
    // A decision 70 minutes before the action is not the decision at request time.
    expect(r.policyResult).toBeNull();
  });

  it("17 minutes after the grant expired: outside_window with minutesOutside 17", async () => {
    const [r] = await checksOf("carol");
    expect(r).toMatchObject({
      approved: true,
      approvalRef: "CHG0090003",
      insideWindow: false,
      minutesOutside: 17,
      status: "outside_window",
    });
    expect(r.reasons.join(" ")).toMatch(/17 min after JIT grant "IAMFullAccess" expired/);
  });

  it("a grant revoked before its expiry ends at the revocation", async () => {
    const [r] = await checksOf("dave");
    expect(r).toMatchObject({ approved: true, insideWindow: false, minutesOutside: 30, status: "outside_window" });
    expect(r.reasons.join(" ")).toMatch(
      /30 min after JIT grant "IAMFullAccess" was revoked at 2026-11-20 10:20:00Z \(it was to expire at 2026-11-20 12:00:00Z\)/,
    );
  });

  it("a full-admin grant for an IAM change is broader than used; the latest earlier policy decision is picked", async () => {
    const [r] = await checksOf("erin");
    expect(r).toMatchObject({ approved: true, insideWindow: true, grantBroader: true, status: "ok", policyResult: "deny" });
    const dec = await pool().query<{ id: string }>(`SELECT id::text FROM policy_decision WHERE "decisionId" = 'dec-erin-1'`);
    expect(r.policyDecisionId).toBe(dec.rows[0].id);
    expect(r.reasons.join(" ")).toMatch(/grant "AdministratorAccess" is broader than the action needs \("iam:AttachRolePolicy"\)/);
  });

  it("a ticket naming other systems does not cover the action", async () => {
    const [r] = await checksOf("gina");
    expect(r).toMatchObject({ approved: null, approvalRef: null, status: "unapproved" });
    expect(r.reasons.join(" ")).toMatch(/CHG0090007 covers the time but names only Salesforce production, not aws-cloudtrail/);
  });

  it("a read is not checked; an action the source did not flag is, when the catalog names it", async () => {
    expect(await checksOf("frank")).toEqual([]);
    const kms = (await checksOf("alice")).find((r) => r.action === "ScheduleKeyDeletion");
    expect(kms).toMatchObject({ category: "config_change", status: "ok", approved: true });
    expect(kms!.reasons[0]).toMatch(/catalog rule aws.defense-evasion/);
  });

  it("checks every privileged event exactly once, and a re-run replaces them", async () => {
    const privileged = await pool().query<{ n: number }>(`SELECT count(*)::int AS n FROM event WHERE privileged`);
    // The privileged events plus the one the catalog marks (ScheduleKeyDeletion).
    expect(counts.checks).toBe(privileged.rows[0].n + 1);
    expect(await db().governanceCheck.count()).toBe(counts.checks);
    const again = await runGovernanceChecks({ ctx: system() });
    expect(again).toEqual(counts);
    expect(await db().governanceCheck.count()).toBe(counts.checks);
    // The grant records themselves are checked as admin role changes, approved through their ticket.
    const grantChecks = await pool().query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM governance_check WHERE platform = 'pam-grants' GROUP BY status ORDER BY status`,
    );
    expect(grantChecks.rows).toEqual([
      { status: "ok", n: 4 }, // alice, carol, dave, erin: their tickets cover the grant time
      { status: "unapproved", n: 2 }, // bob, gina: no ticket (gina's names Salesforce only)
    ]);
  });

  it("lists and summarizes with filters", async () => {
    const problems = await listGovernanceChecks({ status: "problem", platform: "aws-cloudtrail" });
    expect(problems.items.map((i) => i.actorName?.split("/").pop()).sort()).toEqual([
      email("bob"),
      email("carol"),
      email("dave"),
      email("gina"),
    ]);
    const outside = await listGovernanceChecks({ status: "outside_window", sort: "minutes", dir: "desc" });
    expect(outside.items.map((i) => i.minutesOutside)).toEqual([30, 17]);
    expect(outside.items[0].grant).toMatchObject({ privilege: "IAMFullAccess", endsAt: at(20) });
    expect(outside.items[1].approval).toMatchObject({ ticketKey: "CHG0090003", windowEnd: at(180) });
    const summary = await summarizeGovernanceChecks({});
    expect(summary.total).toBe(counts.checks);
    expect(summary.byStatus).toEqual(counts.byStatus);
    const adminRow = summary.byCategory.find((c) => c.category === "admin_role_change")!;
    // 6 AttachRolePolicy + 6 grant records: 2+4 ok (alice, erin; 4 grants), 2+2 unapproved, 2 outside.
    expect(adminRow).toMatchObject({ ok: 6, unapproved: 4, outside_window: 2, no_grant: 0 });
    expect(summary.feeds).toMatchObject({ approvals: 5, grants: 6 });
  });
});

describe("evaluateCheck and the catalog (pure)", () => {
  const cls = classifyPrivilegedAction({
    platform: "aws-cloudtrail",
    eventName: "AttachRolePolicy",
    activity: "create",
    privileged: true,
  })!;
  const ev: CheckEvent = {
    id: "1",
    platform: "aws-cloudtrail",
    time: new Date(at(30)),
    eventName: "AttachRolePolicy",
    identityIds: ["i-1"],
    keys: ["x@example.test"],
    targetName: null,
    ownGrantId: null,
    isGrant: false,
  };
  const g = (over: Partial<CandidateGrant>): CandidateGrant => ({
    id: "g",
    principal: "x@example.test",
    identityId: null,
    privilege: "IAMFullAccess",
    platform: "aws:1",
    grantedAt: new Date(at(0)),
    expiresAt: new Date(at(60)),
    revokedAt: null,
    ticketKey: null,
    ...over,
  });

  it("prefers the grant whose window holds the action over a nearer-starting one that expired", () => {
    const r = evaluateCheck({
      event: ev,
      classification: cls,
      approvals: [],
      grants: [g({ id: "old", grantedAt: new Date(at(-120)), expiresAt: new Date(at(25)) }), g({ id: "now" })],
      decision: null,
    });
    expect(r).toMatchObject({ grantId: "now", insideWindow: true, minutesOutside: 0, status: "unapproved" });
  });

  it("ignores grants for other platforms and grants a day away", () => {
    const r = evaluateCheck({
      event: ev,
      classification: cls,
      approvals: [],
      grants: [g({ platform: "salesforce" }), g({ grantedAt: new Date(at(-3000)), expiresAt: new Date(at(-1500)) })],
      decision: null,
    });
    expect(r).toMatchObject({ grantId: null, insideWindow: null, minutesOutside: null, status: "unapproved_no_grant" });
  });

  it("matches a grant by identity id when the principal name differs", () => {
    const r = evaluateCheck({
      event: ev,
      classification: cls,
      approvals: [],
      grants: [g({ principal: "someone-else", identityId: "i-1", grantedAt: new Date(at(35)) })],
      decision: null,
    });
    expect(r).toMatchObject({ insideWindow: false, minutesOutside: 5 });
  });

  it("classifies what no rule names as a configuration change, and says so", () => {
    const c = classifyPrivilegedAction({
      platform: "okta",
      eventName: "something.new.and.privileged",
      activity: "update",
      privileged: true,
    })!;
    expect(c.category).toBe("config_change");
    expect(c.reason).toMatch(/no catalog rule names okta "something.new.and.privileged"/);
    expect(
      classifyPrivilegedAction({ platform: "okta", eventName: "user.session.start", activity: "logon", privileged: false }),
    ).toBeNull();
    expect(
      classifyPrivilegedAction({ platform: "salesforce", eventName: "ReportExport", activity: "export", privileged: true }),
    ).toMatchObject({ category: "data_export", level: 1 });
  });

  it("ranks grant privileges and platforms", () => {
    expect(grantPrivilegeLevel("AdministratorAccess")).toBe(3);
    expect(grantPrivilegeLevel("Global Administrator")).toBe(3);
    expect(grantPrivilegeLevel("User Administrator")).toBe(2);
    expect(grantPrivilegeLevel("salesforce:Report Export")).toBe(1);
    expect(grantCoversPlatform("aws:111122223333", "aws-cloudtrail")).toBe(true);
    expect(grantCoversPlatform("aws:111122223333", "salesforce")).toBe(false);
    expect(grantCoversPlatform("entra", "m365")).toBe(true);
  });
});

describe("governance checks over the demo dataset", () => {
  it("finds story 8's action after the grant expired and story 9's unapproved agent change; story 1's one-report export is not judged", async () => {
    await pool().query(`TRUNCATE governance_check`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sp-demo-gov-"));
    generateDemo({ seed: 3, scale: 1, outDir: dir });
    const gt = JSON.parse(fs.readFileSync(path.join(dir, "ground-truth.json"), "utf8")) as GroundTruth;
    const outcomes = await ingestFiles({ ctx: system(), paths: gt.files.map((f) => path.join(dir, f.path)) });
    expect(outcomes.filter((o) => o.error)).toEqual([]);
    await runCorrelation({ ctx: system() });
    // The crafted exports above are still stored: the assertions below name the demo's own actions.
    await runGovernanceChecks({ ctx: system() });

    const story8 = gt.stories.find((s) => s.id === "story-8")!;
    expect(story8.expected[0]).toMatch(/AttachRolePolicy 17 minutes after the grant expired/);
    const attach = await pool().query<Row>(
      `SELECT action, status, "insideWindow", "minutesOutside", "grantBroader", approved, reasons FROM governance_check
        WHERE action = 'AttachRolePolicy' AND platform = 'aws-cloudtrail' AND "actorName" NOT LIKE '%@gov-test.example'`,
    );
    expect(attach.rows).toHaveLength(1);
    expect(attach.rows[0]).toMatchObject({ insideWindow: false, minutesOutside: 17, grantBroader: true });
    expect(attach.rows[0].status).toMatch(/outside_window$/);

    const story9 = gt.stories.find((s) => s.id === "story-9")!;
    expect(story9.expected).toContain("no approval covers it");
    const destroy = await pool().query<Row>(
      `SELECT status, approved FROM governance_check WHERE platform = 'github' AND action = 'protected_branch.destroy'`,
    );
    expect(destroy.rows.length).toBeGreaterThan(0);
    for (const r of destroy.rows) expect(r.approved).not.toBe(true);
    expect(destroy.rows.every((r) => r.status.startsWith("unapproved"))).toBe(true);

    // Story 1's export of one report is a data access, not a use of privilege (Salesforce's ReportExport event; only
    // bulk reads count as privileged), so no governance check judges it; its approval is still ingested.
    const exportRow = await pool().query<Row>(
      `SELECT status FROM governance_check WHERE platform = 'salesforce' AND action = 'ReportExport'`,
    );
    expect(exportRow.rows).toEqual([]);
  }, 120_000);
});
