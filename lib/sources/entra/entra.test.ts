import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { toEventRow } from "@/lib/events/schema";
import { entra as synthetic } from "../../../scripts/bench/synthetic";
import { NormalizeError } from "../types";
import { assertRobust, describeSamples, eventAt, fixturePath, printResult, runFile, samplePath, risksOf } from "../testing/samples";
import { entra } from "./index";

const fx = (name: string) => fixturePath("entra", name);
const ctx = { fileName: "t.json", position: 0 };

describe("entra source: own fixtures (Graph pages, Azure Monitor records)", () => {
  it("Graph sign-ins: interactive, non-interactive, service principal, managed identity", async () => {
    const r = await runFile(entra, fx("graph-signins-page.json"));
    printResult(r);
    expect(r.total).toBe(4);
    expect(r.rejected.size).toBe(0);

    const interactive = eventAt(r, 0);
    expect(interactive).toMatchObject({
      class_uid: 3002,
      activity: "logon",
      event_name: "SignInLogs",
      status: "success",
      native_id: "66ea54eb-6301-4ee5-be62-ff5a759b8100",
      correlation_id: "d79f5bee-5860-4832-928f-3133e22ae912",
      actor: {
        external_id: "d7cc485d-2c1b-422c-98fd-5ce52859a4a3",
        name: "Maria Lopez",
        email: "maria.lopez@example.com",
        type: "interactiveUser",
        kind_hint: "human",
      },
      session: { key: "0c7e1d3a-94b6-4a6e-8b5e-2f1a9c8d7e6f", key_type: "entra.sessionId" },
      // What the sign-in presented (the password step) and the token it issued (uniqueTokenIdentifier).
      credential: { key: null, kind: "password", native_type: "Password" },
      issued_credentials: [
        {
          key: "ZTE3ZmM0ZDctMWJhZC00YjFhLWEwZjEtMmQ4Njc3ZDVjZTAx",
          key_type: "entra.unique_token_identifier",
          kind: "access_token",
          parent_key: null,
        },
      ],
      client: { app_id: "de8bc8b5-d9f9-48b1-a8ad-b748da725064", app_name: "Graph Explorer" },
      src_endpoint: { ip: "203.0.113.24", location: { city: "Lisbon", country: "PT" } },
      auth: { factors: ["Password", "Mobile app notification"], mfa: true },
      resources: [{ type: "resource", id: "00000003-0000-0000-c000-000000000000", name: "Microsoft Graph" }],
    });
    expect(interactive.policy).toEqual({
      engine: "entra.conditional_access",
      result: "success",
      policy_name: "Require MFA for all users",
      rule_name: null,
      applied: [
        { id: "3f2b8c6d-0a1e-4e5f-9d7c-6b5a4c3d2e1f", name: "Require MFA for all users", result: "success" },
        { id: "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d", name: "Block legacy authentication", result: "notApplied" },
      ],
      decision_id: null,
      path: null,
    });

    const refresh = eventAt(r, 1);
    expect(refresh).toMatchObject({
      event_name: "NonInteractiveUserSignInLogs",
      actor: { kind_hint: "human" },
      session: { key: interactive.session!.key },
    });
    expect(refresh.extra.incomingTokenType).toBe("refreshToken");

    const sp = eventAt(r, 2);
    expect(sp).toMatchObject({
      event_name: "ServicePrincipalSignInLogs",
      actor: {
        external_id: "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
        name: "nightly-export",
        type: "servicePrincipal",
        kind_hint: "workload",
      },
      // The client secret presented; the token it obtained is issued with the secret as parent.
      credential: { key: "9c8b7a6f-5e4d-4c3b-a291-8f7e6d5c4b3a", key_type: "entra.sp_credential_key_id", kind: "sp_secret" },
      issued_credentials: [
        {
          key: "c3AtdG9rZW4taWQtZXhwb3J0LTAwMDE",
          kind: "access_token",
          parent_key: "9c8b7a6f-5e4d-4c3b-a291-8f7e6d5c4b3a",
          parent_key_type: "entra.sp_credential_key_id",
        },
      ],
      session: null,
    });

    const mi = eventAt(r, 3);
    expect(mi).toMatchObject({
      event_name: "ManagedIdentitySignInLogs",
      actor: { type: "managedIdentity", kind_hint: "workload" },
      src_endpoint: { ip: null },
    });
  });

  it("Graph directory audits: PIM activation marked as a JIT grant; group membership", async () => {
    const r = await runFile(entra, fx("graph-directory-audits-page.json"));
    printResult(r);
    expect(r.rejected.size).toBe(0);
    const pim = eventAt(r, 0);
    expect(pim).toMatchObject({
      class_uid: 3005,
      activity: "assign_privileges",
      event_name: "Add member to role completed (PIM activation)",
      privileged: true,
      status: "success",
      credential: { key: "f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b", key_type: "entra.pim_request_id", kind: "jit_grant" },
      actor: { external_id: "d7cc485d-2c1b-422c-98fd-5ce52859a4a3", kind_hint: "human" },
      src_endpoint: { ip: "203.0.113.24" },
      correlation_id: "4c3b2a1f-0e9d-4c8b-a7f6-e5d4c3b2a1f0",
    });
    expect(pim.jit).toEqual({
      provider: "entra.pim",
      stage: "completed",
      assignment: "PIM activation",
      role_id: "62e90394-69f5-4237-9190-012177145e10",
      role_name: "Global Administrator",
      principal_id: "d7cc485d-2c1b-422c-98fd-5ce52859a4a3",
      principal_name: "Maria Lopez",
      justification: "Investigating INC-4821",
      ticket: "ServiceNow:INC-4821",
      start_time: "2025-03-04T11:00:04.0483335Z",
      end_time: "2025-03-04T13:00:04.0483335Z",
      request_id: "f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b",
      target_platform: null,
      approved_by: null,
      revoked_time: null,
    });
    const group = eventAt(r, 1);
    expect(group).toMatchObject({
      class_uid: 3006,
      activity: "add_user",
      actor: { type: "app", kind_hint: "workload", external_id: "7c6b5a4f-3e2d-4c1b-a098-f7e6d5c4b3a2" },
      jit: null,
      credential: null,
    });
    expect(group.resources.map((x) => x.type)).toEqual(["User", "Group"]);
    // A target user's userPrincipalName is its alternate_id when the displayName is its name (Maria Lopez); with no
    // displayName the UPN is the name and is not repeated.
    expect(pim.resources).toEqual([
      { type: "Role", id: "62e90394-69f5-4237-9190-012177145e10", name: "Global Administrator" },
      { type: "Request", id: "f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b", name: "e2d4b5a6-c7d8-4e9f-a0b1-c2d3e4f5a6b7" },
      { type: "User", id: "d7cc485d-2c1b-422c-98fd-5ce52859a4a3", name: "Maria Lopez", alternate_id: "maria.lopez@example.com" },
    ]);
    expect(group.resources[0]).toEqual({ type: "User", id: "d7cc485d-2c1b-422c-98fd-5ce52859a4a3", name: "maria.lopez@example.com" });
  });

  it("Azure Monitor records: failed legacy sign-in blocked by Conditional Access; AuditLogs line = the Graph event", async () => {
    const s = await runFile(entra, fx("azure-monitor-signinlogs.json"));
    printResult(s);
    const failed = eventAt(s, 0);
    expect(failed).toMatchObject({
      event_name: "SignInLogs",
      status: "failure",
      status_detail: "50126: Error validating credentials due to invalid username or password.",
      session: null, // sessionId "" is not a key
      credential: null,
      user_agent: "BAV2ROPC",
      policy: { result: "failure", policy_name: "Block legacy authentication" },
      auth: { protocol: "ropc", mfa: null },
    });
    expect(failed.time.toISOString()).toBe("2025-03-04T12:13:58.123Z"); // createdDateTime, not the export time

    const a = await runFile(entra, fx("azure-monitor-auditlogs.ndjson"));
    printResult(a);
    const graph = eventAt(await runFile(entra, fx("graph-directory-audits-page.json")), 0);
    const monitor = eventAt(a, 0);
    expect({ ...monitor, extra: {} }).toEqual({ ...graph, extra: {} });
    expect(monitor.extra.shape).toBe("azure-monitor");
    expect(toEventRow(monitor)).toMatchObject({
      classUid: 3005,
      credentialKey: "f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b",
      targetType: "Role",
      targetName: "Global Administrator",
      privileged: true,
    });
  });

  it("refuses Microsoft 365 Unified Audit Log records, saying where they belong", async () => {
    const r = await runFile(entra, fx("m365-unified-audit-log.json"));
    printResult(r);
    expect([...r.rejected.keys()]).toEqual([
      "Microsoft 365 Unified Audit Log record (Workload Exchange, RecordType 50): belongs to the Microsoft 365 (m365) source, not to Entra ID sign-in/audit logs",
    ]);
    expect(() => entra.normalize({ category: "ProvisioningLogs", properties: {} }, ctx)).toThrow(/category ProvisioningLogs/);
    expect(() => entra.normalize({ hello: "world" }, ctx)).toThrow(NormalizeError);
  });

  it("keeps MFA performed apart from MFA required, shows Entra's risk, and types workload categories by the log", () => {
    const ctx = { fileName: "x.json", position: 0 };
    const props = {
      id: "s1",
      createdDateTime: "2025-03-04T08:00:00Z",
      userId: "u1",
      userPrincipalName: "eve@example.com",
      userType: "Member",
      status: { errorCode: 0 },
      authenticationRequirement: "multiFactorAuthentication",
      authenticationDetails: [
        { authenticationMethod: "Password", succeeded: true, authenticationStepRequirement: "primaryAuthentication" },
      ],
      riskLevelDuringSignIn: "high",
      riskState: "atRisk",
      riskEventTypes_v2: ["unfamiliarFeatures"],
    };
    const [user] = entra.normalize({ time: "2025-03-04T08:00:00Z", category: "SignInLogs", properties: props }, ctx);
    expect(user.auth?.mfa).toBe(false); // required by policy, but only a password step was performed
    expect(user.extra).toMatchObject({ mfa_required: true });
    expect(user.risk).toEqual({
      signal: "entra.sign_in_risk",
      label: "Entra sign-in risk",
      vendor_level: "high",
      vendor_state: "atRisk",
      reasons: ["unfamiliarFeatures"],
      severity: "high",
    });
    // A record of the service-principal sign-in log is a workload whatever its user fields say.
    const [sp] = entra.normalize(
      {
        time: "2025-03-04T08:00:00Z",
        category: "ServicePrincipalSignInLogs",
        properties: { ...props, servicePrincipalId: "sp1", signInEventTypes: ["interactiveUser"] },
      },
      ctx,
    );
    expect(sp.actor).toMatchObject({ kind_hint: "workload", external_id: "sp1" });
    expect(sp.auth?.mfa ?? null).toBeNull();
    // So is a record of the managed-identity sign-in log, even when it carries a member user type.
    const [mi] = entra.normalize(
      {
        time: "2025-03-04T08:00:00Z",
        category: "ManagedIdentitySignInLogs",
        properties: { ...props, userType: "Member", servicePrincipalId: "mi1", signInEventTypes: ["interactiveUser"] },
      },
      ctx,
    );
    expect(mi.actor).toMatchObject({ kind_hint: "workload", external_id: "mi1" });
  });

  it("never crashes on damaged records (fast-check; npm run fuzz runs more)", () => {
    const records = [
      ...(JSON.parse(fs.readFileSync(fx("graph-signins-page.json"), "utf8")).value as unknown[]),
      ...(JSON.parse(fs.readFileSync(fx("graph-directory-audits-page.json"), "utf8")).value as unknown[]),
      ...(JSON.parse(fs.readFileSync(fx("azure-monitor-signinlogs.json"), "utf8")).records as unknown[]),
      JSON.parse(fs.readFileSync(fx("azure-monitor-auditlogs.ndjson"), "utf8")),
      synthetic(1),
    ];
    const { normalized, rejected } = assertRobust(entra, records);
    console.log(`entra robustness: ${normalized} normalized, ${rejected} rejected`);
    expect(normalized).toBeGreaterThan(0);
  });
});

describeSamples("entra source: public samples", () => {
  it("entra_m365: every Entra record normalized; every M365 UAL record refused with the reason", async () => {
    const r = await runFile(entra, samplePath("entra_m365/panther_rule_tests_entra_m365.jsonl"));
    printResult(r);
    expect(r.total).toBe(65);
    expect(r.events).toHaveLength(46); // the 46 Azure.Audit records (Entra sign-in and audit logs)
    let refused = 0;
    for (const [reason, positions] of r.rejected) {
      expect(reason).toMatch(/^Microsoft 365 Unified Audit Log record .*belongs to the Microsoft 365 \(m365\) source/);
      refused += positions.length;
    }
    expect(refused).toBe(19);

    const byTest = (pos: number) => eventAt(r, pos);
    // Service principal sign-in with servicePrincipalCredentialKeyId (line 13 of the file).
    const sp = r.events
      .map((e) => e.events[0])
      .find((e) => e.extra.servicePrincipalCredentialKeyId === "2afc776a-4e79-4588-b2ad-f62c94d6bea8")!;
    expect(sp).toMatchObject({
      actor: { kind_hint: "workload", type: "servicePrincipal", name: "very-normal-service-principal" },
      credential: { key: "2afc776a-4e79-4588-b2ad-f62c94d6bea8", key_type: "entra.sp_credential_key_id" },
      issued_credentials: [{ key: "CXXXXXXXXXXXXXXXXXXXXX", parent_key: "2afc776a-4e79-4588-b2ad-f62c94d6bea8" }],
    });
    // Non-interactive sign-in with a sessionId (Graph session key).
    const ni = byTest(14);
    expect(ni).toMatchObject({
      event_name: "NonInteractiveUserSignInLogs",
      session: { key: "00baf379-e510-523f-1c0e-346163d4a768", key_type: "entra.sessionId" },
    });
    // Legacy-auth sign-in: single factor, Conditional Access not applied.
    expect(byTest(22)).toMatchObject({
      auth: { factors: ["Password"], mfa: false },
      policy: { result: "notApplied" },
      client: { app_name: "Office 365 Exchange Online" },
    });
    // PIM assignment (permanent, not an activation): a JIT record but no jit_grant credential.
    const pim = byTest(37);
    expect(pim).toMatchObject({
      jit: { stage: "completed", assignment: "permanent", role_name: "Application Administrator", principal_name: "Malenia" },
      credential: null,
      privileged: true,
    });
    expect(byTest(38)).toMatchObject({ activity: "request_privileges", jit: { stage: "requested" } });
    // Conditional Access policy change: privileged audit event.
    expect(byTest(24)).toMatchObject({
      event_name: "Update conditional access policy",
      privileged: true,
      actor: { email: "denethor@lotr.com" },
    });
    // A user target with a displayName: its userPrincipalName is kept as alternate_id; the name stays the displayName.
    const former = r.events.map((e) => e.events[0]).find((e) => e.resources.some((x) => x.id === "user-former-888"))!;
    expect(former.resources).toContainEqual({
      type: "User",
      id: "user-former-888",
      name: "Former Employee",
      alternate_id: "former@company.com",
    });
    expect(toEventRow(former)).toMatchObject({ targetName: "Former Employee" });
    // Failed sign-in with lockout code.
    expect(byTest(8)).toMatchObject({ status: "failure", status_detail: expect.stringMatching(/^50053: /) });
  });
});

describe("vendor risk signal", () => {
  it("keeps Entra's sign-in risk (riskLevelDuringSignIn / riskLevelAggregated, riskState, riskEventTypes_v2, riskDetail) in the risk field", async () => {
    expect(await risksOf(entra, "entra", "risk-signals-signins.json")).toEqual([
      [
        "SignInLogs",
        {
          signal: "entra.sign_in_risk",
          label: "Entra sign-in risk",
          vendor_level: "high",
          vendor_state: "atRisk",
          reasons: ["unfamiliarFeatures", "anonymizedIPAddress"],
          severity: "high",
        },
      ],
      [
        "SignInLogs",
        {
          signal: "entra.sign_in_risk",
          label: "Entra sign-in risk",
          vendor_level: "medium",
          vendor_state: "confirmedCompromised",
          reasons: ["leakedCredentials", "adminConfirmedUserCompromised"],
          severity: "critical",
        },
      ],
      ["SignInLogs", null],
    ]);
  });
  it("reads the signal from a Log Analytics / Sentinel SigninLogs row too (RiskEventTypes_V2 as JSON text)", async () => {
    const rows = JSON.parse(fs.readFileSync("lib/sources/entra/conformance/records.4-signins-log-analytics.json", "utf8")) as Record<
      string,
      unknown
    >[];
    const row = { ...rows[0], RiskLevelDuringSignIn: "medium", RiskLevelAggregated: "high", RiskState: "atRisk" };
    const [e] = entra.normalize(
      { ...row, RiskEventTypes_V2: '["unfamiliarFeatures","anonymizedIPAddress"]' },
      { fileName: "SigninLogs.json", position: 0 },
    );
    expect(e.risk).toMatchObject({
      vendor_level: "medium",
      vendor_state: "atRisk",
      reasons: ["unfamiliarFeatures", "anonymizedIPAddress"],
      severity: "medium",
    });
  });
});
