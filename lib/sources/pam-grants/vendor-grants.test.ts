import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { probeFile } from "../read";
import { detectPlatform } from "../registry";
import { assertRobust, fixturePath, runFile } from "../testing/samples";
import { pamGrants } from "./index";
import { isoDurationMs } from "./vendor-grants";

// Entra PIM's and AWS TEAM's own exports read as JIT grants (fixtures/README.md cites the vendor pages).
const PIM_REQUESTS = fixturePath("pam-grants", "entra-pim-roleAssignmentScheduleRequests.json");
const PIM_INSTANCES = fixturePath("pam-grants", "entra-pim-roleAssignmentScheduleInstances.json");
const TEAM_JSON = fixturePath("pam-grants", "aws-team-requests.json");
const TEAM_CSV = fixturePath("pam-grants", "aws-team-requests.csv");
const PIM_PORTAL_CSV = fixturePath("pam-grants", "entra-pim-admin-center-export.csv");
const TEAM_SCAN = fixturePath("pam-grants", "aws-team-requests.dynamodb-scan.json");
const TEAM_S3_EXPORT = fixturePath("pam-grants", "aws-team-requests.dynamodb-export.json");

const jitOf = async (file: string) => {
  const r = await runFile(pamGrants, file);
  expect([...r.rejected.keys()], file).toEqual([]);
  return r.events.map((e) => e.events[0]);
};

describe("vendor JIT exports as grants", () => {
  it("are detected automatically (and renamed) as grant feeds, not as the vendors' activity logs", () => {
    for (const f of [PIM_REQUESTS, PIM_INSTANCES, TEAM_JSON, TEAM_CSV, PIM_PORTAL_CSV, TEAM_SCAN, TEAM_S3_EXPORT]) {
      const p = probeFile(fs.readFileSync(f), f);
      expect(detectPlatform(p)?.platform, f).toBe("pam-grants");
      expect(detectPlatform({ ...p, fileName: f.endsWith(".csv") ? "export.csv" : "export.json" })?.platform, f).toBe("pam-grants");
    }
  });

  it("Entra PIM schedule requests: activation, deactivation, pending, admin assignment, denial", async () => {
    const [act, deact, pending, assign, denied] = await jitOf(PIM_REQUESTS);
    expect(act).toMatchObject({
      activity: "assign_privileges",
      privileged: true,
      actor: { external_id: "4a1b2c3d-0001-4e5f-8a9b-0c1d2e3f4a01", name: "alice@example.com", kind_hint: "human" },
      credential: { key: "4f5e6d7c-0001-4b3a-9c8d-7e6f5a4b3c21", kind: "jit_grant", key_type: "entra.pim.schedule" },
      jit: {
        provider: "entra.pim",
        stage: "completed",
        assignment: "PIM activation",
        role_id: "62e90394-69f5-4237-9190-012177145e10",
        role_name: "Global Administrator",
        principal_name: "alice@example.com",
        justification: "Rotate the ci-deployer secret (CHG0030001)",
        ticket: "CHG0030001",
        start_time: "2025-03-04T08:05:13.000Z",
        end_time: "2025-03-04T10:05:13.000Z", // start + PT2H
        request_id: "4f5e6d7c-0001-4b3a-9c8d-7e6f5a4b3c21",
        target_platform: "entra",
      },
    });
    // The deactivation ends the activation's schedule: same request id, so governance sets its revocation.
    expect(deact).toMatchObject({
      activity: "revoke_privileges",
      time: new Date("2025-03-04T09:40:01.000Z"),
      jit: { stage: "removed", request_id: "4f5e6d7c-0001-4b3a-9c8d-7e6f5a4b3c21", revoked_time: null },
    });
    expect(pending.jit).toMatchObject({ stage: "requested", ticket: "SEC-142", role_name: "User Administrator" });
    expect(assign).toMatchObject({
      actor: { name: "ci-deployer", kind_hint: "workload", type: "servicePrincipal" },
      jit: { stage: "completed", assignment: "timebound", end_time: "2025-03-11T11:00:00.000Z", role_name: "Application Administrator" },
      extra: { requested_by: "4a1b2c3d-0001-4e5f-8a9b-0c1d2e3f4a01" },
    });
    expect(denied).toMatchObject({ status: "failure", activity: "other", jit: { stage: "other" } });
  });

  it("Entra PIM schedule instances without $expand: ids stand for the names", async () => {
    const [activated, assigned] = await jitOf(PIM_INSTANCES);
    expect(activated.jit).toMatchObject({
      stage: "completed",
      assignment: "PIM activation",
      principal_name: "4a1b2c3d-0001-4e5f-8a9b-0c1d2e3f4a01",
      role_name: "62e90394-69f5-4237-9190-012177145e10",
      start_time: "2025-03-04T08:05:13.000Z",
      end_time: "2025-03-04T10:05:13.000Z",
      request_id: "4f5e6d7c-0001-4b3a-9c8d-7e6f5a4b3c21", // the schedule, as the request's
    });
    expect(assigned.jit).toMatchObject({ assignment: "timebound", end_time: "2025-03-11T11:00:00.000Z" });
  });

  it("AWS TEAM requests (JSON and CSV): principal, permission set, account, window, approver, ticket", async () => {
    const [ended, revoked, rejected] = await jitOf(TEAM_JSON);
    expect(ended).toMatchObject({
      activity: "assign_privileges",
      actor: { name: "alice@example.com", kind_hint: "human" },
      jit: {
        provider: "aws.team",
        stage: "completed",
        role_name: "AdministratorAccess",
        role_id: "arn:aws:sso:::permissionSet/ssoins-7223a1b2c3d4e5f6/ps-0a1b2c3d4e5f6a7b",
        principal_name: "alice@example.com",
        target_platform: "aws:111122223333",
        start_time: "2025-03-04T13:00:00.000Z",
        end_time: "2025-03-04T15:00:00.000Z",
        approved_by: "bob@example.com",
        ticket: "INC0012345",
        justification: "Hotfix for payment retries",
        request_id: "7c1d2e3f-0001-4a5b-9c8d-aaaabbbb0001",
      },
      resources: [
        { type: "aws.permission_set", name: "AdministratorAccess" },
        { type: "aws.account", id: "111122223333", name: "prod-payments" },
      ],
    });
    expect(revoked.jit).toMatchObject({ stage: "removed", revoked_time: "2025-03-04T15:30:00.000Z", end_time: "2025-03-04T22:00:00.000Z" });
    expect(rejected).toMatchObject({ activity: "other", jit: { stage: "other" } });
    const [inProgress, pending] = await jitOf(TEAM_CSV);
    expect(inProgress.jit).toMatchObject({
      stage: "completed",
      principal_name: "erin@example.com",
      end_time: "2025-03-05T13:00:00.000Z",
      justification: "Audit evidence, quarterly review",
      approved_by: "bob@example.com",
    });
    expect(pending.jit).toMatchObject({ stage: "requested", approved_by: null });
  });

  it("Entra PIM admin center export (CSV): active grants, eligibility that grants nothing, refusals with the reason", async () => {
    const r = await runFile(pamGrants, PIM_PORTAL_CSV);
    expect([...r.rejected.keys()]).toEqual([
      "not a valid PIM assignment row: Assignment Start Time (UTC) is empty (a permanent assignment is not a JIT grant)",
    ]);
    const [active, permanent, eligible, group] = r.events.map((e) => e.events[0]);
    expect(active).toMatchObject({
      activity: "assign_privileges",
      time: new Date("2025-03-04T08:05:13.000Z"),
      actor: { name: "alice@example.com", kind_hint: "human" },
      credential: { key: "pim-export:alice@example.com|Global Administrator|2025-03-04T08:05:13.000Z", kind: "jit_grant" },
      jit: {
        provider: "entra.pim",
        stage: "completed",
        assignment: "timebound",
        role_name: "Global Administrator",
        start_time: "2025-03-04T08:05:13.000Z",
        end_time: "2025-03-04T10:05:13.000Z", // en-US "10:05:13 AM", read as UTC (the column says so)
        target_platform: "entra",
      },
    });
    expect(permanent.jit).toMatchObject({ stage: "completed", assignment: "permanent", end_time: null });
    expect(eligible).toMatchObject({ activity: "other", jit: { stage: "other", assignment: "eligible" } });
    expect(group).toMatchObject({ actor: { name: "Helpdesk Tier 2", kind_hint: "unknown" }, extra: { member_type: "Inherited" } });
  });

  it("AWS TEAM requests from the DynamoDB table: scan output and S3 export lines read like plain JSON", async () => {
    for (const f of [TEAM_SCAN, TEAM_S3_EXPORT]) {
      const [ended, revoked, rejected] = await jitOf(f);
      expect(ended, f).toMatchObject({
        activity: "assign_privileges",
        actor: { name: "grace@example.com", kind_hint: "human" },
        jit: {
          provider: "aws.team",
          stage: "completed",
          role_name: "AdministratorAccess",
          target_platform: "aws:111122223333",
          approved_by: "bob@example.com",
          ticket: "CHG0030011",
          justification: "Rotate TLS certificates",
        },
      });
      // duration 3 h, whether the item holds it as {"S": "3"} (scan) or {"N": "3"} (export)
      expect(Date.parse(ended.jit!.end_time!) - Date.parse(ended.jit!.start_time!), f).toBe(3 * 3_600_000);
      expect(revoked.jit, f).toMatchObject({ stage: "removed", ticket: "CHG0030012" });
      expect(revoked.extra, f).toMatchObject({ revoker: "bob@example.com", revokeComment: "Done early" });
      expect(rejected, f).toMatchObject({ activity: "other", jit: { stage: "other", ticket: null } });
    }
  });

  it("never crashes on damaged vendor grant records (fast-check)", async () => {
    const records = [];
    for (const f of [PIM_REQUESTS, PIM_INSTANCES, TEAM_JSON, TEAM_SCAN, TEAM_S3_EXPORT, PIM_PORTAL_CSV])
      records.push(...(await runFile(pamGrants, f)).events.map((e) => e.record));
    const { normalized } = assertRobust(pamGrants, records, 1000);
    expect(normalized).toBeGreaterThan(0);
  });

  it("refuses what cannot be a grant, with the reason", () => {
    const ctx = { fileName: "x.json", position: 0 };
    const team = {
      id: "r1",
      email: "a@x.com",
      accountId: "1",
      role: "Admin",
      roleId: "arn:ps",
      startTime: "2025-01-01T00:00:00Z",
      duration: "1",
    };
    expect(() => pamGrants.normalize({ ...team, status: "flying" }, ctx)).toThrow(/TEAM request with an unknown status "flying"/);
    expect(() => pamGrants.normalize({ ...team, status: "ended", startTime: "soon" }, ctx)).toThrow(/startTime is not a readable time/);
    expect(isoDurationMs("PT8H")).toBe(8 * 3_600_000);
    expect(isoDurationMs("P1DT30M")).toBe(24 * 3_600_000 + 30 * 60_000);
    expect(isoDurationMs("PT")).toBeNull();
  });
});
