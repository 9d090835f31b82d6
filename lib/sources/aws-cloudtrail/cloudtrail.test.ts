import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { toEventRow } from "@/lib/events/schema";
import { cloudtrail as synthetic } from "../../../scripts/bench/synthetic";
import { assertRobust, describeSamples, eventAt, fixturePath, printResult, runFile, samplePath } from "../testing/samples";
import { awsCloudTrail } from "./index";

const TRAIL = fixturePath("aws-cloudtrail", "111122223333_CloudTrail_eu-west-1_20250304T1315Z_AbCdEfGh12345678.json");
const ctx = { fileName: "t.json", position: 0 };

describe("aws-cloudtrail source: own fixtures (S3 trail file, gzip, Event history)", () => {
  it("trail file: STS lineage, role sessions, console logins, privileged IAM changes", async () => {
    const r = await runFile(awsCloudTrail, TRAIL);
    printResult(r);
    expect(r.total).toBe(8);
    expect(r.rejected.size).toBe(0);

    // GetSessionToken: the IAM user's long-term key mints a session key.
    const gst = eventAt(r, 0);
    expect(gst).toMatchObject({
      class_uid: 6003,
      activity: "issue_credentials",
      credential: { key: "AKIAIOSFODNN7EXAMPLE", key_type: "aws.access_key_id", kind: "aws_access_key" },
      session: null, // a long-term key without a session context is no session
      actor: { type: "IAMUser", login: "alice", external_id: "AIDAJ45Q7YFFAREXAMPLE" },
    });
    expect(gst.issued_credentials).toEqual([
      {
        key: "ASIAQNOALICEMFA00001",
        key_type: "aws.access_key_id",
        kind: "aws_session_key",
        native_type: "GetSessionToken",
        parent_key: "AKIAIOSFODNN7EXAMPLE",
        parent_key_type: "aws.access_key_id",
        principal: null,
        source_identity: null,
        expiration: "Mar 4, 2025, 2:00:00 PM",
      },
    ]);

    // AssumeRole with that session key: the child key, its role session ARN and source identity.
    const assume = eventAt(r, 1);
    expect(assume).toMatchObject({
      credential: { key: "ASIAQNOALICEMFA00001", kind: "aws_session_key" },
      session: { key: "arn:aws:iam::111122223333:user/alice|2025-03-04T13:00:00Z", key_type: "aws.user_session" },
      auth: { mfa: true },
      // The role assumed is named by the role (alice-admin names the new session) and is related, not changed.
      resources: [{ type: "AWS::IAM::Role", id: "arn:aws:iam::111122223333:role/Admin", name: "Admin", role: "related" }],
    });
    expect(assume.issued_credentials[0]).toMatchObject({
      key: "ASIAQNOADMINROLE0001",
      parent_key: "ASIAQNOALICEMFA00001",
      principal: "arn:aws:sts::111122223333:assumed-role/Admin/alice-admin",
      source_identity: "alice",
    });

    // Calls made in the role session carry the session key = role session ARN + creation date.
    const attach = eventAt(r, 2);
    const roleSession = "arn:aws:sts::111122223333:assumed-role/Admin/alice-admin|2025-03-04T13:00:05Z";
    expect(attach).toMatchObject({
      class_uid: 3005,
      activity: "assign_privileges",
      privileged: true,
      session: { key: roleSession, key_type: "aws.role_session", issuer: "arn:aws:iam::111122223333:role/Admin" },
      credential: { key: "ASIAQNOADMINROLE0001" },
      actor: { type: "AssumedRole", login: "alice-admin" },
    });
    expect(attach.extra.sourceIdentity).toBe("alice");
    expect(attach.resources).toEqual([
      { type: "AWS::IAM::User", id: null, name: "ci-deployer" },
      { type: "AWS::IAM::Policy", id: "arn:aws:iam::aws:policy/AdministratorAccess", name: null, role: "related" }, // attached, not changed
    ]);

    const newKey = eventAt(r, 3);
    expect(newKey).toMatchObject({ class_uid: 3001, privileged: true, session: { key: roleSession } });
    expect(newKey.issued_credentials).toMatchObject([
      // Lineage: the new long-term key was minted with the admin role session's key (IssuedCredentialSchema).
      { key: "AKIAQNOCIDEPLOYER001", kind: "aws_access_key", parent_key: "ASIAQNOADMINROLE0001", principal: "ci-deployer" },
    ]);

    // Role chaining: the child of the role session key.
    const chained = eventAt(r, 4);
    expect(chained.issued_credentials[0]).toMatchObject({
      key: "ASIAQNOAUDITCHAIN001",
      parent_key: "ASIAQNOADMINROLE0001",
      principal: "arn:aws:sts::444455556666:assumed-role/Auditor/alice-audit",
    });

    const ec2 = eventAt(r, 5);
    expect(ec2).toMatchObject({
      actor: { kind_hint: "workload" },
      privileged: false,
      activity: "read",
      src_endpoint: { ip: "10.0.12.34" },
    });
    expect(ec2.resources[0]).toEqual({
      type: "AWS::S3::Object",
      id: "arn:aws:s3:::finance-reports/2025/q1/ledger.csv",
      name: "2025/q1/ledger.csv",
    });

    // Console login through IAM Identity Center: a person, session = the SSO role session.
    const sso = eventAt(r, 6);
    expect(sso).toMatchObject({
      class_uid: 3002,
      activity: "logon",
      status: "success",
      actor: { kind_hint: "human", email: "maria.lopez@example.com" },
      auth: { mfa: false },
      session: { key_type: "aws.role_session" },
    });
    // Root console login, failed, MFA used.
    const root = eventAt(r, 7);
    expect(root).toMatchObject({
      status: "failure",
      status_detail: "Failure: Failed authentication",
      privileged: true,
      actor: { type: "Root", name: null, kind_hint: "human" },
      auth: { mfa: true, factors: ["password", "mfa"] },
      credential: { key: null, kind: "password" },
    });

    expect(toEventRow(attach)).toMatchObject({
      sessionKey: roleSession,
      credentialKey: "ASIAQNOADMINROLE0001",
      targetType: "AWS::IAM::User",
      targetName: "ci-deployer",
      privileged: true,
    });
  });

  it("reads the .json.gz delivery to the same events as the plain file", async () => {
    const gz = await runFile(awsCloudTrail, `${TRAIL}.gz`);
    const plain = await runFile(awsCloudTrail, TRAIL);
    expect(gz.events).toEqual(plain.events);
  });

  it("Event history (lookup-events): parses CloudTrailEvent strings", async () => {
    const r = await runFile(awsCloudTrail, fixturePath("aws-cloudtrail", "lookup-events.json"));
    printResult(r);
    const plain = await runFile(awsCloudTrail, TRAIL);
    const login = eventAt(r, 0);
    expect({ ...login, extra: {} }).toEqual({ ...eventAt(plain, 6), extra: {} });
    expect(login.extra.shape).toBe("event-history");
    const assume = eventAt(r, 1);
    // Event history's ResourceName (an ARN) and requestParameters.roleArn are one resource.
    expect(assume.resources).toEqual([
      { type: "AWS::IAM::Role", id: "arn:aws:iam::111122223333:role/Admin", name: "Admin", role: "related" },
    ]);
    expect(assume.issued_credentials[0].parent_key).toBe("ASIAQNOALICEMFA00001");
    expect(() => awsCloudTrail.normalize({ EventId: "x", CloudTrailEvent: "{not json" }, ctx)).toThrow(/CloudTrailEvent is not valid JSON/);
  });

  // Found by the property test below: an AssumedRole ARN or principalId with an empty last segment named the
  // actor "" (which the event schema rejects) instead of leaving the name unknown.
  it("an ARN or principalId with an empty session segment leaves the session name unknown", () => {
    const base = JSON.parse(fs.readFileSync(TRAIL, "utf8")).Records.find(
      (r: { userIdentity?: { type?: string } }) => r.userIdentity?.type === "AssumedRole",
    );
    for (const ui of [{ arn: "/" }, { arn: "arn:aws:sts::111122223333:assumed-role/Admin/" }, { principalId: "AROAADMINROLEEXAMPLE:" }]) {
      const record = structuredClone(base);
      Object.assign(record.userIdentity, ui);
      const [ev] = awsCloudTrail.normalize(record, ctx);
      expect(ev.actor.name ?? null).not.toBe("");
      expect(ev.actor.login ?? null).not.toBe("");
    }
  });

  // IAM best practices: long-term access keys are for workloads that cannot use roles; an SDK signing with the IAM
  // user's AKIA key is an application running as that user. The CLI, a browser or a temporary key say otherwise.
  it("an IAM user whose long-term key signs an AWS SDK's calls is a service account; the CLI stays unknown", () => {
    const record = (userAgent: string, accessKeyId = "AKIAEXAMPLESDKUSER01") => ({
      eventVersion: "1.10",
      userIdentity: { type: "IAMUser", principalId: "AIDAEXAMPLESDKUSER01", arn: "arn:aws:iam::111122223333:user/svc", accessKeyId },
      eventTime: "2026-11-03T15:00:00Z",
      eventSource: "s3.amazonaws.com",
      eventName: "ListObjects",
      sourceIPAddress: "198.51.100.160",
      userAgent,
      eventID: "e1",
    });
    const kind = (r: unknown) => awsCloudTrail.normalize(r, ctx)[0].actor.kind_hint;
    expect(kind(record("Boto3/1.35.60 md/Botocore#1.35.60 ua/2.0 os/linux lang/python#3.11.10 Botocore/1.35.60"))).toBe("service_account");
    expect(kind(record("aws-sdk-java/2.29.1 Linux/5.15 OpenJDK_64-Bit_Server_VM/17"))).toBe("service_account");
    expect(kind(record("aws-sdk-go-v2/1.32.2 os/linux lang/go#1.23.2 api/s3#1.66.3"))).toBe("service_account");
    expect(kind(record("aws-cli/2.22.0 md/awscrt#0.23.0 ua/2.0 os/linux md/command#s3.ls botocore/2.4.5"))).toBe("unknown");
    expect(kind(record("Mozilla/5.0 (X11; Linux x86_64)"))).toBe("human");
    expect(kind(record("Boto3/1.35.60 Botocore/1.35.60", "ASIAEXAMPLESDKUSER01"))).toBe("unknown");
  });

  // TEAM (aws-samples/iam-identity-center-team): its Grant/Revoke state machines' roles call sso
  // Create/DeleteAccountAssignment; the same call by an administrator is a standing assignment, not JIT.
  it("marks IAM Identity Center assignments made by TEAM as JIT grants", () => {
    const grantRole = "arn:aws:iam::111122223333:role/amplify-teamidc-main-4f2a1-TEAMGrantSMRole-Q1W2E3R4T5Y6";
    const call = (name: string, role: string, session: string) => ({
      eventVersion: "1.08",
      userIdentity: {
        type: "AssumedRole",
        principalId: `AROAQNOTEAMGRANT0001:${session}`,
        arn: `${role.replace(":iam::", ":sts::").replace(":role/", ":assumed-role/")}/${session}`,
        accountId: "111122223333",
        accessKeyId: "ASIAQNOTEAMGRANT0001",
        sessionContext: {
          sessionIssuer: {
            type: "Role",
            principalId: "AROAQNOTEAMGRANT0001",
            arn: role,
            accountId: "111122223333",
            userName: role.split("/").pop(),
          },
          attributes: { creationDate: "2025-03-04T13:04:58Z", mfaAuthenticated: "false" },
        },
        invokedBy: "states.amazonaws.com",
      },
      eventTime: "2025-03-04T13:05:00Z",
      eventSource: "sso.amazonaws.com",
      eventName: name,
      awsRegion: "eu-west-1",
      sourceIPAddress: "states.amazonaws.com",
      userAgent: "states.amazonaws.com",
      requestParameters: {
        instanceArn: "arn:aws:sso:::instance/ssoins-72233af8ea2d1f14",
        targetId: "444455556666",
        targetType: "AWS_ACCOUNT",
        permissionSetArn: "arn:aws:sso:::permissionSet/ssoins-72233af8ea2d1f14/ps-ae5d1fa1f80b684e",
        principalType: "USER",
        principalId: "90676d4a-a0c1-7090-a1b2-c3d4e5f60718",
      },
      responseElements: {
        [name === "CreateAccountAssignment" ? "accountAssignmentCreationStatus" : "accountAssignmentDeletionStatus"]: {
          status: "IN_PROGRESS",
          requestId: "f8604aff-1de0-48ba-b228-f65559e504c1",
          targetId: "444455556666",
        },
      },
      requestID: "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
      eventID: "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f",
      readOnly: false,
      eventType: "AwsApiCall",
      managementEvent: true,
      recipientAccountId: "111122223333",
    });
    const [grant] = awsCloudTrail.normalize(call("CreateAccountAssignment", grantRole, "b1c2d3e4f5a6"), ctx);
    expect(grant.privileged).toBe(true);
    expect(grant.jit).toEqual({
      provider: "aws.identity_center",
      stage: "completed",
      assignment: "TEAM",
      role_id: "arn:aws:sso:::permissionSet/ssoins-72233af8ea2d1f14/ps-ae5d1fa1f80b684e",
      role_name: null,
      principal_id: "90676d4a-a0c1-7090-a1b2-c3d4e5f60718",
      principal_name: null,
      justification: null,
      ticket: null,
      start_time: "2025-03-04T13:05:00.000Z",
      end_time: null,
      request_id: "f8604aff-1de0-48ba-b228-f65559e504c1",
      target_platform: "444455556666",
      approved_by: null,
      revoked_time: null,
    });
    const [revoke] = awsCloudTrail.normalize(
      call("DeleteAccountAssignment", grantRole.replace("TEAMGrantSMRole", "TEAMRevokeSMRole"), "c2d3e4f5a6b7"),
      ctx,
    );
    expect(revoke.jit).toMatchObject({ stage: "removed", start_time: null, end_time: "2025-03-04T13:05:00.000Z" });
    // The same assignment by an administrator's SSO session is a standing assignment: privileged, no jit.
    const [standing] = awsCloudTrail.normalize(
      call(
        "CreateAccountAssignment",
        "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_AdministratorAccess_0123456789abcdef",
        "maria.lopez",
      ),
      ctx,
    );
    expect(standing).toMatchObject({ privileged: true, jit: null });
  });

  it("never crashes on damaged records (fast-check; npm run fuzz runs more)", () => {
    const records = [
      ...(JSON.parse(fs.readFileSync(TRAIL, "utf8")).Records as unknown[]),
      ...(JSON.parse(fs.readFileSync(fixturePath("aws-cloudtrail", "lookup-events.json"), "utf8")).Events as unknown[]),
      synthetic(3),
    ];
    const { normalized, rejected } = assertRobust(awsCloudTrail, records);
    console.log(`aws-cloudtrail robustness: ${normalized} normalized, ${rejected} rejected`);
    expect(normalized).toBeGreaterThan(0);
  });
});

describeSamples("aws-cloudtrail source: public samples", () => {
  const file = samplePath;

  it("Panther rule tests: every record normalized or rejected with a reason", async () => {
    const r = await runFile(awsCloudTrail, file("aws_cloudtrail/panther_rule_tests_aws_cloudtrail.jsonl"));
    printResult(r);
    expect(r.total).toBe(439);
    expect(r.events.length).toBe(422);
    for (const reason of r.rejected.keys()) expect(reason).toMatch(/event time/);
    const all = r.events.map((e) => e.events[0]);
    // AssumeRole by an AWS service: a child key without a parent (no caller key).
    const svc = all.find((e) => e.event_name === "AssumeRole" && e.actor.type === "AWSService")!;
    expect(svc).toMatchObject({ actor: { kind_hint: "system", login: "lambda.amazonaws.com" }, credential: null });
    expect(svc.issued_credentials[0]).toMatchObject({ parent_key: null, kind: "aws_session_key" });
    // A placeholder key equal to its child is not linked to itself.
    for (const e of all) for (const c of e.issued_credentials) expect(c.parent_key).not.toBe(c.key);
    // ConsoleLogin with MFAUsed.
    const mfaLogin = all.find((e) => e.event_name === "ConsoleLogin" && e.extra.mfaIdentifier)!;
    expect(mfaLogin).toMatchObject({
      class_uid: 3002,
      auth: { mfa: true },
      actor: { type: "IAMUser", kind_hint: "human" },
      status: "success",
    });
    // Root actions are privileged.
    expect(all.filter((e) => e.actor.type === "Root").every((e) => e.privileged)).toBe(true);
    // Errors are failures with the error code.
    const denied = all.find((e) => e.extra.errorCode === "AccessDenied");
    if (denied) expect(denied).toMatchObject({ status: "failure", status_detail: expect.stringMatching(/^AccessDenied/) });
  });

  it("threat research trail subset: IAM Identity Center console session", async () => {
    const r = await runFile(awsCloudTrail, file("aws_cloudtrail/panther_threat_research_trail_subset.jsonl"));
    printResult(r);
    expect(r.rejected.size).toBe(0);
    const login = r.events.map((e) => e.events[0]).find((e) => e.event_name === "ConsoleLogin")!;
    expect(login).toMatchObject({
      actor: { kind_hint: "human", login: "nicholas.hakmiller" },
      credential: { key: "ASIASXP6SDP2HUZY3TOB", kind: "aws_session_key" },
      session: {
        key: "arn:aws:sts::187901811700:assumed-role/AWSReservedSSO_DevAdmin_635426549a280cc6/nicholas.hakmiller|2024-06-02T19:41:40Z",
      },
      src_endpoint: { ip: "73.252.165.138" },
    });
  });

  it("scenario files: CloudTrail parts of the stories", async () => {
    for (const name of [
      "panther_scenario__compromised-root-creds__attacker_cloudtrail.jsonl",
      "panther_scenario__compromised-root-creds__victim_cloudtrail.jsonl",
      "panther_scenario__enrichment-example__attacker_cloudtrail.jsonl",
      "panther_scenario__enrichment-example__victim_cloudtrail.jsonl",
    ]) {
      const r = await runFile(awsCloudTrail, file(`scenarios/${name}`));
      printResult(r);
      expect(r.rejected.size, name).toBe(0);
    }
    const attacker = await runFile(awsCloudTrail, file("scenarios/panther_scenario__compromised-root-creds__attacker_cloudtrail.jsonl"));
    const logins = attacker.events.map((e) => e.events[0]).filter((e) => e.event_name === "ConsoleLogin");
    expect(logins.length).toBeGreaterThan(0);
    expect(logins.every((e) => e.actor.type === "Root" && e.src_endpoint.ip === "92.55.146.245")).toBe(true);
  });
});
