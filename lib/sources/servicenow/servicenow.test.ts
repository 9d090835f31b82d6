import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { toEventRow } from "@/lib/events/schema";
import { probeFile } from "../read";
import { detectPlatform } from "../registry";
import { assertRobust, describeSamples, eventAt, fixturePath, printResult, runFile, samplePath } from "../testing/samples";
import { servicenow } from "./index";

const RAW = fixturePath("servicenow", "change_request.json");
const DISPLAY_ALL = fixturePath("servicenow", "change_request_display_all.json");
const APPROVERS = fixturePath("servicenow", "sysapproval_approver.json");
const ctx = { fileName: "change_request.json", position: 0 };
const recordsOf = (file: string) => JSON.parse(fs.readFileSync(file, "utf8")).result as unknown[];

describe("servicenow source: own fixtures (Table API change_request and sysapproval_approver)", () => {
  it("raw values (sysparm_display_value=false): approved, requested and rejected changes, and an approver record", async () => {
    const r = await runFile(servicenow, RAW);
    printResult(r);
    expect(r.total).toBe(4);
    expect(r.rejected.size).toBe(0);

    const approved = eventAt(r, 0);
    expect(approved).toMatchObject({
      platform: "servicenow",
      class_uid: 3005,
      activity: "approve",
      event_name: "change_request",
      time: new Date("2025-03-04T12:41:09Z"), // approval_set
      session: null,
      credential: null,
      privileged: false,
      native_id: "a9e30c7dc61122760116894de7bcc7bd",
      actor: {
        external_id: "46d44a23a9fe19810012d100cca80666",
        name: "46d44a23a9fe19810012d100cca80666",
        type: "requester",
        kind_hint: "unknown",
      },
      resources: [
        { type: "cmdb_ci", id: "b0c25d1bc0a800090168be1bfcdcd759", name: null },
        { type: "change_request", id: "a9e30c7dc61122760116894de7bcc7bd", name: "CHG0030017" },
      ],
    });
    expect(approved.approval).toEqual({
      system: "servicenow",
      ticket_key: "CHG0030017",
      status: "approved",
      approved: true,
      requester: "46d44a23a9fe19810012d100cca80666",
      approver: null,
      approved_at: "2025-03-04T12:41:09.000Z",
      window_start: "2025-03-04T13:00:00.000Z",
      window_end: "2025-03-04T15:00:00.000Z",
      scope: "Rotate the payments KMS key\n\nRotate the CMK used by the payments service and re-encrypt the ledger bucket.",
      linked_identities: ["5137153cc611227c000bbd1bd8cd2005", "maria.lopez@example.com", "arn:aws:iam::111122223333:role/Admin"],
      linked_items: ["b0c25d1bc0a800090168be1bfcdcd759", "aws:111122223333"],
    });
    expect(approved.extra).toMatchObject({
      state: "-1",
      type: "normal",
      risk: "3",
      justification: "Annual key rotation required by PCI DSS 3.6.4",
    });

    // Pending approval: time = last update, not approved, empty references are absent.
    const pending = eventAt(r, 1);
    expect(pending).toMatchObject({
      activity: "request",
      time: new Date("2025-03-04T09:15:40Z"),
      resources: [{ type: "change_request", name: "CHG0030018" }],
    });
    expect(pending.approval).toMatchObject({
      approved: false,
      approved_at: null,
      status: "requested",
      linked_identities: [],
      linked_items: [],
      window_start: "2025-03-05T08:00:00.000Z",
    });

    const rejected = eventAt(r, 2);
    expect(rejected).toMatchObject({ activity: "reject", approval: { approved: false, status: "rejected", window_start: null } });

    // An approver record in the same file: keyed by the change's sys_id (raw values carry no number).
    const approver = eventAt(r, 3);
    expect(approver).toMatchObject({
      event_name: "sysapproval_approver",
      activity: "approve",
      time: new Date("2025-03-04T12:41:09Z"),
      actor: { external_id: "9ee1b13dc6112271007f9d0efdb69cd0", type: "approver" },
      native_id: "7a1c3e5f2b4d4a10a1b2c3d4e5f60718",
      resources: [{ type: "change_request", id: "a9e30c7dc61122760116894de7bcc7bd", name: null }],
    });
    expect(approver.approval).toMatchObject({
      ticket_key: "a9e30c7dc61122760116894de7bcc7bd",
      approved: true,
      approver: "9ee1b13dc6112271007f9d0efdb69cd0",
      approved_at: "2025-03-04T12:41:09.000Z",
      requester: null,
    });
    // The join key: the approver event's ticket_key is the change event's native_id (its sys_id).
    expect(approver.approval!.ticket_key).toBe(approved.native_id);
    expect(toEventRow(approved)).toMatchObject({ targetType: "cmdb_ci", actorType: "requester", privileged: false });
  });

  it("sysparm_display_value=all: raw values for times, display values for names", async () => {
    const r = await runFile(servicenow, DISPLAY_ALL);
    printResult(r);
    const e = eventAt(r, 0);
    expect(e).toMatchObject({
      time: new Date("2025-03-04T14:02:33Z"),
      actor: { name: "Maria Lopez", external_id: "46d44a23a9fe19810012d100cca80666" },
      resources: [
        { type: "cmdb_ci", id: "0c43b2a7c0a8010e01f6e1b9e4c52c5c", name: "GitHub acme-corp" },
        { type: "change_request", id: "3d5f8c2a1b9e4f7081a2b3c4d5e6f708", name: "CHG0030020" },
      ],
    });
    expect(e.approval).toMatchObject({
      ticket_key: "CHG0030020",
      status: "approved",
      approved: true,
      requester: "Maria Lopez",
      window_start: "2025-03-04T14:00:00.000Z",
      window_end: "2025-03-04T14:30:00.000Z",
      linked_identities: ["Maria Lopez", "ci-deployer"],
      linked_items: ["GitHub acme-corp"],
    });
    expect(e.extra).toMatchObject({ state: "-1", state_display: "Implement" });
  });

  it("sysapproval_approver with display values: keyed by the change number, whichever file comes first", async () => {
    const r = await runFile(servicenow, APPROVERS);
    printResult(r);
    expect(r.rejected.size).toBe(0);
    const ok = eventAt(r, 0);
    expect(ok).toMatchObject({
      activity: "approve",
      actor: { name: "Dmitri Ivanov", external_id: null, type: "approver" },
      time: new Date("2025-03-04T12:41:09Z"),
    });
    expect(ok.approval).toMatchObject({
      ticket_key: "CHG0030017",
      status: "Approved",
      approved: true,
      approver: "Dmitri Ivanov",
      approved_at: "2025-03-04T12:41:09.000Z",
    });
    expect(ok.approval!.scope).toMatch(/Approved for the 13:00-15:00 window/);
    const no = eventAt(r, 1);
    expect(no).toMatchObject({ activity: "reject", approval: { ticket_key: "CHG0030019", approved: false, approved_at: null } });
    const change = eventAt(await runFile(servicenow, RAW), 0);
    expect(ok.approval!.ticket_key).toBe(change.approval!.ticket_key);
  });

  it("rejects what is not a ServiceNow record, with a reason", () => {
    expect(() => servicenow.normalize({ id: 1, url: "https://x.zendesk.com" }, ctx)).toThrow(
      "not a ServiceNow record: number and sys_id are missing",
    );
    expect(() => servicenow.normalize({ number: "CHG0000001" }, ctx)).toThrow(/no event time/);
    // A CMDB CI (or any record that is not a task) is not an approval.
    const ci = {
      sys_id: "b0cb50c3c0a8000900893e69d3c5885e",
      sys_class_name: "cmdb_ci_server",
      name: "web01",
      sys_updated_on: "2026-11-20 12:00:00",
    };
    expect(() => servicenow.normalize(ci, ctx)).toThrow(/not a ServiceNow task/);
    expect(() => servicenow.normalize({ ...ci, sys_class_name: undefined }, ctx)).toThrow(/not a ServiceNow task/);
    // A canceled change with an undecided approval is refused; a rejected-then-canceled one stays rejected.
    const chg = {
      sys_id: "c1a2b3c4d5e6f7a8b9c0d1e2f3a4b503",
      number: "CHG0030103",
      sys_class_name: "change_request",
      sys_updated_on: "2026-12-01 08:00:00",
    };
    expect(servicenow.normalize({ ...chg, state: "4", approval: "not requested" }, ctx)[0].approval).toMatchObject({ approved: false });
    expect(servicenow.normalize({ ...chg, state: { display_value: "Canceled", value: "4" }, approval: "" }, ctx)[0].approval).toMatchObject(
      { approved: false },
    );
    expect(servicenow.normalize({ ...chg, state: "-5", approval: "" }, ctx)[0].approval).toMatchObject({ approved: null });
    expect(() =>
      servicenow.normalize({ approver: "x", sysapproval: "", state: "approved", sys_updated_on: "2025-01-01 00:00:00" }, ctx),
    ).toThrow(/without the record it approves/);
    expect(() => servicenow.normalize("CHG0000001", ctx)).toThrow("not a JSON object");
  });

  it("detection: its own files, renamed too", () => {
    for (const file of [RAW, DISPLAY_ALL, APPROVERS]) {
      const p = probeFile(fs.readFileSync(file), path.basename(file));
      expect(detectPlatform(p)?.platform, file).toBe("servicenow");
      expect(detectPlatform({ ...p, fileName: "upload.bin" })?.platform, `${file} renamed`).toBe("servicenow");
    }
  });

  it("never crashes on damaged records (fast-check; npm run fuzz runs more)", () => {
    const records = [...recordsOf(RAW), ...recordsOf(DISPLAY_ALL), ...recordsOf(APPROVERS)];
    const { normalized, rejected } = assertRobust(servicenow, records);
    console.log(`servicenow robustness: ${normalized} normalized, ${rejected} rejected`);
    expect(normalized).toBeGreaterThan(0);
  });
});

describeSamples("servicenow source: public samples", () => {
  it("no public ServiceNow sample: the ticketing samples (Zendesk audit) are refused with a reason, not mis-detected", async () => {
    for (const name of ["ticketing/panther_rule_tests_ticketing.jsonl", "atlassian_jira/panther_rule_tests_atlassian_jira.jsonl"]) {
      const file = samplePath(name);
      if (!fs.existsSync(file)) continue;
      const r = await runFile(servicenow, file);
      printResult(r);
      expect(r.events.length, name).toBe(0);
      for (const reason of r.rejected.keys()) expect(reason).toMatch(/^Panther (Zendesk|Atlassian)\.\w+ record: not a ServiceNow record$/);
      expect(servicenow.detect(probeFile(fs.readFileSync(file), path.basename(file)))).toBe(0);
    }
  });
});
