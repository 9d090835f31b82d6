import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { toEventRow } from "@/lib/events/schema";
import { probeFile } from "../read";
import { detectPlatform } from "../registry";
import { assertRobust, describeSamples, eventAt, fixturePath, printResult, readFileItems, runFile, samplePath } from "../testing/samples";
import { NormalizeError } from "../types";
import { elfStamp } from "./common";
import { toId18 } from "./ids";
import { salesforce } from "./index";
import { DISPLAY_PATTERNS, matchDisplay, parseAuditDate } from "./setup-audit";

const fx = (name: string) => fixturePath("salesforce", name);
const ELF = ["Login", "LoginAs", "Logout", "API", "RestApi", "BulkApi", "BulkApi2", "ReportExport", "URI"].map((t) =>
  fx(`2025-03-04_${t}.csv`),
);
const LOGIN_HISTORY = fx("query-LoginHistory-2025-03-04.json");
const REAL_TIME = fx("query-RealTimeEvents-2025-03-04.json");
const AUDIT = fx("query-SetupAuditTrail-2025-03-04.json");
const AUDIT_CSV = fx("SetupAuditTrail.csv");
const ALL = [...ELF, LOGIN_HISTORY, REAL_TIME, AUDIT, AUDIT_CSV];
const ctx = { fileName: "salesforce.json", position: 0 };

// Users of the fixtures: 15-character ids in the ELF columns, 18-character in the *_DERIVED columns and the APIs.
const MARIA = "0055g00000AbCdEAAV";
const ETL = "0055g00000QrStUAAV";
const DEVON = "0055g00000XyZwVAAV";
const SAM = "0055g00000AdMnAAAV";
const APP = "0H45g000000PqRsCAK";

async function fixtureRecords(): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const f of ALL) {
    for (const it of await readFileItems(f)) {
      if ("error" in it) throw new Error(it.error);
      out.push(it.value !== undefined ? it.value : JSON.parse(it.bytes.toString("utf8")));
    }
  }
  return out;
}

describe("salesforce source: own fixtures (EventLogFile CSVs, REST query pages, Setup Audit Trail)", () => {
  it("ids: the 18-character form of a 15-character id, as Salesforce computes it", () => {
    expect(toId18("0055f00000CyENt")).toBe("0055f00000CyENtAAN"); // pair from the public sample (USER_ID / USER_ID_DERIVED)
    expect(toId18("0055g00000AbCdE")).toBe(MARIA);
    expect(toId18(MARIA)).toBe(MARIA);
    expect(toId18("fdokawnjf")).toBe("fdokawnjf");
    expect(elfStamp("20250304130211.482")?.toISOString()).toBe("2025-03-04T13:02:11.482Z");
    expect(elfStamp("20250231130211.482")).toBeNull();
  });

  it("Login CSV: LOGIN_KEY session for a UI login, SESSION_KEY under LOGIN_KEY for an API login, failures, amr", async () => {
    const r = await runFile(salesforce, ELF[0]);
    printResult(r);
    expect(r.total).toBe(4);
    expect(r.rejected.size).toBe(0);
    const ui = eventAt(r, 0);
    expect(ui).toMatchObject({
      platform: "salesforce",
      class_uid: 3002,
      activity: "logon",
      event_name: "Login",
      status: "success",
      status_detail: "LOGIN_NO_ERROR",
      actor: {
        external_id: MARIA,
        login: "maria.lopez@acme.example.com",
        email: "maria.lopez@acme.example.com",
        type: "Standard",
        kind_hint: "human",
      },
      session: { key: "pK3vZ9qLm2XwR7tA", key_type: "salesforce.LOGIN_KEY", root_key: null },
      src_endpoint: { ip: "198.51.100.23" },
      correlation_id: "4fKq8Rr2vNwL9xT0bYp3-",
      privileged: false,
    });
    expect(ui.time.toISOString()).toBe("2025-03-04T13:02:11.482Z");
    expect(ui.user_agent).toMatch(/^Mozilla\/5\.0 \(Macintosh/);
    expect(eventAt(r, 1)).toMatchObject({
      status: "failure",
      status_detail: "LOGIN_ERROR_INVALID_PASSWORD",
      session: null,
      src_endpoint: { ip: "203.0.113.77" },
    });
    // SOAP login(): an API login by a Standard user (a person unless the row says otherwise); the session is the
    // login's LOGIN_KEY, SESSION_KEY kept in extra.
    expect(eventAt(r, 2)).toMatchObject({
      actor: { external_id: ETL, kind_hint: "human" },
      session: { key: "Hn4tYb7Pq1sK0aZe", key_type: "salesforce.LOGIN_KEY", root_key: null },
      extra: { API_TYPE: "P", SESSION_KEY: "Wd8kL2drc73p8/Xq" },
    });
    // "Salesforce.com IP" is no address: SOURCE_IP fills in, the text stays in extra.
    const sso = eventAt(r, 3);
    expect(sso).toMatchObject({
      src_endpoint: { ip: "198.51.100.140" },
      auth: { factors: ["pwd", "mfa"], mfa: true },
      extra: { CLIENT_IP: "Salesforce.com IP", SOURCE_IP: "198.51.100.140" },
    });
  });

  it("LoginAs: actor = the admin (DELEGATED_USER_*), the user acted as is the target, admin also in extra.initiator; privileged", async () => {
    const r = await runFile(salesforce, ELF[1]);
    const ev = eventAt(r, 0);
    expect(ev).toMatchObject({
      class_uid: 3002,
      activity: "impersonate",
      actor: { external_id: SAM, login: "sam.admin@acme.example.com", kind_hint: "human" },
      resources: [{ type: "user", id: MARIA }],
      session: { key: "Lp0aXc4Vn7Qe2Rty", key_type: "salesforce.LOGIN_KEY", root_key: null },
      privileged: true,
    });
    expect(ev.extra.initiator).toEqual({ external_id: SAM, login: "sam.admin@acme.example.com", name: null, via: "login_as" });
    expect(ev.extra.DELEGATED_USER_NAME).toBe("sam.admin@acme.example.com");
  });

  it("API, RestApi, BulkApi, BulkApi2: connected app client, access token = session, bulk reads privileged", async () => {
    const api = await runFile(salesforce, ELF[3]);
    printResult(api);
    const sync = eventAt(api, 0);
    expect(sync).toMatchObject({
      class_uid: 6005,
      activity: "export", // a query returning 52,000 rows
      privileged: true,
      status: "success",
      // Made as the user, through the app (the client): whether ETL is a person or an integration user, the row
      // does not say.
      actor: { external_id: ETL, kind_hint: "unknown" },
      client: { app_id: APP, app_name: null },
      credential: { key: "Wd8kL2drc73p8/Xq", key_type: "salesforce.SESSION_KEY", kind: "access_token" },
      session: { key: "Hn4tYb7Pq1sK0aZe", key_type: "salesforce.LOGIN_KEY" },
      resources: [{ type: "Object", id: null, name: "Account" }],
      extra: { METHOD_NAME: "query", ROWS_PROCESSED: 52000, CLIENT_NAME: "NightlyWarehouseSync", CONNECTED_APP_ID: "0H45g000000PqRs" },
    });
    expect(eventAt(api, 1)).toMatchObject({
      class_uid: 6003,
      activity: "update",
      status: "failure",
      privileged: false,
      client: null,
      credential: null,
      actor: { kind_hint: "human" },
    });

    const rest = await runFile(salesforce, ELF[4]);
    expect(eventAt(rest, 0)).toMatchObject({
      activity: "read",
      status: "success",
      status_detail: "S (HTTP 200)",
      privileged: false,
      actor: { external_id: DEVON, kind_hint: "unknown" },
    });
    expect(eventAt(rest, 1)).toMatchObject({
      activity: "update",
      status: "failure",
      status_detail: "F (HTTP 404)",
      message: "The requested resource does not exist",
      resources: [
        { type: "Record", id: "0015g00000KlMnOAAV", name: null },
        { type: "Object", id: null, name: "Account" },
      ],
    });

    const bulk = await runFile(salesforce, ELF[5]);
    expect(eventAt(bulk, 0)).toMatchObject({
      activity: "export",
      privileged: true,
      resources: [
        { type: "Object", id: null, name: "Contact" },
        { type: "BulkJob", id: "7505g00000FgHiJAAV", name: null },
      ],
    });
    expect(eventAt(bulk, 1)).toMatchObject({
      activity: "create",
      privileged: false,
      message: "3 rows failed: REQUIRED_FIELD_MISSING",
      extra: { NUMBER_FAILURES: 3 },
    });
    const bulk2 = await runFile(salesforce, ELF[6]);
    expect(eventAt(bulk2, 0)).toMatchObject({
      event_name: "BulkApi2",
      activity: "export",
      privileged: true,
      extra: { ROWS_PROCESSED: 80000, JOB_STATUS: "JobComplete" },
    });
  });

  // Issue 14 §2: a call through a connected app is made as the user (the app is the client); a login at the OAuth
  // token endpoint by a program (no sign-in page, no browser) is an integration user's server-to-server login.
  it("kinds: an integration's OAuth token-endpoint login is a service account; app API calls are the user, never the app", () => {
    const row = (over: Record<string, string>) => ({
      EVENT_TYPE: "Login",
      TIMESTAMP: "20261103080200.000",
      USER_ID: "0055f000009InTg",
      USER_NAME: "someone@acme.test",
      USER_TYPE: "Standard",
      LOGIN_KEY: "LkTest",
      URI: "/index.jsp",
      BROWSER_TYPE: "",
      ...over,
    });
    const kind = (r: Record<string, string>) => salesforce.normalize(r, ctx)[0].actor.kind_hint;
    const chrome = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    expect(kind(row({ URI: "/services/oauth2/token", BROWSER_TYPE: "SFDC-Sync/1.4 (Java 17)" }))).toBe("service_account");
    expect(kind(row({ URI: "/index.jsp", BROWSER_TYPE: chrome }))).toBe("human");
    // A browser at the token endpoint is a person's OAuth flow (the app is the client).
    expect(kind(row({ URI: "/services/oauth2/token", BROWSER_TYPE: chrome }))).toBe("human");
    const api = (ua: string) =>
      row({ EVENT_TYPE: "RestApi", URI: "/services/data/v62.0/query", CONNECTED_APP_ID: "0H45f000000DoCs", USER_AGENT: ua, METHOD: "GET" });
    expect(kind(api("SFDC-Sync/1.4 (Java 17)"))).toBe("unknown");
    // A person's native app names itself as a program does: the row cannot tell it from an integration.
    expect(kind(api("AcmeFieldApp/4.2 CFNetwork"))).toBe("unknown");
    expect(kind(api(chrome))).toBe("human");
  });

  it("ReportExport, URI, Logout", async () => {
    const rep = eventAt(await runFile(salesforce, ELF[7]), 0);
    // One report's export: a data access named by its report, not privileged (governance classifies exports by name).
    expect(rep).toMatchObject({
      class_uid: 6005,
      activity: "export",
      privileged: false,
      actor: { external_id: MARIA, kind_hint: "human" },
      resources: [{ type: "Report", id: "00O5g000003TuVwEAK", name: null }],
      session: { key: "Lp0aXc4Vn7Qe2Rty" },
    });
    const uri = eventAt(await runFile(salesforce, ELF[8]), 0);
    expect(uri).toMatchObject({
      class_uid: 6001,
      activity: "read",
      actor: { kind_hint: "human" },
      resources: [{ type: "Record", id: "0015g00000KlMnOAAV", name: null }],
      session: { key: "pK3vZ9qLm2XwR7tA", key_type: "salesforce.LOGIN_KEY" },
    });
    const out = eventAt(await runFile(salesforce, ELF[2]), 0);
    expect(out).toMatchObject({
      class_uid: 3002,
      activity: "logoff",
      session: { key: "pK3vZ9qLm2XwR7tA" },
      extra: { SESSION_LEVEL: "STANDARD", SESSION_KEY: "Gm3pQz8Rt1Vx6Kwn" },
    });
    expect(toEventRow(rep)).toMatchObject({
      sessionKey: "Lp0aXc4Vn7Qe2Rty",
      targetType: "Report",
      targetId: "00O5g000003TuVwEAK",
      privileged: false,
      actorExternalId: MARIA,
    });
  });

  it("LoginHistory query page: login types → credential kinds, no session key, Id as correlation", async () => {
    const r = await runFile(salesforce, LOGIN_HISTORY);
    printResult(r);
    expect(r.rejected.size).toBe(0);
    expect(eventAt(r, 0)).toMatchObject({
      event_name: "LoginHistory",
      class_uid: 3002,
      status: "success",
      session: null,
      actor: { external_id: MARIA, kind_hint: "human" },
      credential: { kind: "password", native_type: "Application", key: null },
      correlation_id: "0Ya5g00000Hj3kLCAR",
      native_id: "0Ya5g00000Hj3kLCAR",
      src_endpoint: { ip: "198.51.100.23" },
    });
    expect(eventAt(r, 0).extra.ApiType).toBeUndefined(); // "N/A"
    // A person's login through a connected app's OAuth flow: the person (human), the app as the client.
    expect(eventAt(r, 1)).toMatchObject({
      actor: { kind_hint: "human" },
      credential: { kind: "oauth_grant", native_type: "Remote Access 2.0" },
      client: { app_id: null, app_name: "Acme Revenue Dashboard" },
    });
    expect(eventAt(r, 2)).toMatchObject({ status: "failure", status_detail: "Invalid Password" });
  });

  it("Real-Time Event Monitoring: LoginEvent (SessionKey/LoginKey, policy, location), LoginAsEvent, ApiEvent, ReportEvent", async () => {
    const r = await runFile(salesforce, REAL_TIME);
    printResult(r);
    expect(r.rejected.size).toBe(0);
    const login = eventAt(r, 0);
    expect(login).toMatchObject({
      event_name: "LoginEvent",
      activity: "logon",
      status: "success",
      actor: { external_id: DEVON, kind_hint: "human" },
      // Same values and key types as the ELF rows of this login, so both join.
      session: { key: "Zr5uWq2Bn8cV4xLk", key_type: "salesforce.LOGIN_KEY", root_key: null },
      credential: { kind: "saml_assertion" },
      auth: { factors: ["pwd", "mfa"], mfa: true, protocol: "SAML Sp Initiated SSO" },
      policy: { engine: "salesforce.transaction_security", result: "NoAction" },
      src_endpoint: { ip: "198.51.100.140", location: { city: "Lisbon", region: "Lisbon", country: "Portugal" } },
      correlation_id: "0Ya5g00000Hj3kPCAR",
      native_id: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
    });
    const as = eventAt(r, 1);
    // LoginAsEvent: DelegatedUsername (the admin) acted; Username, the user logged in as, is the target.
    expect(as).toMatchObject({
      activity: "impersonate",
      privileged: true,
      actor: { login: "sam.admin@acme.example.com" },
      resources: [{ type: "user", name: "maria.lopez@acme.example.com" }],
      extra: { initiator: { login: "sam.admin@acme.example.com", via: "login_as" } },
    });
    expect(eventAt(r, 2)).toMatchObject({
      activity: "export",
      privileged: true,
      actor: { kind_hint: "unknown" },
      client: { app_id: APP },
      credential: { kind: "access_token", key: "Wd8kL2drc73p8/Xq" },
    });
    expect(eventAt(r, 3)).toMatchObject({
      activity: "export",
      privileged: false,
      resources: [
        { type: "Report", id: "00O5g000003TuVwEAK", name: "Pipeline by Region" },
        { type: "Object", name: "Opportunity" },
      ],
    });
  });

  it("SetupAuditTrail query page: Display extraction, Login-As, delegate kept as initiator, privileged rule", async () => {
    const r = await runFile(salesforce, AUDIT);
    printResult(r);
    expect(r.rejected.size).toBe(0);
    expect(eventAt(r, 0)).toMatchObject({
      event_name: "suOrgAdminLogin",
      class_uid: 3002,
      activity: "impersonate",
      privileged: true,
      actor: { external_id: SAM, login: "sam.admin@acme.example.com", name: "Sam Admin", kind_hint: "human" },
      resources: [{ type: "User", id: null, name: "Maria Lopez" }],
      message: "Logged in using Login-As access for Maria Lopez",
      native_id: "0Ym5g00000Ab1CdCAJ",
      extra: { display_pattern: "login_as", Section: "Manage Users" },
    });
    // A change made during Login-As: DelegateUser (the admin) executed it; CreatedBy, the user logged in as, is kept
    // in extra.acting_as.
    const assign = eventAt(r, 1);
    expect(assign).toMatchObject({
      class_uid: 3005,
      activity: "assign_privileges",
      privileged: true,
      actor: { external_id: null, login: "sam.admin@acme.example.com", kind_hint: "human" },
      extra: { acting_as: { external_id: MARIA } },
      resources: [
        { type: "User", id: null, name: "devon.reyes@acme.example.com" },
        { type: "PermissionSet", id: null, name: "Data Export Admin" },
      ],
    });
    expect(assign.extra.initiator).toEqual({ external_id: null, login: "sam.admin@acme.example.com", name: null, via: "login_as" });
    expect(eventAt(r, 2)).toMatchObject({
      activity: "assign_privileges",
      resources: [{ type: "User" }, { type: "Profile", name: "System Administrator" }],
      extra: { display: { from: "Standard User", to: "System Administrator" } },
    });
    expect(eventAt(r, 3)).toMatchObject({
      class_uid: 3004,
      privileged: true,
      resources: [{ type: "Profile", name: "Sales Ops" }],
      extra: { display: { change: "Modify All Data was changed from False to True" } },
    });
    expect(eventAt(r, 4)).toMatchObject({
      class_uid: 6002,
      privileged: true,
      resources: [{ type: "ConnectedApplication", name: "NightlyWarehouseSync" }],
    });
    // A page layout change: a Setup change, kept, not privileged, nothing extracted.
    expect(eventAt(r, 5)).toMatchObject({
      class_uid: 3004,
      activity: "update",
      privileged: false,
      resources: [],
      message: "Changed Account Layout page layout Account Layout",
    });
  });

  it("Setup Audit Trail CSV download: local times with zone, the Action column as Display, ambiguous zones rejected", async () => {
    const r = await runFile(salesforce, AUDIT_CSV);
    printResult(r);
    expect(r.total).toBe(6);
    expect([...r.rejected.keys()]).toEqual(['unknown or ambiguous time zone "IST" in Date: "3/3/2025, 4:51:12 PM IST"']);
    const json = await runFile(salesforce, AUDIT);
    // The same change in both shapes: same time, class, resources, privilege.
    const pairs: [number, number][] = [
      [0, 4],
      [1, 2],
      [2, 1],
      [3, 0],
    ];
    for (const [c, j] of pairs) {
      const a = eventAt(r, c);
      const b = eventAt(json, j);
      expect(a.time.toISOString()).toBe(b.time.toISOString());
      expect({ uid: a.class_uid, act: a.activity, res: a.resources, p: a.privileged, m: a.message }).toEqual({
        uid: b.class_uid,
        act: b.activity,
        res: b.resources,
        p: b.privileged,
        m: b.message,
      });
      expect(a.actor.login).toBe(b.actor.login);
    }
    expect(eventAt(r, 0)).toMatchObject({
      event_name: "Connected Apps",
      actor: { external_id: null },
      extra: { shape: "setup-audit-trail-csv" },
    });
    expect(eventAt(r, 2).extra.initiator).toMatchObject({ login: "sam.admin@acme.example.com" });
    expect(eventAt(r, 4)).toMatchObject({
      activity: "assign_privileges",
      privileged: true,
      resources: [{ type: "LoginAccessGrantee", name: "Salesforce.com Support" }],
      extra: { display: { duration: "1 week", expires: "3/10/2025" } },
    });
    expect(eventAt(r, 4).time.toISOString()).toBe("2025-03-04T00:58:31.000Z");
    expect(parseAuditDate("2025-03-04 13:15:00").toISOString()).toBe("2025-03-04T13:15:00.000Z");
    expect(parseAuditDate("3/9/2025 14:05:00 PDT").toISOString()).toBe("2025-03-09T21:05:00.000Z");
    expect(() => parseAuditDate("04.03.2025 13:15")).toThrow(NormalizeError);
    expect(() => parseAuditDate("2/30/2025, 1:00:00 PM PST")).toThrow(/no such day/);
  });

  it("Display patterns: each documented pattern has an example that it (and no earlier pattern) matches", () => {
    const examples: [string, string][] = [
      ["Logged out using Login-As access for Maria Lopez", "login_as"],
      ["Granted login access for 3 days to Sam Admin", "login_access_grant"],
      ["Revoked login access for Salesforce.com Support", "login_access_revoke"],
      ["Changed role for user Devon Reyes (devon.reyes@acme.example.com) from Sales Rep to VP Sales", "role_for_user"],
      ["Permission set Data Export Admin: assigned to user Devon Reyes (devon.reyes@acme.example.com)", "permset_assign"],
      ["Unassigned permission set group Finance Admins from user Devon Reyes", "permset_assign"],
      ["Created permission set MAD: with user license Salesforce", "permset_change"],
      ["Created profile Integration Only", "profile_change"],
      ["Deleted role EMEA Sales", "role_change"],
      ["Reset password for Devon Reyes (devon.reyes@acme.example.com)", "user_password"],
      ["Deactivated user Pat Kim (pat.kim@acme.example.com)", "user_lifecycle"],
      ["Changed email for user Pat Kim from pat@old.example to pat@acme.example.com", "user_change"],
      ["Requested an export of all data", "data_export"],
    ];
    const seen = new Set<string>();
    for (const [text, id] of examples) {
      expect(matchDisplay(text)?.pattern, text).toBe(id);
      seen.add(id);
    }
    for (const p of ["profile_for_user", "connected_app"]) seen.add(p); // asserted on the fixtures above
    expect(new Set(DISPLAY_PATTERNS.map((p) => p.id))).toEqual(seen);
    expect(matchDisplay("Changed Account Layout page layout Account Layout")).toBeNull();
  });

  it("rejects what it cannot place, with a reason", () => {
    expect(() => salesforce.normalize({ EVENT_TYPE: "Login", TIMESTAMP: "" }, ctx)).toThrow(/no event time/);
    expect(() => salesforce.normalize({ EVENT_TYPE: "Login", TIMESTAMP: "yesterday" }, ctx)).toThrow(/unreadable event time in TIMESTAMP/);
    expect(() =>
      salesforce.normalize(
        {
          attributes: { type: "EventLogFile" },
          Id: "0AT5g",
          EventType: "Login",
          LogFile: "/services/data/v59.0/sobjects/EventLogFile/0AT5g/LogFile",
          LogDate: "2025-03-04T00:00:00.000+0000",
        },
        ctx,
      ),
    ).toThrow(/EventLogFile metadata record/);
    expect(() => salesforce.normalize({ EventDate: "2025-03-04T13:00:00Z", EventIdentifier: "x", UserId: "005" }, ctx)).toThrow(
      /without attributes.type/,
    );
    expect(() => salesforce.normalize({ _log_type: "Okta.SystemLog", _test_name: "x", event: {} }, ctx)).toThrow(/not a Salesforce record/);
    expect(() => salesforce.normalize({ foo: 1 }, ctx)).toThrow(/not a Salesforce record/);
    // A 14-digit TIMESTAMP is read as yyyyMMddHHmmss, never as an epoch number.
    const [ev] = salesforce.normalize({ EVENT_TYPE: "URI", TIMESTAMP: "20250304133105.092", USER_ID: "0055g00000AbCdE" }, ctx);
    expect(ev.time.toISOString()).toBe("2025-03-04T13:31:05.092Z");
    expect(ev.actor.external_id).toBe(MARIA);
  });

  it("detection: its own files (CSV, query pages), renamed too; others' files are not claimed", () => {
    for (const f of ALL) {
      const p = probeFile(fs.readFileSync(f), path.basename(f));
      expect(detectPlatform(p)?.platform, f).toBe("salesforce");
      expect(detectPlatform({ ...p, fileName: "upload.bin" })?.platform, `${f} renamed`).toBe("salesforce");
    }
    // Snowflake LOGIN_HISTORY has EVENT_TYPE too, but EVENT_TIMESTAMP, not TIMESTAMP.
    const snowflake =
      '"EVENT_ID","EVENT_TIMESTAMP","EVENT_TYPE","USER_NAME","CLIENT_IP","REPORTED_CLIENT_TYPE","FIRST_AUTHENTICATION_FACTOR","IS_SUCCESS"\n"1","2025-03-04 13:15:00.000 +0000","LOGIN","MARIA","198.51.100.23","SNOWFLAKE_UI","PASSWORD","YES"\n';
    expect(salesforce.detect(probeFile(Buffer.from(snowflake), "login_history.csv"))).toBe(0);
    for (const other of [
      "okta/fixtures/okta-system-log-page.json",
      "aws-cloudtrail/fixtures/lookup-events.json",
      "m365/fixtures/AuditLog_2025-03-04_2025-03-05.csv",
    ]) {
      const f = path.resolve(process.cwd(), "lib/sources", other);
      if (fs.existsSync(f)) expect(salesforce.detect(probeFile(fs.readFileSync(f), path.basename(f))), other).toBe(0);
    }
  });

  it("never crashes on damaged records (fast-check; npm run fuzz runs more)", async () => {
    const records = await fixtureRecords();
    const { normalized, rejected } = assertRobust(salesforce, records);
    console.log(`salesforce robustness: ${normalized} normalized, ${rejected} rejected`);
    expect(normalized).toBeGreaterThan(0);
  });
});

describeSamples("salesforce source: public samples", () => {
  it("Panther rule tests: every record normalized or rejected with a reason", async () => {
    const r = await runFile(salesforce, samplePath("salesforce/panther_rule_tests_salesforce.jsonl"));
    printResult(r);
    expect(r.total).toBe(21);
    expect(r.events.length).toBe(21);
    const all = r.events.map((e) => e.events[0]);
    // The Login sample: empty SESSION_KEY, so the LOGIN_KEY is the session; CLIENT_IP first, SOURCE_IP in extra.
    expect(eventAt(r, 0)).toMatchObject({
      event_name: "Login",
      session: { key: "HMvXV5bu8xcZOqQl", key_type: "salesforce.LOGIN_KEY" },
      src_endpoint: { ip: "13.13.13.13" },
      extra: { SOURCE_IP: "12.12.12.12" },
      actor: { external_id: "0055f00000CyENtAAN", kind_hint: "human" },
    });
    expect(eventAt(r, 0).time.toISOString()).toBe("2023-05-04T21:36:47.569Z");
    // Admin Assumes User: the delegate acted (actor, also in extra.initiator); the session is the LOGIN_KEY.
    expect(eventAt(r, 1)).toMatchObject({
      event_name: "LoginAs",
      privileged: true,
      actor: { external_id: "0054x000001L78aAAC" },
      session: { key: "n5sqLw+tah0tY/q9", root_key: null },
      extra: { SESSION_KEY: "f6wkL1crc62p7/Vj", initiator: { external_id: "0054x000001L78aAAC", login: "admin.user@yourcompany.io" } },
    });
    expect(all.filter((e) => e.event_name === "ApiAnomalyEventStore").every((e) => e.class_uid === 2004 && e.actor.login !== null)).toBe(
      true,
    );
    // Bulk result downloads of queries with 10,000+ rows are exports; the delete and insert jobs are not.
    const bulk = all.filter((e) => e.event_name === "BulkApiResultEventStore");
    expect(bulk.map((e) => [e.activity, e.privileged])).toEqual([
      ["export", true],
      ["export", true],
      ["delete", false],
      ["create", false],
    ]);
    // Connected-app usage: the app is the client (CONNECTED_APP_ID); the actor is the user, never the app.
    for (const e of all.filter((x) => x.extra.CONNECTED_APP_ID))
      expect(e).toMatchObject({ actor: { kind_hint: expect.not.stringMatching(/^oauth_app$/) }, client: { app_id: expect.any(String) } });
    expect(all.find((e) => e.event_name === "OAuthTokenRefreshFailed")).toMatchObject({
      status: "failure",
      client: { app_name: "SuspiciousIntegration" },
    });
  });
});
