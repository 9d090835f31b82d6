import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { toEventRow } from "@/lib/events/schema";
import { probeFile } from "../read";
import { detectPlatform } from "../registry";
import {
  assertRobust,
  describeSamples,
  eventAt,
  fixturePath,
  printResult,
  readFileItems,
  runFile,
  samplePath,
  risksOf,
} from "../testing/samples";
import { snowflake } from "./index";
import { redactSql } from "./normalize";

const LOGINS = fixturePath("snowflake", "snowflake_login_history_2025-03-04.csv");
const SESSIONS = fixturePath("snowflake", "snowflake_sessions_2025-03-04.json");
const QUERIES = fixturePath("snowflake", "snowflake_query_history_2025-03-04.ndjson");
const ACCESS = fixturePath("snowflake", "snowflake_access_history_2025-03-04.csv");
const ctx = { fileName: "snowflake.json", position: 0 };

/** Every record of the fixtures as normalize() receives them (CSV rows parsed by the reader). */
async function fixtureRecords(): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const f of [LOGINS, SESSIONS, QUERIES, ACCESS]) {
    for (const it of await readFileItems(f)) {
      if ("error" in it) throw new Error(it.error);
      out.push(it.value !== undefined ? it.value : JSON.parse(it.bytes.toString("utf8")));
    }
  }
  return out;
}

describe("snowflake source: own fixtures (ACCOUNT_USAGE views as CSV, JSON array, NDJSON)", () => {
  it("LOGIN_HISTORY (CSV through the reader): factors, MFA, credential kinds, times in every form", async () => {
    const r = await runFile(snowflake, LOGINS);
    printResult(r);
    expect(r.total).toBe(6);
    expect(r.rejected.size).toBe(0);

    const saml = eventAt(r, 0);
    expect(saml).toMatchObject({
      platform: "snowflake",
      class_uid: 3002,
      activity: "logon",
      event_name: "LOGIN",
      time: new Date("2025-03-04T13:02:11.482Z"),
      status: "success",
      session: null, // LOGIN_HISTORY has no SESSION_ID: SESSIONS.LOGIN_EVENT_ID joins it
      correlation_id: "4387250193024117",
      native_id: "4387250193024117",
      actor: { login: "MARIA.LOPEZ@EXAMPLE.COM", email: "MARIA.LOPEZ@EXAMPLE.COM", kind_hint: "human" },
      credential: { key: null, kind: "saml_assertion", native_type: "SAML2_ASSERTION" },
      // an empty SECOND_AUTHENTICATION_FACTOR cell after a SAML login: MFA, if any, happened at the IdP (unknown)
      auth: { factors: ["SAML2_ASSERTION"], mfa: null },
      src_endpoint: { ip: "198.51.100.23" },
      user_agent: "SNOWFLAKE_UI 9.6.1",
      privileged: false,
    });
    expect(saml.extra.LOGIN_EVENT_ID).toBe("4387250193024117");

    // a time without a zone is UTC; key pair → credential kind unknown (no kind for a registered public key); the
    // view has no user type, and an untyped Snowflake user functions as a PERSON
    expect(eventAt(r, 1)).toMatchObject({
      time: new Date("2025-03-04T13:05:00Z"),
      credential: { kind: "unknown", native_type: "RSA_KEYPAIR" },
      actor: { kind_hint: "human" },
    });
    expect(eventAt(r, 1).extra.CONNECTION).toBe("ACME_PROD_CONNECTION");
    // ISO with an offset; password + Duo; IPv6
    expect(eventAt(r, 2)).toMatchObject({
      time: new Date("2025-03-04T13:11:42.907Z"),
      auth: { factors: ["PASSWORD", "DUO_SECURITY"], mfa: true },
      credential: { kind: "password" },
      actor: { kind_hint: "human" },
      src_endpoint: { ip: "2001:db8:85a3::8a2e:370:7334" },
    });
    // "-0800" offset; a failed password login
    expect(eventAt(r, 3)).toMatchObject({
      time: new Date("2025-03-04T21:20:03.015Z"),
      status: "failure",
      status_detail: "390100: INCORRECT_USERNAME_PASSWORD",
    });
    expect(eventAt(r, 4)).toMatchObject({ credential: { kind: "access_token" }, actor: { kind_hint: "oauth_app" } });
    expect(eventAt(r, 5)).toMatchObject({
      credential: {
        key: "DBT_PROD_PAT",
        key_type: "snowflake.FIRST_AUTHENTICATION_FACTOR_ID",
        kind: "api_token",
        native_type: "PROGRAMMATIC_ACCESS_TOKEN",
      },
      actor: { kind_hint: "api_token" },
    });
  });

  it("SESSIONS (JSON array): session key, and the login event it came from", async () => {
    const r = await runFile(snowflake, SESSIONS);
    printResult(r);
    expect(r.rejected.size).toBe(0);
    const s = eventAt(r, 0);
    expect(s).toMatchObject({
      class_uid: 3002,
      activity: "session_start",
      session: { key: "2817465720561234", key_type: "snowflake.SESSION_ID" },
      correlation_id: "4387250193024117", // = LOGIN_HISTORY.EVENT_ID of the SAML login above
      credential: { kind: "saml_assertion" },
      user_agent: "Snowflake UI 9.6.1",
    });
    expect(s.extra).toMatchObject({
      LOGIN_EVENT_ID: "4387250193024117",
      CLOSED_REASON: "LOGOUT",
      CLIENT_ENVIRONMENT: { APPLICATION: "Snowflake Web App (Snowsight)", OS: "Mac OS X" },
    });
    expect(eventAt(r, 2)).toMatchObject({
      time: new Date("2025-03-04T13:11:43.120Z"),
      credential: { kind: "password", native_type: "Password" },
    });

    const logins = await runFile(snowflake, LOGINS);
    for (const { events } of r.events) {
      const login = logins.events.find((l) => l.events[0].correlation_id === events[0].correlation_id);
      expect(login, `login of session ${events[0].session?.key}`).toBeDefined();
      expect(login!.events[0].actor.login).toBe(events[0].actor.login);
    }
  });

  it("QUERY_HISTORY (NDJSON): sessions, grants, user DDL, unload and GET are privileged; secrets masked", async () => {
    const r = await runFile(snowflake, QUERIES);
    printResult(r);
    expect(r.total).toBe(6);
    expect(r.rejected.size).toBe(0);
    const select = eventAt(r, 0);
    expect(select).toMatchObject({
      class_uid: 6005,
      activity: "read",
      event_name: "SELECT",
      privileged: false,
      session: { key: "2817465720561234", key_type: "snowflake.SESSION_ID" },
      correlation_id: "01bb2c4e-0305-7a1f-0000-4f2a00019a1e",
      actor: { type: "PERSON", kind_hint: "human" },
    });
    expect(select.extra).toMatchObject({ ROLE_NAME: "ANALYST", WAREHOUSE_NAME: "ANALYTICS_WH", ROWS_PRODUCED: 48211 });

    expect(eventAt(r, 1)).toMatchObject({
      class_uid: 3005,
      activity: "assign_privileges",
      privileged: true,
      resources: [
        { type: "User", id: null, name: "DMITRI.IVANOV" },
        { type: "Role", id: null, name: "ANALYST_ADMIN" },
      ],
    });
    const createUser = eventAt(r, 2);
    expect(createUser).toMatchObject({
      class_uid: 3001,
      activity: "create",
      privileged: true,
      resources: [{ type: "User", name: "CI_BOT" }],
    });
    expect(createUser.extra.QUERY_TEXT).toBe(
      "CREATE USER CI_BOT PASSWORD = '***' DEFAULT_ROLE = PUBLIC MUST_CHANGE_PASSWORD = FALSE TYPE = LEGACY_SERVICE;",
    );
    expect(JSON.stringify(createUser)).not.toContain("Tr0ub4dor");

    const unload = eventAt(r, 3);
    expect(unload).toMatchObject({
      activity: "export",
      privileged: true,
      resources: [{ type: "Stage", name: "FINANCE.PUBLIC.EXPORT_STAGE" }],
      session: { key: "2817465720561388" },
    });
    expect(unload.extra).toMatchObject({ ROWS_UNLOADED: 120000, data_export: true });
    expect(eventAt(r, 4)).toMatchObject({ activity: "export", event_name: "GET_FILES", privileged: true });
    expect(eventAt(r, 5)).toMatchObject({
      status: "failure",
      status_detail: "002003: SQL compilation error: Object 'RAW.EVENTS_STAGING' does not exist or not authorized.",
      actor: { type: "SERVICE", kind_hint: "service_account" },
      privileged: false,
    });
    expect(toEventRow(unload)).toMatchObject({
      sessionKey: "2817465720561388",
      targetType: "Stage",
      targetName: "FINANCE.PUBLIC.EXPORT_STAGE",
      privileged: true,
    });
  });

  it("ACCESS_HISTORY (CSV with JSON text cells): objects as resources, columns in extra, joined by QUERY_ID", async () => {
    const r = await runFile(snowflake, ACCESS);
    printResult(r);
    expect(r.rejected.size).toBe(0);
    const read = eventAt(r, 0);
    expect(read).toMatchObject({
      class_uid: 6005,
      activity: "read",
      privileged: false,
      correlation_id: "01bb2c4e-0305-7a1f-0000-4f2a00019a1e",
      resources: [{ type: "Table", id: "66564", name: "FINANCE.PUBLIC.LEDGER" }],
    });
    expect(read.extra).toMatchObject({
      columns: { "accessed:FINANCE.PUBLIC.LEDGER": ["ACCOUNT_ID", "AMOUNT", "POSTED_AT"] },
      POLICIES_REFERENCED: ["GOVERNANCE.POLICIES.MASK_ACCOUNT_ID"],
    });
    expect(eventAt(r, 1)).toMatchObject({
      class_uid: 3005,
      activity: "assign_privileges",
      privileged: true,
      resources: [{ type: "Role", id: "3074", name: "ANALYST_ADMIN" }],
    });
    expect(eventAt(r, 2)).toMatchObject({
      activity: "export",
      privileged: true,
      resources: [
        { type: "Stage", id: "5121", name: "FINANCE.PUBLIC.EXPORT_STAGE" },
        { type: "Table", id: "66564", name: "FINANCE.PUBLIC.LEDGER" },
      ],
    });
    // the query and its access record share correlation_id = QUERY_ID
    const queries = await runFile(snowflake, QUERIES);
    expect(queries.events.some((q) => q.events[0].correlation_id === eventAt(r, 2).correlation_id)).toBe(true);
  });

  it("reads JSON columns as objects too, lower-case column names, and rejects what is not a view row", () => {
    const [ev] = snowflake.normalize(
      {
        query_id: "01bb2c4f-0305-7a1f-0000-4f2a0001a0b3",
        query_start_time: "2025-03-04 13:14:20.448 +0000",
        user_name: "DMITRI.IVANOV",
        direct_objects_accessed: [
          { objectDomain: "Table", objectId: 66564, objectName: "FINANCE.PUBLIC.LEDGER", columns: [{ columnId: 1, columnName: "AMOUNT" }] },
        ],
        objects_modified: [],
      },
      ctx,
    );
    expect(ev).toMatchObject({ resources: [{ type: "Table", id: "66564" }], actor: { login: "DMITRI.IVANOV" } });
    expect(() =>
      snowflake.normalize({ QUERY_ID: "q", QUERY_START_TIME: "2025-03-04 13:14:20", DIRECT_OBJECTS_ACCESSED: "[{oops" }, ctx),
    ).toThrow(/DIRECT_OBJECTS_ACCESSED is not valid JSON/);
    expect(() => snowflake.normalize({ EVENT_TYPE: "Login", TIMESTAMP: "20250304131500.000", USER_ID: "005xx" }, ctx)).toThrow(
      /not a Snowflake ACCOUNT_USAGE row/,
    );
    expect(() => snowflake.normalize({ EVENT_ID: "1", EVENT_TIMESTAMP: "yesterday", IS_SUCCESS: "YES" }, ctx)).toThrow(
      /unreadable event time in EVENT_TIMESTAMP/,
    );
    // an id beyond 2^53 written as a JSON number has lost digits: it is not used as a key
    expect(() =>
      snowflake.normalize({ SESSION_ID: 28174657205612345, LOGIN_EVENT_ID: 1, CREATED_ON: "2025-03-04 13:02:11", USER_NAME: "X" }, ctx),
    ).toThrow(/SESSION_ID is missing or not exact/);
    const [sess] = snowflake.normalize(
      { SESSION_ID: "28174657205612345", LOGIN_EVENT_ID: 16592193114297018, CREATED_ON: "2025-03-04 13:02:11", USER_NAME: "X" },
      ctx,
    );
    expect(sess).toMatchObject({ session: { key: "28174657205612345" }, correlation_id: null });
  });

  it("masks secrets assigned in SQL text", () => {
    expect(redactSql("COPY INTO @s FROM t CREDENTIALS = (AWS_KEY_ID = 'AKIAEXAMPLE' AWS_SECRET_KEY = 'abc/def')")).toBe(
      "COPY INTO @s FROM t CREDENTIALS = (AWS_KEY_ID = '***' AWS_SECRET_KEY = '***')",
    );
    expect(redactSql("ALTER USER x SET PASSWORD='it''s secret' MUST_CHANGE_PASSWORD = TRUE")).toBe(
      "ALTER USER x SET PASSWORD='***' MUST_CHANGE_PASSWORD = TRUE",
    );
    expect(redactSql("x".repeat(5000)).length).toBe(1001);
  });

  it("detection: its own files (CSV, JSON, NDJSON), renamed too; not Salesforce or Purview CSVs", () => {
    for (const file of [LOGINS, SESSIONS, QUERIES, ACCESS]) {
      const p = probeFile(fs.readFileSync(file), path.basename(file));
      expect(detectPlatform(p)?.platform, file).toBe("snowflake");
      expect(detectPlatform({ ...p, fileName: "export.bin" })?.platform, `${file} renamed`).toBe("snowflake");
    }
    const salesforce =
      '"EVENT_TYPE","TIMESTAMP","REQUEST_ID","ORGANIZATION_ID","USER_ID","CLIENT_IP","USER_NAME","LOGIN_STATUS","TIMESTAMP_DERIVED","SESSION_KEY","LOGIN_KEY"\n"Login","20250304131500.123","4exLFFQZ","00D000000000062","005000000000123","198.51.100.23","maria@example.com","LOGIN_NO_ERROR","2025-03-04T13:15:00.123Z","sk1","lk1"\n';
    expect(snowflake.detect(probeFile(Buffer.from(salesforce), "Login.csv"))).toBe(0);
    const purview =
      'CreationDate,UserIds,Operations,AuditData\n2025-03-04T13:15:00.0000000Z,maria@example.com,FileAccessed,"{""Id"":""1""}"\n';
    expect(snowflake.detect(probeFile(Buffer.from(purview), "audit_log_search.csv"))).toBe(0);
  });

  it("never crashes on damaged records (fast-check; npm run fuzz runs more)", async () => {
    const records = await fixtureRecords();
    const { normalized, rejected } = assertRobust(snowflake, records);
    console.log(`snowflake robustness: ${normalized} normalized, ${rejected} rejected`);
    expect(normalized).toBeGreaterThan(0);
  });
});

describeSamples("snowflake source: public samples", () => {
  it("Panther rule tests: every record normalized or rejected with a reason", async () => {
    const r = await runFile(snowflake, samplePath("snowflake/panther_rule_tests_snowflake.jsonl"));
    printResult(r);
    expect(r.total).toBe(28);
    expect(r.events.length).toBe(24);
    expect([...r.rejected.keys()].sort()).toEqual([
      "Snowflake DATA_TRANSFER_HISTORY row: account-level transfer accounting with no user, session or query, not an audit event",
      "no event time (START_TIME is missing)",
    ]);
    const all = r.events.flatMap((e) => e.events);
    const mfa = all.find((e) => e.auth?.factors.includes("OTP"))!;
    expect(mfa).toMatchObject({ auth: { mfa: true }, actor: { kind_hint: "human", email: "ckent@dailyplanet.org" } });
    // the Panther copy leaves SECOND_AUTHENTICATION_FACTOR out: not recorded, not "no MFA"
    expect(
      all.find((e) => e.event_name === "LOGIN" && e.actor.login === "luthor@lexcorp.com" && e.status === "success")!.auth?.mfa,
    ).toBeNull();
    // elided failures: CLIENT_IP 0.0.0.0 is no address
    const overflow = all.find((e) => e.status_detail?.includes("OVERFLOW_FAILURE_EVENTS_ELIDED"))!;
    expect(overflow.src_endpoint.ip).toBeNull();
    expect(all.find((e) => e.event_name === "LOGOUT")).toMatchObject({ activity: "logoff" });
    // the query samples have only Panther's p_event_time: used, and said so
    const get = all.find((e) => e.event_name === "GET_FILES" && e.actor.login === "LEX_LUTHOR")!;
    expect(get).toMatchObject({
      privileged: true,
      activity: "export",
      resources: [{ type: "Stage", name: "PANTHER_LOGS.PUBLIC.data_exfil" }],
    });
    expect(get.extra.time_field).toBe("p_event_time");
    expect(
      all.filter((e) => e.event_name === "ALTER_USER" || e.event_name === "CREATE_USER").every((e) => e.privileged && e.class_uid === 3001),
    ).toBe(true);
    expect(all.find((e) => e.event_name === "CREATE_USER")!.extra.QUERY_TEXT).not.toContain("☺");
    expect(all.filter((e) => e.event_name === "CREATE").every((e) => !e.privileged)).toBe(true);
    expect(all.filter((e) => e.event_name.startsWith("GRANTS_TO_")).every((e) => e.privileged && e.class_uid === 3005)).toBe(true);
  });
});

describe("vendor risk signal", () => {
  it("keeps Snowflake logins blocked by a network policy (LOGIN_HISTORY ERROR_CODE 390422), not other failures in the risk field", async () => {
    expect(await risksOf(snowflake, "snowflake", "risk-signals-login_history.csv")).toEqual([
      [
        "LOGIN",
        {
          signal: "snowflake.blocked_login",
          label: "Snowflake login blocked by a network policy",
          vendor_level: null,
          vendor_state: "390422",
          reasons: [
            "Incoming request with IP/Token 203.0.113.252 is not allowed to access Snowflake. Contact your account administrator. For more information about this error, go to https://community.snowflake.com/s/ip-xxxxxxxxxxxx-is-not-allowed-to-access.",
          ],
          severity: "medium",
        },
      ],
      ["LOGIN", null],
      ["LOGIN", null],
    ]);
  });
});
