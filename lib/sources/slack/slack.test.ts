import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { toEventRow } from "@/lib/events/schema";
import { assertRobust, eventAt, fixturePath, HAS_SAMPLES, normalizeRate, printResult, runFile, SAMPLES_DIR, SKIP_SAMPLES_MESSAGE } from "../testing/samples";
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
    expect(eventAt(r, 1)).toMatchObject({ activity: "export", session: { key: "2964138721554" }, resources: [{ type: "slack:file", id: "F07QWERTY12", name: "customer-contracts.zip" }] });
    const scopes = eventAt(r, 2);
    expect(scopes).toMatchObject({ class_uid: 6002, privileged: true, client: { app_id: "A05REPORTS1", app_name: "Acme Reports Sync" }, extra: { previous_scopes: ["users:read"], granular_bot_token: true } });
    // The app's bot downloading from a new address: a bot, the app as client, no session id.
    expect(eventAt(r, 3)).toMatchObject({ actor: { kind_hint: "bot" }, client: { app_id: "A05REPORTS1" }, session: null, src_endpoint: { ip: "198.51.100.230" } });
    expect(eventAt(r, 4)).toMatchObject({ class_uid: 3005, activity: "assign_privileges", privileged: true, resources: [{ type: "slack:user", id: "W0AB1CD2EF" }] });
    const reset = eventAt(r, 5);
    expect(reset).toMatchObject({ actor: { kind_hint: "system", email: null }, src_endpoint: { ip: null }, user_agent: null, privileged: true });
    expect(toEventRow(login)).toMatchObject({ sessionKey: "2964138721554", actorExternalId: "W0AB1CD2EF" });
  });

  it("refuses an entry without an action or a time, with the reason", () => {
    const ctx = { fileName: "x.json", position: 0 };
    expect(() => slack.normalize({ date_create: 1741076102 }, ctx)).toThrow(/action is missing/);
    expect(() => slack.normalize({ action: "user_login" }, ctx)).toThrow(/no event time/);
  });

  it("never crashes on damaged records (fast-check, 10,000 runs)", () => {
    const records = JSON.parse(fs.readFileSync(PAGE, "utf8")).entries as unknown[];
    const { normalized, rejected } = assertRobust(slack, records, 10000);
    console.log(`slack robustness: ${normalized} normalized, ${rejected} rejected`);
    expect(normalized).toBeGreaterThan(0);
  });

  it("measures normalize throughput (printed, not asserted)", () => {
    const records = JSON.parse(fs.readFileSync(PAGE, "utf8")).entries as unknown[];
    console.log(`slack normalize (incl. schema check): ${Math.round(normalizeRate(slack, records)).toLocaleString()} records/s`);
  });
});

describe.skipIf(!HAS_SAMPLES)(`slack source: public samples (${HAS_SAMPLES ? SAMPLES_DIR : SKIP_SAMPLES_MESSAGE})`, () => {
  it("Panther rule tests: every record normalized or rejected with a reason", async () => {
    const r = await runFile(slack, path.join(SAMPLES_DIR, "slack/panther_rule_tests_slack.jsonl"));
    printResult(r);
    expect(r.total).toBe(44);
    expect(r.events.length).toBeGreaterThan(0);
    for (const reason of r.rejected.keys()) expect(reason).toMatch(/event time|action is missing/);
    const expanded = r.events.flatMap((e) => e.events).find((e) => e.event_name === "app_scopes_expanded")!;
    expect(expanded).toMatchObject({ privileged: true, actor: { email: "user@example.com", kind_hint: "human" }, src_endpoint: { ip: "1.2.3.4" } });
    expect(expanded.time.toISOString()).toBe("2022-07-28T16:48:14.000Z");
  });
});
