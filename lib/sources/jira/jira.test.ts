import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { toEventRow } from "@/lib/events/schema";
import { probeFile } from "../read";
import { detectPlatform } from "../registry";
import { assertRobust, describeSamples, eventAt, fixturePath, printResult, runFile, samplePath } from "../testing/samples";
import { jira } from "./index";

const SEARCH = fixturePath("jira", "search-SEC-changelog.json");
const ISSUE = fixturePath("jira", "issue-CHANGE-77.json");
const ctx = { fileName: "issues.json", position: 0 };
const records = () => [
  ...(JSON.parse(fs.readFileSync(SEARCH, "utf8")).issues as unknown[]),
  JSON.parse(fs.readFileSync(ISSUE, "utf8")),
  JSON.parse(fs.readFileSync(SEARCH, "utf8")),
];

describe("jira source: own fixtures (REST search with changelog, single issue with names)", () => {
  it("search page: approval from the changelog, pending and declined issues", async () => {
    const r = await runFile(jira, SEARCH);
    printResult(r);
    expect(r.rejected.size).toBe(0);
    // The reader's envelope pre-filter does not know "issues" yet, so the page arrives whole (one record, three
    // events); once it splits pages, each issue is its own record. Either way: three events, in order.
    expect(r.events.flatMap((e) => e.events).map((e) => e.approval?.ticket_key)).toEqual(["SEC-142", "SEC-143", "SEC-144"]);
    // The page as one record, as a saved search page is: its `names` gives the change window.
    const [approved, pending, declined] = jira.normalize(JSON.parse(fs.readFileSync(SEARCH, "utf8")), ctx);

    expect(approved).toMatchObject({
      platform: "jira",
      class_uid: 3005,
      activity: "approve",
      event_name: "issue",
      time: new Date("2025-03-04T12:52:41Z"), // the changelog entry that moved status to Approved
      session: null,
      credential: null,
      privileged: false,
      native_id: "10142",
      actor: {
        external_id: "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077",
        name: "Dmitri Ivanov",
        email: "dmitri.ivanov@example.com",
        type: "approver",
        kind_hint: "human",
      },
      resources: [
        { type: "jira.component", id: "10020", name: "github:acme-corp" },
        { type: "jira.issue", id: "10142", name: "SEC-142" },
      ],
    });
    expect(approved.approval).toEqual({
      system: "jira",
      ticket_key: "SEC-142",
      status: "Done",
      approved: true,
      requester: "maria.lopez@example.com",
      approver: "dmitri.ivanov@example.com",
      approved_at: "2025-03-04T12:52:41.000Z",
      window_start: "2025-03-04T13:00:00.000Z", // customfield_10051, named "Change start" by the page's `names`
      window_end: "2025-03-04T13:30:00.000Z",
      scope:
        "Temporary Owner on GitHub acme-corp for ci-deployer\n\nGrant Owner to ci-deployer for 30 minutes to transfer the billing repository.\nRollback: remove the role.",
      linked_identities: ["ci-deployer@example.com"],
      linked_items: ["github:acme-corp"],
    });
    expect(approved.extra).toMatchObject({
      project: "SEC",
      issuetype: "Access Request",
      approval_source: "changelog",
      resolutiondate: "2025-03-04T13:20:00.000Z",
    });

    // Waiting for approval: the issue does not say yet; time = last update; actor = reporter.
    expect(pending).toMatchObject({
      activity: "update",
      time: new Date("2025-03-04T14:05:30Z"),
      actor: { type: "reporter", email: "nora.kim@example.com" },
    });
    expect(pending.approval).toMatchObject({
      approved: null,
      approver: null,
      status: "Waiting for approval",
      scope: expect.stringMatching(/v2 plain-text description/),
    });

    // Declined; reported by an app user (Automation for Jira) → bot.
    expect(declined).toMatchObject({
      activity: "reject",
      actor: { kind_hint: "bot", type: "reporter" },
      approval: { approved: false, status: "Declined" },
    });
    expect(toEventRow(approved)).toMatchObject({ targetType: "jira.component", actorName: "Dmitri Ivanov", privileged: false });
    // Split into issues (no page `names`), the same events without the window.
    const single = jira.normalize(JSON.parse(fs.readFileSync(SEARCH, "utf8")).issues[0], ctx)[0];
    expect({ ...single, approval: { ...single.approval, window_start: "x", window_end: "x" } }).toEqual({
      ...approved,
      approval: { ...approved.approval, window_start: "x", window_end: "x" },
    });
    expect(single.approval).toMatchObject({ window_start: null, window_end: null });
    // A page with a bad issue is rejected whole, naming the issue.
    const page = JSON.parse(fs.readFileSync(SEARCH, "utf8"));
    page.issues[1].fields = null;
    expect(() => jira.normalize(page, ctx)).toThrow("Jira search page, issue #1: not a Jira issue: fields is missing");
    expect(() => jira.normalize({ issues: [] }, ctx)).toThrow("Jira search page without issues");
  });

  it("single issue with expand=names: JSM approvals field and the change window", async () => {
    const r = await runFile(jira, ISSUE);
    printResult(r);
    const e = eventAt(r, 0);
    expect(e).toMatchObject({
      activity: "approve",
      time: new Date("2025-03-04T12:41:09Z"),
      actor: { name: "Dmitri Ivanov", type: "approver" },
    });
    expect(e.approval).toMatchObject({
      ticket_key: "CHANGE-77",
      status: "Implementing",
      approved: true,
      approver: "dmitri.ivanov@example.com",
      approved_at: "2025-03-04T12:41:09.000Z",
      window_start: "2025-03-04T13:00:00.000Z",
      window_end: "2025-03-04T15:00:00.000Z",
      linked_items: ["aws:111122223333"],
    });
    expect(e.extra.approval_source).toBe("customfield_10027");
  });

  it("a changelog approval later declined is not approved; a status alone can say approved", () => {
    const base = JSON.parse(fs.readFileSync(SEARCH, "utf8")).issues[0];
    const declined = structuredClone(base);
    declined.fields.status = { name: "Declined" };
    expect(jira.normalize(declined, ctx)[0].approval).toMatchObject({ approved: false, approver: null });
    const bare = { key: "OPS-9", fields: { status: { name: "Approved" }, updated: "2025-03-04T10:00:00.000+0000" } };
    expect(jira.normalize(bare, ctx)[0]).toMatchObject({
      activity: "approve",
      time: new Date("2025-03-04T10:00:00Z"),
      approval: { approved: true, approver: null, approved_at: null },
    });
  });

  it("rejects what is not a Jira issue, with a reason (audit records belong to the atlassian source)", () => {
    const auditRecord = {
      id: 10101,
      summary: "User created",
      remoteAddress: "192.0.2.10",
      authorKey: "admin",
      created: "2025-03-04T10:00:00.000+0000",
      category: "user management",
      eventSource: "",
      objectItem: { id: "jira-user", name: "jdoe", typeName: "USER" },
    };
    expect(() => jira.normalize(auditRecord, ctx)).toThrow("not a Jira issue: key is missing");
    expect(jira.detect({ fileName: "audit.json", container: "envelope", envelopeKey: "records", records: [auditRecord] })).toBe(0);
    expect(() => jira.normalize({ key: "SEC-1" }, ctx)).toThrow("not a Jira issue: fields is missing");
    expect(() => jira.normalize({ key: "SEC-1", fields: { issuetype: { name: "Change" } } }, ctx)).toThrow(/no event time/);
    // A Bug moving between work statuses is not an approval.
    const bug = {
      key: "SEC-2",
      fields: { issuetype: { name: "Bug" }, status: { name: "In Progress" }, updated: "2026-12-01T10:00:00.000+0000" },
    };
    expect(() => jira.normalize(bug, ctx)).toThrow(/not an approval/);
    // The same Bug sent through an approval workflow is one.
    expect(jira.normalize({ ...bug, fields: { ...bug.fields, status: { name: "Awaiting approval" } } }, ctx)[0].approval).toMatchObject({
      approved: null,
    });
  });

  it("detection: its own files, renamed too", () => {
    for (const file of [SEARCH, ISSUE]) {
      const p = probeFile(fs.readFileSync(file), path.basename(file));
      expect(detectPlatform(p)?.platform, file).toBe("jira");
      expect(detectPlatform({ ...p, fileName: "upload.bin" })?.platform, `${file} renamed`).toBe("jira");
    }
  });

  it("never crashes on damaged records (fast-check; npm run fuzz runs more)", () => {
    const { normalized, rejected } = assertRobust(jira, records());
    console.log(`jira robustness: ${normalized} normalized, ${rejected} rejected`);
    expect(normalized).toBeGreaterThan(0);
  });
});

describeSamples("jira source: public samples", () => {
  it("no public Jira issue sample: Atlassian audit and Zendesk records are refused with a reason, not mis-detected", async () => {
    for (const name of ["atlassian_jira/panther_rule_tests_atlassian_jira.jsonl", "ticketing/panther_rule_tests_ticketing.jsonl"]) {
      const file = samplePath(name);
      if (!fs.existsSync(file)) continue;
      const r = await runFile(jira, file);
      printResult(r);
      expect(r.events.length, name).toBe(0);
      for (const reason of r.rejected.keys()) expect(reason).toMatch(/^Panther (Atlassian|Zendesk)\.\w+ record: not a Jira issue record$/);
      expect(jira.detect(probeFile(fs.readFileSync(file), path.basename(file)))).toBe(0);
    }
  });
});
