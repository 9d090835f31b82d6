import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { toEventRow } from "@/lib/events/schema";
import { probeFile } from "../read";
import { detectPlatform } from "../registry";
import { assertRobust, describeSamples, eventAt, fixturePath, printResult, runFile, samplePath } from "../testing/samples";
import { NormalizeError } from "../types";
import { atlassian } from "./index";

const ORG_PAGE = fixturePath("atlassian", "org-audit-events-2025-03-04.json");
const JIRA_PAGE = fixturePath("atlassian", "jira-auditing-record-page.json");
const ctx = { fileName: "t.json", position: 0 };
const orgEvents = () => JSON.parse(fs.readFileSync(ORG_PAGE, "utf8")).data as Record<string, unknown>[];
const jiraRecords = () => JSON.parse(fs.readFileSync(JIRA_PAGE, "utf8")).records as Record<string, unknown>[];
const probe = (file: string, name = path.basename(file)) => probeFile(fs.readFileSync(file).subarray(0, 256 * 1024), name);

describe("atlassian source: own fixtures (org audit log page, Jira auditing records page)", () => {
  it("org audit log: impersonation, API tokens as credentials, privileged admin actions, no session", async () => {
    const r = await runFile(atlassian, ORG_PAGE);
    printResult(r);
    expect(r.total).toBe(6);
    expect(r.rejected.size).toBe(0);
    for (const e of r.events) expect(e.events[0].session).toBeNull();

    const imp = eventAt(r, 0);
    expect(imp).toMatchObject({
      class_uid: 3002,
      activity: "impersonate",
      event_name: "user_logged_in_as_user",
      privileged: true,
      time: new Date("2025-03-04T12:05:31.214Z"),
      message: "Logged in as alice.novak@contoso-fin.com",
      actor: {
        external_id: "5f1a2b3c4d5e6f7a8b9c0d1e",
        name: "Ines Admin",
        email: "ines.admin@contoso-fin.com",
        type: null,
        kind_hint: "human",
      },
      credential: null,
      src_endpoint: { ip: "198.51.100.23", location: { city: "Amsterdam", region: "North Holland", country: "Netherlands" } },
      native_id: "3f1e2d4c-5b6a-4798-8a9b-0c1d2e3f4a5b",
    });
    // The impersonated user first, then the site.
    expect(imp.resources).toEqual([
      { type: "users", id: "712020:8a9b0c1d-2e3f-4a5b-6c7d-8e9f0a1b2c3d", name: "Alice Novak" },
      { type: "sites", id: "5c8e2a17-3b4d-4f6e-9a0b-1c2d3e4f5a6b", name: "contoso-fin" },
    ]);

    // api_token_created: the new token (context item) is an issued credential of the acting user.
    const created = eventAt(r, 1);
    expect(created).toMatchObject({ class_uid: 3001, activity: "issue_credentials", privileged: true });
    expect(created.issued_credentials).toEqual([
      {
        key: "ATATT3xFfGF0k9Qm",
        key_type: "atlassian.tokenId",
        kind: "api_token",
        native_type: "api-tokens",
        parent_key: null,
        parent_key_type: null,
        principal: "712020:8a9b0c1d-2e3f-4a5b-6c7d-8e9f0a1b2c3d",
        source_identity: null,
        expiration: null,
      },
    ]);

    // The same token later acting (actor.auth): credential api_token, actor kind api_token.
    const granted = eventAt(r, 2);
    expect(granted).toMatchObject({
      class_uid: 3005,
      activity: "assign_privileges",
      privileged: true,
      credential: { key: "ATATT3xFfGF0k9Qm", key_type: "atlassian.tokenId", kind: "api_token", native_type: "user-api-token" },
      actor: { kind_hint: "api_token", email: "alice.novak@contoso-fin.com" },
      src_endpoint: { ip: "203.0.113.99" },
    });
    expect(granted.extra.tokenLabel).toBe("ci-sync");
    expect(granted.resources.map((x) => x.type)).toEqual(["groups", "products", "sites", "orgs"]);

    // An org API key (container-token) changing an authentication policy.
    expect(eventAt(r, 3)).toMatchObject({
      privileged: true,
      credential: { kind: "api_token", native_type: "container-token" },
      actor: { kind_hint: "api_token" },
      src_endpoint: { ip: "192.0.2.200", location: null },
    });
    // A plain login is not privileged.
    expect(eventAt(r, 4)).toMatchObject({
      class_uid: 3002,
      activity: "logon",
      privileged: false,
      credential: null,
      src_endpoint: { ip: "2001:db8:4a1::17", location: { city: "Utrecht", region: null, country: "Netherlands" } },
    });
    expect(eventAt(r, 5)).toMatchObject({
      class_uid: 3006,
      activity: "add_user",
      privileged: true,
      resources: [{ type: "users", name: "Ravi Menon" }, { type: "groups", name: "site-admins" }, { type: "sites" }],
    });

    expect(toEventRow(granted)).toMatchObject({
      sessionKey: null,
      credentialKey: "ATATT3xFfGF0k9Qm",
      targetType: "groups",
      targetName: "jira-software-users",
      privileged: true,
    });
  });

  it("Jira auditing records: objectItem then associated items, category-based privilege, system events without author", async () => {
    const r = await runFile(atlassian, JIRA_PAGE);
    printResult(r);
    expect(r.total).toBe(4);
    expect(r.rejected.size).toBe(0);
    const grp = eventAt(r, 0);
    expect(grp).toMatchObject({
      class_uid: 3006,
      activity: "add_user",
      event_name: "User added to group",
      privileged: true,
      time: new Date("2025-03-04T12:41:07.112Z"),
      actor: { external_id: "5f1a2b3c4d5e6f7a8b9c0d1e", login: "ug:5f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c", kind_hint: "human" },
      src_endpoint: { ip: "198.51.100.23" },
      session: null,
      credential: null,
      native_id: "10412",
    });
    expect(grp.resources).toEqual([
      { type: "GROUP", id: null, name: "jira-administrators" },
      { type: "USER", id: "712020:1e2f3a4b-5c6d-4e7f-8a9b-0c1d2e3f4a5b", name: "Ravi Menon" },
    ]);
    expect(grp.extra).toMatchObject({ shape: "jira-auditing-record", category: "group management" });
    expect(eventAt(r, 1)).toMatchObject({
      activity: "create",
      privileged: false,
      resources: [{ type: "PROJECT", id: "10042", name: "TREAS" }],
    });
    expect(eventAt(r, 1).extra.changedValues).toHaveLength(3);
    expect(eventAt(r, 2)).toMatchObject({
      class_uid: 3005,
      privileged: true,
      message: "Browse Projects granted to group jira-software-users",
    });
    expect(eventAt(r, 3)).toMatchObject({ privileged: false, actor: { external_id: null, login: null }, src_endpoint: { ip: null } });
  });

  it("a whole page reaching normalize() gives one event per element", () => {
    const org = JSON.parse(fs.readFileSync(ORG_PAGE, "utf8"));
    expect(atlassian.normalize(org, ctx)).toHaveLength(6);
    expect(atlassian.normalize(JSON.parse(fs.readFileSync(JIRA_PAGE, "utf8")), ctx)).toHaveLength(4);
    expect(() => atlassian.normalize({ data: [], links: {}, meta: {} }, ctx)).toThrow(/without events/);
  });

  it("refuses what is not an Atlassian audit record, with the reason", () => {
    expect(() => atlassian.normalize({ id: "x", attributes: { time: "2025-03-04T12:00:00Z" } }, ctx)).toThrow(
      /attributes\.action or attributes\.time is missing/,
    );
    expect(() =>
      atlassian.normalize({ ...orgEvents()[0], attributes: { ...(orgEvents()[0].attributes as object), time: "soon" } }, ctx),
    ).toThrow(/unreadable event time in attributes\.time/);
    expect(() =>
      atlassian.normalize({ id: "10000", key: "SEC-1", fields: { summary: "s", created: "2025-03-04T12:00:00.000+0000" } }, ctx),
    ).toThrow(/not an Atlassian audit record/);
    expect(() => atlassian.normalize({ _source_file: "x.yml", _test_name: "t", _log_type: "Zendesk.Audit", event: {} }, ctx)).toThrow(
      /Panther Zendesk\.Audit record: not a supported Atlassian audit record/,
    );
    expect(() => atlassian.normalize("text", ctx)).toThrow(NormalizeError);
  });

  it("detection: both shapes are atlassian's; Azure Monitor's \"records\" envelope and Jira issues are not", () => {
    expect(detectPlatform(probe(ORG_PAGE, "upload.json"))?.platform).toBe("atlassian");
    expect(detectPlatform(probe(JIRA_PAGE, "upload.json"))?.platform).toBe("atlassian");
    const jiraNdjson = Buffer.from(
      jiraRecords()
        .map((x) => JSON.stringify(x))
        .join("\n") + "\n",
    );
    expect(detectPlatform(probeFile(jiraNdjson, "audit.jsonl"))?.platform).toBe("atlassian");
    for (const f of [
      "entra/fixtures/azure-monitor-signinlogs.json",
      "entra/fixtures/azure-monitor-auditlogs.ndjson",
      "jira/fixtures/search-SEC-changelog.json",
      "jira/fixtures/issue-CHANGE-77.json",
    ]) {
      const p = probe(path.resolve(process.cwd(), "lib/sources", f));
      expect(atlassian.detect(p), f).toBe(0);
      expect(detectPlatform(p)?.platform, f).not.toBe("atlassian");
    }
  });

  it(`never crashes on damaged records (fast-check, ${process.env.FC_RUNS ?? 2000} runs)`, () => {
    const records = [
      ...orgEvents(),
      ...jiraRecords(),
      { _source_file: "rules/x.yml", _test_name: "t", _log_type: "Atlassian.Audit", event: orgEvents()[0] },
    ];
    const { normalized, rejected } = assertRobust(atlassian, records);
    console.log(`atlassian robustness: ${normalized} normalized, ${rejected} rejected`);
    expect(normalized).toBeGreaterThan(0);
  });
});

describeSamples("atlassian source: public samples", () => {
  it("Panther Atlassian.Audit: every record normalized; impersonation privileged, a plain login not", async () => {
    const file = samplePath("atlassian_jira/panther_rule_tests_atlassian_jira.jsonl");
    const r = await runFile(atlassian, file);
    printResult(r);
    expect(r.total).toBe(2);
    expect(r.events.length).toBe(2);
    expect(eventAt(r, 0)).toMatchObject({
      event_name: "user_logged_in_as_user",
      activity: "impersonate",
      privileged: true,
      session: null,
      actor: { email: "example.admin@example.com" },
    });
    expect(eventAt(r, 0).resources[0]).toEqual({ type: "users", id: null, name: "example.user@example.io" });
    expect(eventAt(r, 1)).toMatchObject({ event_name: "user_login", privileged: false });
    expect(detectPlatform(probe(file))?.platform).toBe("atlassian");
  });

  it("other platforms' samples are refused with a reason, not mis-read", async () => {
    for (const name of ["ticketing/panther_rule_tests_ticketing.jsonl", "slack/panther_rule_tests_slack.jsonl"]) {
      const r = await runFile(atlassian, samplePath(name));
      printResult(r);
      expect(r.events.length, name).toBe(0);
      for (const reason of r.rejected.keys()) expect(reason).toMatch(/^Panther \S+ record: not a supported Atlassian audit record$/);
    }
  });
});
