import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { toEventRow } from "@/lib/events/schema";
import { assertRobust, describeSamples, fixturePath, printResult, runFile, samplePath, risksOf } from "../testing/samples";
import { googleWorkspace } from "./index";

const PAGE = fixturePath("google-workspace", "reports-activities-2025-03-04.json");

describe("google-workspace source: own fixtures (Reports API activities page)", () => {
  it("one event per events[] entry, with OAuth grants, impersonation, documents and privilege", async () => {
    const r = await runFile(googleWorkspace, PAGE);
    printResult(r);
    expect(r.total).toBe(9);
    expect(r.rejected.size).toBe(0);
    const all = r.events.flatMap((e) => e.events);
    expect(all).toHaveLength(10); // the drive activity holds two events

    const login = all[0];
    expect(login).toMatchObject({
      platform: "google-workspace",
      class_uid: 3002,
      activity: "logon",
      event_name: "login_success",
      status: "success",
      session: null, // Google writes no session id
      user_agent: null,
      actor: {
        external_id: "104552119850378466012",
        login: "maria.lopez@example.com",
        email: "maria.lopez@example.com",
        type: "USER",
        kind_hint: "human",
      },
      auth: { factors: ["password", "google_authenticator"], mfa: true, protocol: "google_password" },
      src_endpoint: { ip: "203.0.113.24", location: { country: "PT", region: "PT-11", city: null } },
      correlation_id: "-4401882350918287712",
    });
    expect(login.time.toISOString()).toBe("2025-03-04T08:15:02.114Z");

    const failed = all[1];
    expect(failed).toMatchObject({ status: "failure", status_detail: "login_failure_invalid_password", auth: { mfa: false } });

    // The OAuth consent: the grant (client id + user) is minted here, privileged (app consent).
    const consent = all[2];
    expect(consent).toMatchObject({
      class_uid: 3005,
      activity: "token_grant",
      privileged: true,
      client: { app_id: "1092837465-abcdefgh.apps.googleusercontent.com", app_name: "Acme Reports Sync" },
      credential: null,
      issued_credentials: [
        {
          key: "1092837465-abcdefgh.apps.googleusercontent.com|104552119850378466012",
          key_type: "google.oauth_grant",
          kind: "oauth_grant",
        },
      ],
      resources: [{ type: "OAuthApp", id: "1092837465-abcdefgh.apps.googleusercontent.com", name: "Acme Reports Sync" }],
    });
    expect(consent.extra.scope).toEqual([
      "https://www.googleapis.com/auth/drive.readonly",
      "https://www.googleapis.com/auth/userinfo.email",
    ]);

    // The app then downloads a file through that grant: an access token of the grant (same key), actor kind
    // oauth_app, the document as resource.
    const download = all[3];
    expect(download).toMatchObject({
      class_uid: 6006,
      activity: "download", // Drive's download event: a download (Google's own name), not a bulk export
      actor: { kind_hint: "oauth_app", login: "maria.lopez@example.com" },
      credential: {
        key: "1092837465-abcdefgh.apps.googleusercontent.com|104552119850378466012",
        key_type: "google.oauth_grant",
        kind: "access_token",
      },
      client: { app_id: "1092837465-abcdefgh.apps.googleusercontent.com", app_name: "Acme Reports Sync" },
      resources: [{ type: "drive:spreadsheet", id: "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789", name: "Q1 pipeline forecast" }],
      privileged: false,
    });
    expect(all[4]).toMatchObject({ event_name: "view", activity: "read", correlation_id: download.correlation_id });

    // Sharing a file with anyone who has the link is privileged (data exposure).
    expect(all[5]).toMatchObject({ event_name: "change_document_visibility", privileged: true, extra: { visibility: "people_with_link" } });
    // Admin console: role assignment, with the user and the role.
    expect(all[6]).toMatchObject({ class_uid: 3005, activity: "assign_privileges", privileged: true });
    expect(all[6].resources).toEqual([
      { type: "User", id: null, name: "maria.lopez@example.com" },
      { type: "Role", id: "26396330837508098", name: "_SEED_ADMIN_ROLE" },
    ]);
    // Domain-wide delegation: a service account impersonating the user. The actor stays the identity used, driven
    // by the service account (kind service_account, which extra.initiator names), with the impersonation flag and
    // the app in extra; its credential is the client itself (no per-user grant exists).
    expect(all[7]).toMatchObject({
      actor: { kind_hint: "service_account", login: "maria.lopez@example.com", external_id: "104552119850378466012" },
      credential: { key: "118273645546372819283", key_type: "google.oauth_client", kind: "access_token" },
      client: { app_id: "118273645546372819283", app_name: "backup-svc@example-prod.iam.gserviceaccount.com" },
      extra: {
        impersonation: true,
        acting_app: {
          oauthClientId: "118273645546372819283",
          applicationName: "backup-svc@example-prod.iam.gserviceaccount.com",
          impersonation: true,
        },
        initiator: {
          external_id: "118273645546372819283",
          name: "backup-svc@example-prod.iam.gserviceaccount.com",
          via: "domain_wide_delegation",
        },
      },
      src_endpoint: { ip: "2001:db8::42" },
      session: null,
    });
    expect(download.extra.impersonation).toBe(false);
    // SAML sign-in to an app.
    expect(all[8]).toMatchObject({
      class_uid: 3002,
      activity: "logon",
      auth: { protocol: "SAML" },
      resources: [{ type: "SAMLApp", name: "Salesforce" }],
    });
    // Token activity: the app's API use under the grant (an access token of it).
    expect(all[9]).toMatchObject({
      class_uid: 6003,
      actor: { kind_hint: "oauth_app" },
      credential: { key: "1092837465-abcdefgh.apps.googleusercontent.com|104552119850378466012", kind: "access_token" },
      extra: { api_name: "drive", method_name: "drive.files.export" },
    });
    for (const e of all) expect(e.session).toBeNull(); // Google writes no session id: none is made up
    expect(toEventRow(all[9])).toMatchObject({
      credentialKey: "1092837465-abcdefgh.apps.googleusercontent.com|104552119850378466012",
      clientAppId: "1092837465-abcdefgh.apps.googleusercontent.com",
    });
  });

  it("NDJSON activities: revoke, external sharing, an API-key caller, 2SV off, a service account, message values", async () => {
    const r = await runFile(googleWorkspace, fixturePath("google-workspace", "reports-activities-2025-03-05.ndjson"));
    printResult(r);
    expect(r.total).toBe(5);
    expect(r.rejected.size).toBe(0);
    const all = r.events.flatMap((e) => e.events);
    expect(all).toHaveLength(6);
    // The user revokes the app's grant: the grant is the credential (kind oauth_grant), revoked.
    expect(all[0]).toMatchObject({
      event_name: "revoke",
      class_uid: 3005,
      activity: "revoke_credentials",
      actor: { kind_hint: "human" },
      credential: {
        key: "1092837465-abcdefgh.apps.googleusercontent.com|104552119850378466012",
        key_type: "google.oauth_grant",
        kind: "oauth_grant",
        native_type: "WEB",
      },
      issued_credentials: [],
    });
    // One activity, two events: the edit is not privileged, the ACL change sharing the file outside the domain is.
    expect(all[1]).toMatchObject({ event_name: "edit", privileged: false, correlation_id: "-8811223344556677" });
    expect(all[2]).toMatchObject({
      event_name: "change_user_access",
      class_uid: 6006,
      privileged: true,
      correlation_id: "-8811223344556677",
      resources: [
        { type: "drive:spreadsheet", id: "1ZyXwVuTsRqPoNmLkJiHgFeDcBa9876543210", name: "Customer list export" },
        { type: "User", id: null, name: "partner@example.net" },
      ],
      extra: {
        visibility: "shared_externally",
        visibility_change: "external",
        target_user: "partner@example.net",
        ownerDomain: "example.com",
      },
    });
    // callerType KEY: an API-key actor with the key as its credential; an Admin console user change.
    expect(all[3]).toMatchObject({
      event_name: "CHANGE_PASSWORD",
      class_uid: 3001,
      privileged: true,
      actor: { external_id: "provisioning-connector.example.com", type: "KEY", kind_hint: "api_token", email: null },
      credential: { key: "provisioning-connector.example.com", key_type: "google.actor_key", kind: "api_token" },
      resources: [{ type: "User", id: null, name: "ci-robot@example.com" }],
    });
    expect(all[4]).toMatchObject({ event_name: "2sv_disable", class_uid: 3001, privileged: true, actor: { kind_hint: "human" } });
    // A service account acting as itself (no delegation); an application without its own rules, read generically.
    expect(all[5]).toMatchObject({
      event_name: "change_event_guest_response",
      class_uid: 6003,
      actor: { kind_hint: "service_account" },
      credential: null,
      client: null,
      src_endpoint: { ip: "2001:db8::7", location: { country: "US", region: "US-CA", city: null } },
      extra: { applicationName: "calendar", ipAsn: [15169] },
    });
  });

  it("reads every parameter value kind (value, intValue, boolValue, multiValue, multiIntValue, messageValue)", () => {
    const ctx = { fileName: "x.json", position: 0 };
    const [e] = googleWorkspace.normalize(
      {
        id: { time: "2025-03-04T08:00:00Z", applicationName: "login", uniqueQualifier: "1" },
        actor: { callerType: "USER", email: "a@example.com", profileId: "1" },
        events: [
          {
            name: "login_success",
            parameters: [
              { name: "login_type", value: "saml" },
              { name: "login_challenge_method", multiValue: ["password", "security_key"] },
              { name: "is_suspicious", boolValue: true },
              { name: "attempts", intValue: "2" },
              { name: "codes", multiIntValue: ["1", "2"] },
              { name: "affected", messageValue: { parameter: [{ name: "x", value: "y" }] } },
            ],
          },
        ],
      },
      ctx,
    );
    expect(e).toMatchObject({
      auth: { factors: ["password", "security_key"], mfa: true, protocol: "saml" },
      extra: { is_suspicious: true },
    });
  });

  it("refuses what is not an activity, with a reason", () => {
    const ctx = { fileName: "x.json", position: 0 };
    expect(() => googleWorkspace.normalize({ id: { applicationName: "login", time: "2025-03-04T08:00:00Z" }, events: [] }, ctx)).toThrow(
      /no events/,
    );
    expect(() => googleWorkspace.normalize({ id: { applicationName: "login" }, events: [{ name: "login_success" }] }, ctx)).toThrow(
      /event time/,
    );
    expect(() => googleWorkspace.normalize({ foo: 1 }, ctx)).toThrow(/neither events\[\] nor name/);
  });

  it("shows Google's suspicious-login and hijack warnings as vendor risk, and Google's SYSTEM key as the platform", () => {
    const base = { kind: "admin#reports#activity", ownerDomain: "example.com" };
    const [warn] = googleWorkspace.normalize(
      {
        ...base,
        id: { time: "2025-03-04T10:00:00Z", uniqueQualifier: "1", applicationName: "login", customerId: "C1" },
        actor: { callerType: "USER", email: "bob@example.com", profileId: "1" },
        ipAddress: "0.0.0.0",
        events: [
          { type: "account_warning", name: "suspicious_login", parameters: [{ name: "affected_email_address", value: "bob@example.com" }] },
        ],
      },
      { fileName: "x.json", position: 0 },
    );
    expect(warn).toMatchObject({
      activity: "logon",
      status: "unknown",
      src_endpoint: { ip: null },
      risk: {
        signal: "google.suspicious_login",
        label: "Google suspicious login",
        vendor_level: null,
        vendor_state: null,
        reasons: ["suspicious_login"],
        severity: "medium",
      },
    });
    const [sys] = googleWorkspace.normalize(
      {
        ...base,
        id: { time: "2025-03-04T10:00:00Z", uniqueQualifier: "2", applicationName: "admin", customerId: "C1" },
        actor: { callerType: "KEY", key: "SYSTEM" },
        events: [
          { type: "LICENSES_SETTINGS", name: "USER_LICENSE_REVOKE", parameters: [{ name: "USER_EMAIL", value: "dave@example.com" }] },
        ],
      },
      { fileName: "x.json", position: 1 },
    );
    expect(sys).toMatchObject({
      actor: { external_id: null, name: "SYSTEM", kind_hint: "system" },
      credential: null,
      activity: "revoke_privileges",
    });
  });

  it("never crashes on damaged records (fast-check; npm run fuzz runs more)", () => {
    const records = JSON.parse(fs.readFileSync(PAGE, "utf8")).items as unknown[];
    const { normalized, rejected } = assertRobust(googleWorkspace, records);
    console.log(`google-workspace robustness: ${normalized} normalized, ${rejected} rejected`);
    expect(normalized).toBeGreaterThan(0);
  });
});

describeSamples("google-workspace source: public samples", () => {
  it("Panther's flattened activity events: every record normalized or rejected with a reason", async () => {
    for (const f of [
      "google_workspace/panther_rule_tests_google_workspace.jsonl",
      "google_workspace/panther_gws_drive_only.jsonl",
      "scenarios/panther_scenario__gsuite-sensitive-files__shared_files.jsonl",
    ]) {
      const r = await runFile(googleWorkspace, samplePath(f));
      printResult(r);
      expect(r.events.length).toBeGreaterThan(0);
      for (const reason of r.rejected.keys()) expect(reason).toMatch(/not a Google Workspace|event time|no events|not a JSON object/);
    }
    // The scenario: an activity with two events (edit, then sharing the file with an outside address).
    const sc = await runFile(googleWorkspace, samplePath("scenarios/panther_scenario__gsuite-sensitive-files__shared_files.jsonl"));
    const shared = sc.events.flatMap((e) => e.events);
    expect(shared.map((e) => [e.event_name, e.privileged])).toEqual([
      ["edit", false],
      ["change_user_access", true],
    ]);
    expect(shared[1]).toMatchObject({
      actor: { login: "thomas12223391@gmail.com", kind_hint: "human" },
      session: null,
      extra: { visibility_change: "external", target_user: "thomas12223391@gmail.com" },
    });
    const r = await runFile(googleWorkspace, samplePath("google_workspace/panther_rule_tests_google_workspace.jsonl"));
    const role = r.events.flatMap((e) => e.events).find((e) => e.event_name === "CREATE_ROLE")!;
    expect(role).toMatchObject({
      privileged: true,
      actor: { login: "example@example.io", kind_hint: "human" },
      resources: [{ type: "Role", id: "567890", name: "CustomAdminRoleName" }],
    });
    expect(role.time.toISOString()).toBe("2022-12-11T02:57:48.693Z");
  });
});

describe("vendor risk signal", () => {
  it("keeps Google's login warnings and the is_suspicious flag (Login Audit account_warning events) in the risk field", async () => {
    expect(await risksOf(googleWorkspace, "google-workspace", "risk-signals-login.json")).toEqual([
      [
        "login_success",
        {
          signal: "google.is_suspicious",
          label: "Google flagged a login as suspicious",
          vendor_level: null,
          vendor_state: null,
          reasons: ["is_suspicious"],
          severity: "medium",
        },
      ],
      [
        "suspicious_login",
        {
          signal: "google.suspicious_login",
          label: "Google suspicious login",
          vendor_level: null,
          vendor_state: null,
          reasons: ["suspicious_login"],
          severity: "medium",
        },
      ],
      [
        "account_disabled_hijacked",
        {
          signal: "google.account_disabled_hijacked",
          label: "Google disabled a hijacked account",
          vendor_level: null,
          vendor_state: null,
          reasons: ["account_disabled_hijacked"],
          severity: "critical",
        },
      ],
      [
        "gov_attack_warning",
        {
          signal: "google.gov_attack_warning",
          label: "Google government-backed attack warning",
          vendor_level: null,
          vendor_state: null,
          reasons: ["gov_attack_warning"],
          severity: "high",
        },
      ],
      ["login_success", null],
    ]);
  });
});
