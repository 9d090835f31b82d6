import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { toEventRow } from "@/lib/events/schema";
import { assertRobust, describeSamples, eventAt, fixturePath, printResult, runFile, samplePath, risksOf } from "../testing/samples";
import { slack } from "./index";

const PAGE = fixturePath("slack", "slack-audit-logs-2025-03-04.json");

describe("slack source: own fixtures (Audit Logs API page)", () => {
  it("sessions from context.session_id, apps and bots, privileged admin actions", async () => {
    const r = await runFile(slack, PAGE);
    printResult(r);
    expect(r.total).toBe(6);
    expect(r.rejected.size).toBe(0);
    const login = eventAt(r, 0);
    expect(login).toMatchObject({
      platform: "slack",
      class_uid: 3002,
      activity: "logon",
      event_name: "user_login",
      native_id: "0123a45b-6c7d-8e9f-a0b1-c2d3e4f5a6b7",
      session: { key: "2964138721554", key_type: "slack.session_id" },
      credential: null,
      actor: { external_id: "W0AB1CD2EF", email: "maria.lopez@example.com", type: "user", kind_hint: "human" },
      src_endpoint: { ip: "203.0.113.24" },
      privileged: false,
    });
    expect(login.time.toISOString()).toBe("2025-03-04T08:15:02.000Z");
    expect(eventAt(r, 1)).toMatchObject({
      activity: "download",
      session: { key: "2964138721554" },
      resources: [{ type: "slack:file", id: "F07QWERTY12", name: "customer-contracts.zip" }],
    });
    const scopes = eventAt(r, 2);
    // A person widening an app's scopes: the person acts (human) with their own session, not with the app's grant;
    // the app is the subject (client, resource).
    expect(scopes).toMatchObject({
      class_uid: 6002,
      activity: "consent",
      privileged: true,
      actor: { kind_hint: "human", email: "it-admin@example.com" },
      client: { app_id: "A05REPORTS1", app_name: "Acme Reports Sync" },
      credential: null,
      extra: {
        previous_scopes: ["users:read"],
        granular_bot_token: true,
        scopes: ["channels:history", "files:read", "users:read"],
        is_internal_integration: false,
      },
    });
    // The app's bot (a B… bot id) downloading from a new address (context.app): a token of the app, no session id.
    expect(eventAt(r, 3)).toMatchObject({
      actor: { kind_hint: "bot" },
      client: { app_id: "A05REPORTS1" },
      credential: { key: "A05REPORTS1", key_type: "slack.app", kind: "access_token" },
      session: null,
      src_endpoint: { ip: "198.51.100.230" },
      extra: { app_acting: { id: "A05REPORTS1", name: "Acme Reports Sync" } },
    });
    expect(eventAt(r, 4)).toMatchObject({
      class_uid: 3005,
      activity: "assign_privileges",
      privileged: true,
      resources: [{ type: "slack:user", id: "W0AB1CD2EF" }],
    });
    const reset = eventAt(r, 5);
    expect(reset).toMatchObject({
      actor: { kind_hint: "system", email: null },
      src_endpoint: { ip: null },
      user_agent: null,
      privileged: true,
    });
    expect(toEventRow(login)).toMatchObject({ sessionKey: "2964138721554", actorExternalId: "W0AB1CD2EF" });
  });

  it("NDJSON entries: an app install and its bot, a workspace export, SSO and file-download settings, message, role, huddle", async () => {
    const r = await runFile(slack, fixturePath("slack", "slack-audit-logs-2025-03-05.ndjson"));
    printResult(r);
    expect(r.total).toBe(9);
    expect(r.rejected.size).toBe(0);
    // An admin installs an app: privileged consent, the app's grant is minted here, the app's owner and scopes kept.
    expect(eventAt(r, 0)).toMatchObject({
      event_name: "app_installed",
      class_uid: 6002,
      activity: "consent",
      privileged: true,
      actor: { kind_hint: "human", external_id: "W0ADMIN001" },
      session: { key: "2964100000001", key_type: "slack.session_id" },
      credential: null,
      issued_credentials: [{ key: "A07NOTES01", key_type: "slack.app", kind: "oauth_grant", principal: "Meeting Notes AI" }],
      client: { app_id: "A07NOTES01", app_name: "Meeting Notes AI" },
      resources: [{ type: "slack:app", id: "A07NOTES01", name: "Meeting Notes AI" }],
      extra: {
        is_internal_integration: false,
        app_owner_id: "W0VENDOR01",
        bot_scopes: ["channels:history", "files:read", "chat:write"],
        is_distributed: true,
      },
    });
    // Its bot downloads a file: actor type bot → kind bot, a token of the app's grant.
    expect(eventAt(r, 1)).toMatchObject({
      actor: { external_id: "B07NOTESBT", name: "meeting-notes-ai", type: "bot", kind_hint: "bot" },
      credential: { key: "A07NOTES01", kind: "access_token" },
      client: { app_id: "A07NOTES01" },
      class_uid: 6006,
      activity: "download",
      privileged: false,
    });
    // A workspace export is privileged; session_id as a string reads the same as the number.
    expect(eventAt(r, 2)).toMatchObject({
      activity: "export",
      privileged: true,
      session: { key: "2964100000001" },
      extra: { export_type: "STANDARD", export_start_ts: "2025-02-01 00:00:00" },
    });
    expect(eventAt(r, 3)).toMatchObject({
      event_name: "pref.sso_setting_changed",
      privileged: true,
      resources: [{ type: "slack:enterprise", id: "E0123ABCD" }],
      extra: { setting: "sso_setting", previous_value: "required", new_value: "optional" },
    });
    // A file-download policy change is privileged (and is a setting change, not a download); session_id 0 is none.
    expect(eventAt(r, 4)).toMatchObject({ activity: "update", privileged: true, session: null });
    expect(eventAt(r, 5)).toMatchObject({
      resources: [{ type: "slack:message", id: "C07SALES01/1741160000.123456", name: null }],
      privileged: false,
    });
    expect(eventAt(r, 6)).toMatchObject({
      class_uid: 3005,
      activity: "assign_privileges",
      privileged: true,
      resources: [{ type: "slack:role", id: "Rl07CHANADM", name: "Channel Admin" }],
    });
    expect(eventAt(r, 7)).toMatchObject({ class_uid: 3002, status: "failure", session: null });
    expect(eventAt(r, 8)).toMatchObject({ resources: [{ type: "slack:huddle", id: "R07HUDDLE1" }] });
  });

  it("refuses an entry without an action or a time, with the reason", () => {
    const ctx = { fileName: "x.json", position: 0 };
    expect(() => slack.normalize({ date_create: 1741076102 }, ctx)).toThrow(/action is missing/);
    expect(() => slack.normalize({ action: "user_login" }, ctx)).toThrow(/no event time/);
  });

  it("never crashes on damaged records (fast-check; npm run fuzz runs more)", () => {
    const records = JSON.parse(fs.readFileSync(PAGE, "utf8")).entries as unknown[];
    const { normalized, rejected } = assertRobust(slack, records);
    console.log(`slack robustness: ${normalized} normalized, ${rejected} rejected`);
    expect(normalized).toBeGreaterThan(0);
  });
});

describeSamples("slack source: public samples", () => {
  it("Panther rule tests: every record normalized or rejected with a reason", async () => {
    const r = await runFile(slack, samplePath("slack/panther_rule_tests_slack.jsonl"));
    printResult(r);
    expect(r.total).toBe(44);
    expect(r.events.length).toBeGreaterThan(0);
    for (const reason of r.rejected.keys()) expect(reason).toMatch(/event time|action is missing/);
    const expanded = r.events.flatMap((e) => e.events).find((e) => e.event_name === "app_scopes_expanded")!;
    expect(expanded).toMatchObject({
      privileged: true,
      actor: { email: "user@example.com", kind_hint: "human" },
      src_endpoint: { ip: "1.2.3.4" },
    });
    expect(expanded.time.toISOString()).toBe("2022-07-28T16:48:14.000Z");
    const all = r.events.flatMap((e) => e.events);
    const byName = (n: string) => all.filter((e) => e.event_name === n);
    // App installs mint the app's grant; uninstalling revokes the app's access (privileged), done with the
    // person's own session, not the app's grant.
    for (const e of byName("app_installed"))
      expect(e.issued_credentials.find((c) => c.key_type === "slack.app")).toMatchObject({ kind: "oauth_grant" });
    for (const e of byName("app_installed")) expect(e.privileged).toBe(true);
    expect(byName("app_uninstalled")[0]).toMatchObject({ activity: "revoke_privileges", privileged: true, credential: null });
    for (const n of ["idp_configuration_added", "role_change_to_admin", "role_change_to_user"])
      for (const e of byName(n)) expect(e.privileged, n).toBe(true);
    expect(byName("user_logout")[0]).toMatchObject({ class_uid: 3002, activity: "logoff", privileged: false });
    expect(byName("anomaly")[0]).toMatchObject({
      class_uid: 2004,
      status: "unknown",
      risk: { signal: "slack.anomaly", severity: "medium" },
    });
  });
});

describe("vendor risk signal", () => {
  it("keeps Slack's anomaly events with their details.reason codes in the risk field", async () => {
    expect(await risksOf(slack, "slack", "risk-signals-anomaly.json")).toEqual([
      [
        "anomaly",
        {
          signal: "slack.anomaly",
          label: "Slack anomaly",
          vendor_level: null,
          vendor_state: null,
          reasons: ["asn", "ip_address"],
          severity: "medium",
        },
      ],
      [
        "anomaly",
        {
          signal: "slack.anomaly",
          label: "Slack anomaly",
          vendor_level: null,
          vendor_state: null,
          reasons: ["tor", "unexpected_user_agent"],
          severity: "medium",
        },
      ],
    ]);
  });
});
