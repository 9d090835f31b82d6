import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { parseNormalizedEvent, toEventRow } from "@/lib/events/schema";
import { okta as synthetic } from "../../../scripts/bench/synthetic";
import { NormalizeError } from "../types";
import { assertRobust, describeSamples, eventAt, fixturePath, printResult, runFile, samplePath, risksOf } from "../testing/samples";
import { okta } from "./index";

const PAGE = fixturePath("okta", "okta-system-log-page.json");
const NDJSON = fixturePath("okta", "okta-system-log.ndjson");

describe("okta source: own fixtures (API page and NDJSON)", () => {
  it("normalizes every record of the API page with sessions, credentials, policy and kinds", async () => {
    const r = await runFile(okta, PAGE);
    printResult(r);
    expect(r.total).toBe(6);
    expect(r.rejected.size).toBe(0);

    const login = eventAt(r, 0);
    expect(login).toMatchObject({
      platform: "okta",
      class_uid: 3002,
      class_name: "Authentication",
      activity: "logon",
      event_name: "user.session.start",
      status: "success",
      native_id: "5f0e1a2b-f8a1-11ef-9a11-0b1c2d3e4f50",
      correlation_id: "Z8a1b2c3d4e5f6a7b8c9d0e1",
      session: { key: "idxSessA1b2C3d4E5f6G7h8", key_type: "okta.externalSessionId", root_key: "idxRootSess9Kq2mP0wT3vX7" },
      credential: { key: null, kind: "password", native_type: "PASSWORD" },
      actor: {
        external_id: "00u1a2b3c4d5e6f7g8h9",
        name: "Maria Lopez",
        email: "maria.lopez@example.com",
        type: "User",
        kind_hint: "human",
      },
      src_endpoint: { ip: "203.0.113.24", location: { city: "Lisbon", country: "Portugal" } },
      privileged: false,
      policy: null,
    });
    expect(login.time.toISOString()).toBe("2025-03-04T08:15:02.114Z");
    expect(login.extra.dtHash).toBe("4f1c9e0d2b3a");

    const policy = eventAt(r, 1);
    expect(policy.policy).toEqual({
      engine: "okta.sign_on_policy",
      result: "ALLOW",
      policy_name: "Default Policy",
      rule_name: "Require MFA off-network",
      applied: [{ id: "0pr1sonrule00000001", name: "Require MFA off-network", result: "ALLOW" }],
      decision_id: null,
      path: null,
    });
    // Same sign-in: same session key and transaction as the login.
    expect(policy.session?.key).toBe(login.session?.key);
    expect(policy.correlation_id).toBe(login.correlation_id);

    const grant = eventAt(r, 2);
    expect(grant).toMatchObject({ class_uid: 3005, activity: "assign_privileges", privileged: true });
    // The target's alternateId (her login) is kept beside the display name: tickets name users by login.
    expect(grant.resources[0]).toEqual({
      type: "User",
      id: "00u1a2b3c4d5e6f7g8h9",
      name: "Maria Lopez",
      alternate_id: "maria.lopez@example.com",
    });

    // An SSWS API token acting as its user: credential = the token, no session ("unknown" is not a key).
    const viaToken = eventAt(r, 3);
    expect(viaToken).toMatchObject({
      session: null,
      credential: { key: "00T1apitoken00000c3", key_type: "okta.api_token_id", kind: "api_token" },
      actor: { kind_hint: "api_token", type: "User" },
      user_agent: "okta-sdk-python/2.9.2 python/3.11.7 Linux/6.1.0",
    });

    const clientCreds = eventAt(r, 4);
    expect(clientCreds).toMatchObject({
      class_uid: 3002,
      activity: "token_grant",
      actor: { type: "PublicClientApp", kind_hint: "oauth_app" },
      client: { app_id: "0oa1svcclient00000d4", app_name: "Reporting Service" },
      // The client acts with its own registration (client.id); issuing a token is not itself a privileged change.
      credential: { key: "0oa1svcclient00000d4", key_type: "okta.client_id", kind: "oauth_app", native_type: "client_credentials" },
      privileged: false,
    });

    const system = eventAt(r, 5);
    expect(system).toMatchObject({
      actor: { type: "SystemPrincipal", kind_hint: "system" },
      src_endpoint: { ip: null },
      user_agent: null,
      client: null,
    });

    const row = toEventRow(login);
    expect(row).toMatchObject({
      platform: "okta",
      classUid: 3002,
      sessionKey: "idxSessA1b2C3d4E5f6G7h8",
      srcIp: "203.0.113.24",
      actorExternalId: "00u1a2b3c4d5e6f7g8h9",
      nativeId: login.native_id,
    });
    expect(row.data.time).toBe("2025-03-04T08:15:02.114Z");
  });

  it("reads the NDJSON export to the same events as the API page", async () => {
    const lines = await runFile(okta, NDJSON);
    const page = await runFile(okta, PAGE);
    expect(lines.events.map((e) => e.events)).toEqual(page.events.slice(0, 3).map((e) => e.events));
  });

  it("rejects what is not an Okta event, with a reason", () => {
    expect(() => okta.normalize({ action: "repo.create" }, { fileName: "x", position: 0 })).toThrow(NormalizeError);
    expect(() => okta.normalize({ eventType: "user.session.start" }, { fileName: "x", position: 0 })).toThrow(/published is missing/);
    expect(() => okta.normalize({ eventType: "user.session.start", published: "yesterday" }, { fileName: "x", position: 0 })).toThrow(
      /unreadable event time/,
    );
    expect(() => okta.normalize([1, 2], { fileName: "x", position: 0 })).toThrow(/not a JSON object/);
  });

  // Okta Identity Governance access requests (event types of Okta's catalog; target types as the request,
  // requester and requested group): the request and its fulfilment are JIT stages.
  it("marks access requests (access.request.create / resolve) as JIT grants", () => {
    const resolve = {
      uuid: "7f0c1c2e-fa11-11ef-9b2a-2b3c4d5e6f70",
      published: "2025-03-04T12:41:09.512Z",
      eventType: "access.request.resolve",
      displayMessage: "Access request resolved",
      severity: "INFO",
      actor: { id: "00u1dmitri0000000697", type: "User", alternateId: "dmitri.ivanov@example.com", displayName: "Dmitri Ivanov" },
      outcome: { result: "SUCCESS" },
      transaction: { type: "JOB", id: "a1b2c3d4e5f6" },
      target: [
        { id: "00u1maria00000000697", type: "User", alternateId: "maria.lopez@example.com", displayName: "Maria Lopez" },
        { id: "00g1awsadmins0000697", type: "UserGroup", alternateId: "unknown", displayName: "AWS Admins (time-bound)" },
        { id: "req1a2b3c4d5e6f70697", type: "AccessRequest", alternateId: "unknown", displayName: "AWS Admins for CHG0030017" },
      ],
    };
    const [done] = okta.normalize(resolve, { fileName: "x", position: 0 });
    expect(done).toMatchObject({ class_uid: 3005, activity: "assign_privileges", privileged: true });
    expect(done.jit).toEqual({
      provider: "okta.access_request",
      stage: "completed",
      assignment: null,
      role_id: "00g1awsadmins0000697",
      role_name: "AWS Admins (time-bound)",
      principal_id: "00u1maria00000000697",
      principal_name: "Maria Lopez",
      justification: null,
      ticket: null,
      start_time: null,
      end_time: null,
      request_id: "req1a2b3c4d5e6f70697",
      target_platform: null,
      approved_by: "dmitri.ivanov@example.com",
      revoked_time: null,
    });
    const [requested] = okta.normalize(
      { ...resolve, eventType: "access.request.create", actor: resolve.target[0] },
      { fileName: "x", position: 0 },
    );
    expect(requested).toMatchObject({ activity: "request_privileges", privileged: false, jit: { stage: "requested", approved_by: null } });
    const [expired] = okta.normalize({ ...resolve, eventType: "access.request.expire" }, { fileName: "x", position: 0 });
    expect(expired.jit).toMatchObject({ stage: "other", approved_by: null });
    // Settings of the feature, and plain group membership changes, are no grants.
    expect(okta.normalize({ ...resolve, eventType: "access.request.settings.update" }, { fileName: "x", position: 0 })[0].jit).toBeNull();
    expect(okta.normalize({ ...resolve, eventType: "group.user_membership.add" }, { fileName: "x", position: 0 })[0].jit).toBeNull();
  });

  it("keeps a target's alternateId (a user's login) as its alternate_id, but not Okta's \"unknown\" or a copy of the name", () => {
    // Targets as Okta's System Log writes them (LogTarget: id, type, alternateId, displayName, detailEntry).
    const [e] = okta.normalize(
      {
        uuid: "9b3e2f10-fb22-11ef-8c3d-3c4d5e6f7a80",
        published: "2025-03-05T09:12:44.201Z",
        eventType: "user.account.privilege.grant",
        displayMessage: "Grant user privilege",
        severity: "INFO",
        actor: { id: "00u1dmitri0000000697", type: "User", alternateId: "dmitri.ivanov@example.com", displayName: "Dmitri Ivanov" },
        outcome: { result: "SUCCESS" },
        debugContext: { debugData: { privilegeGranted: "Help Desk administrator" } },
        transaction: { type: "WEB", id: "Zb3e2f10fb2211ef" },
        target: [
          { id: "00u1jdoe000000000697", type: "User", alternateId: "JDoe@Example.com", displayName: "John Doe", detailEntry: null },
          { id: "0oa1console00000697", type: "AppInstance", alternateId: "Okta Admin Console", displayName: "Okta Admin Console" },
          { id: "00T1token000000697", type: "Token", alternateId: "unknown", displayName: "ci-token", detailEntry: null },
          { id: "00u1nodisplay0000697", type: "User", alternateId: "nodisplay@example.com" },
        ],
      },
      { fileName: "x", position: 0 },
    );
    expect(e.resources).toEqual([
      { type: "User", id: "00u1jdoe000000000697", name: "John Doe", alternate_id: "JDoe@Example.com" }, // verbatim
      { type: "AppInstance", id: "0oa1console00000697", name: "Okta Admin Console" },
      { type: "Token", id: "00T1token000000697", name: "ci-token" },
      { type: "User", id: "00u1nodisplay0000697", name: "nodisplay@example.com" }, // the login is already the name
    ]);
    expect(parseNormalizedEvent(e).resources[0].alternate_id).toBe("JDoe@Example.com");
    // The target columns of the event table are unchanged: the name stays the display name.
    expect(toEventRow(e)).toMatchObject({ targetType: "User", targetId: "00u1jdoe000000000697", targetName: "John Doe" });
  });

  it("shows Okta's risk signals, records push/WebAuthn factors as MFA, and drops placeholder addresses", () => {
    const base = {
      published: "2025-01-01T00:00:00Z",
      actor: { id: "00u1", type: "User", alternateId: "a@example.com" },
      outcome: { result: "SUCCESS" },
    };
    const [risky] = okta.normalize(
      {
        ...base,
        uuid: "r1",
        eventType: "user.session.start",
        client: { ipAddress: "0.0.0.0" },
        debugContext: {
          debugData: {
            risk: "{reasons=Anomalous Device, Anomalous Location, level=HIGH}",
            behaviors: "{New Geo-Location=POSITIVE, New Device=NEGATIVE}",
          },
        },
      },
      { fileName: "x.json", position: 0 },
    );
    // The behavior Okta marked NEGATIVE did not fire: only New Geo-Location joins Okta's reasons.
    expect(risky.risk).toEqual({
      signal: "okta.risk",
      label: "Okta risk",
      vendor_level: "HIGH",
      vendor_state: null,
      reasons: ["Anomalous Device", "Anomalous Location", "New Geo-Location"],
      severity: "high",
    });
    expect(risky.src_endpoint.ip).toBeNull();
    const [push] = okta.normalize(
      {
        ...base,
        uuid: "r2",
        eventType: "user.authentication.auth_via_mfa",
        authenticationContext: { credentialProvider: "OKTA_CREDENTIAL_PROVIDER" },
        debugContext: { debugData: { factor: "OKTA_VERIFY_PUSH" } },
      },
      { fileName: "x.json", position: 1 },
    );
    expect(push).toMatchObject({
      credential: { kind: "mfa" },
      auth: { factors: ["OKTA_VERIFY_PUSH"], mfa: true, protocol: null },
      extra: { credentialProvider: "OKTA_CREDENTIAL_PROVIDER" },
    });
  });

  it("never crashes on damaged records (fast-check; npm run fuzz runs more)", () => {
    const records = [...(JSON.parse(fs.readFileSync(PAGE, "utf8")) as unknown[]), synthetic(1)];
    const { normalized, rejected } = assertRobust(okta, records);
    console.log(`okta robustness: ${normalized} normalized, ${rejected} rejected`);
    expect(normalized).toBeGreaterThan(0);
  });
});

describeSamples("okta source: public samples", () => {
  const file = samplePath;

  it("OpenAPI ListLogs example: rootSessionId and the sign-in session", async () => {
    const r = await runFile(okta, file("okta/okta_openapi_ListLogs_example.json"));
    printResult(r);
    expect(r.events).toHaveLength(1);
    expect(eventAt(r, 0)).toMatchObject({
      session: { key: "idxBager62CSveUkTxvgRtonA", root_key: "idxBager62CSveUkTxvgRtonA" },
      client: { app_id: "0oatxlef9sQvvqInq5d6", app_name: "Okta Admin Console" },
      src_endpoint: { ip: "10.0.0.1" },
    });
  });

  it("Panther rule tests: every record normalized or rejected with a reason", async () => {
    const r = await runFile(okta, file("okta/panther_rule_tests_okta.jsonl"));
    printResult(r);
    expect(r.total).toBe(51);
    expect(r.events.length).toBe(45);
    // The rejected ones are hand-written stubs without a usable event time.
    for (const reason of r.rejected.keys()) expect(reason).toMatch(/event time/);

    // Lower-cased keys (authenticationcontext, eventtype …) are read like the documented ones.
    const challenge = r.events.find((e) => e.events[0].event_name === "policy.evaluate_sign_on")!.events[0];
    expect(challenge).toMatchObject({
      status: "unknown",
      policy: { engine: "okta.sign_on_policy", result: "CHALLENGE" },
      session: { key: "100-abc-9999" },
    });
    const publicClient = r.events.find((e) => e.events[0].actor.type === "PublicClientApp")!.events[0];
    expect(publicClient.actor.kind_hint).toBe("oauth_app");
    expect(publicClient.client).toEqual({ app_id: "okta.1234", app_name: null });
    const threat = r.events.find((e) => e.events[0].event_name === "security.threat.detected")!.events[0];
    expect(threat).toMatchObject({ class_uid: 2004, actor: { type: "IP address", kind_hint: "unknown" }, session: null });
    const adminGrant = r.events.find((e) => e.events[0].event_name === "user.account.privilege.grant")!.events[0];
    expect(adminGrant).toMatchObject({ privileged: true, class_uid: 3005, time: new Date("2020-11-25T21:27:03.496Z") });
  });

  it("scenario files: okta logins of the compromised-root-creds and add-administrator stories", async () => {
    for (const name of [
      "panther_scenario__compromised-root-creds__victim_okta.jsonl",
      "panther_scenario__compromised-root-creds__attacker_okta.jsonl",
      "panther_scenario__okta-add-administrator__legit_login.jsonl",
      "panther_scenario__okta-add-administrator__brute_force_logins.jsonl",
      "panther_scenario__okta-add-administrator__new-user.jsonl",
      "panther_scenario__okta-add-administrator__admin_privs_assigned.jsonl",
    ]) {
      const r = await runFile(okta, file(`scenarios/${name}`));
      printResult(r);
      expect(r.rejected.size, name).toBe(0);
    }
    const brute = await runFile(okta, file("scenarios/panther_scenario__okta-add-administrator__brute_force_logins.jsonl"));
    expect(brute.events.every((e) => e.events[0].actor.kind_hint === "human")).toBe(true);
    expect(brute.events.some((e) => e.events[0].status === "failure")).toBe(true);
  });
});

describe("vendor risk signal", () => {
  it("keeps Okta's risk and behavior detections (System Log debugContext.debugData risk / behaviors, ThreatInsight) in the risk field", async () => {
    expect(await risksOf(okta, "okta", "risk-signals.json")).toEqual([
      [
        "policy.evaluate_sign_on",
        {
          signal: "okta.risk",
          label: "Okta risk",
          vendor_level: "HIGH",
          vendor_state: null,
          reasons: [
            "Anomalous Geo-Distance",
            "Anomalous Device",
            "New Geo-Location",
            "New Device",
            "New IP",
            "New State",
            "New Country",
            "Velocity",
            "New City",
          ],
          severity: "high",
        },
      ],
      [
        "user.session.start",
        {
          signal: "okta.risk",
          label: "Okta risk",
          vendor_level: "HIGH",
          vendor_state: null,
          reasons: [
            "Anomalous Geo-Distance",
            "Anomalous Device",
            "New Geo-Location",
            "New Device",
            "New IP",
            "New State",
            "New Country",
            "Velocity",
            "New City",
          ],
          severity: "high",
        },
      ],
      [
        "user.session.start",
        {
          signal: "okta.behavior",
          label: "Okta behavior detection",
          vendor_level: null,
          vendor_state: null,
          reasons: ["New Device"],
          severity: "low",
        },
      ],
      [
        "security.threat.detected",
        {
          signal: "okta.threat",
          label: "Okta threat detection",
          vendor_level: null,
          vendor_state: null,
          reasons: ["Password Spray"],
          severity: "medium",
        },
      ],
    ]);
  });
});
