import fs from "node:fs";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { system } from "@/lib/context/request-context";
import { db, pool } from "@/lib/db";
import { ingestStream } from "@/lib/ingest/ingest-stream";
import { eventSkeleton, ocsfClass, toEventJson, type NormalizedEvent } from "@/lib/events/schema";
import { fixturePath } from "@/lib/sources/testing/samples";
import { projectGovernance } from "./project-governance";

const ingestFile = (path: string, name: string) =>
  ingestStream({ input: Readable.from([fs.readFileSync(path)]), fileName: name, via: "cli", ctx: system() });

function event(over: Partial<NormalizedEvent>): NormalizedEvent {
  return {
    ...eventSkeleton({
      platform: "servicenow",
      ...ocsfClass(3005),
      activity: "approve",
      event_name: "change_request",
      time: new Date("2026-11-23T09:00:00Z"),
      actor: { external_id: null, name: null, login: null, email: null, type: null, kind_hint: "human" },
    }),
    status: "success",
    ...over,
  };
}

const approval = (over: Partial<NonNullable<NormalizedEvent["approval"]>>): NonNullable<NormalizedEvent["approval"]> => ({
  system: "servicenow",
  ticket_key: "CHG0031001",
  status: null,
  approved: null,
  requester: null,
  approver: null,
  approved_at: null,
  window_start: null,
  window_end: null,
  scope: null,
  linked_identities: [],
  linked_items: [],
  ...over,
});

async function project(events: NormalizedEvent[], firstRaw = 1) {
  const client = await pool().connect();
  try {
    const source = await db().source.create({ data: { platform: "servicenow", name: `test-${firstRaw}` } });
    return await projectGovernance(client, {
      sourceId: source.id,
      rows: events.map((e, i) => ({ rawRecordId: firstRaw + i, data: toEventJson(e) })),
    });
  } finally {
    client.release();
  }
}

describe("governance projection", () => {
  it("merges a change request and its approver record into one approval, whichever arrives first", async () => {
    // The approver record first (a separate file), then the change itself.
    await project([
      event({
        time: new Date("2026-11-23T08:30:00Z"),
        approval: approval({
          approver: "dana.ops@example-corp.test",
          approved: true,
          approved_at: "2026-11-23T08:30:00Z",
          status: "approved",
        }),
      }),
    ]);
    const counts = await project(
      [
        event({
          time: new Date("2026-11-23T08:00:00Z"),
          approval: approval({
            status: "Scheduled",
            requester: "maria.lopez@example-corp.test",
            window_start: "2026-11-23T09:00:00Z",
            window_end: "2026-11-23T11:00:00Z",
            scope: "Export Q4 pipeline report for the audit",
            linked_identities: ["maria.lopez@example-corp.test"],
            linked_items: ["Salesforce production"],
          }),
        }),
      ],
      10,
    );
    expect(counts).toEqual({ approvals: 1, grants: 0, decisions: 0 });
    const rows = await db().approval.findMany({ where: { ticketKey: "CHG0031001" } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      system: "servicenow",
      approved: true,
      approver: "dana.ops@example-corp.test",
      requester: "maria.lopez@example-corp.test",
      scope: "Export Q4 pipeline report for the audit",
      linkedIdentities: ["maria.lopez@example-corp.test"],
      linkedItems: ["Salesforce production"],
    });
    // The newer record's status wins; the approval time and window come from whichever record had them.
    expect(rows[0].status).toBe("Scheduled");
    expect(rows[0].approvedAt?.toISOString()).toBe("2026-11-23T08:30:00.000Z");
    expect(rows[0].windowEnd?.toISOString()).toBe("2026-11-23T11:00:00.000Z");

    // Idempotent: the same events again change nothing.
    await project([event({ approval: approval({ linked_items: ["Salesforce production"] }) })], 20);
    const again = await db().approval.findMany({ where: { ticketKey: "CHG0031001" } });
    expect(again[0].linkedItems).toEqual(["Salesforce production"]);
    expect(again[0].approver).toBe("dana.ops@example-corp.test");
  });

  it("projects PAM grants with their window and a later revocation; text with NUL does not fail the chunk", async () => {
    const jit = {
      provider: "sessionproof.grant",
      stage: "completed" as const,
      assignment: null,
      role_id: null,
      role_name: "salesforce:System Administrator",
      principal_id: null,
      principal_name: "maria.lopez@example-corp.test",
      justification: "audit export\u0000",
      ticket: "CHG0031001",
      start_time: "2026-11-23T09:00:00Z",
      end_time: "2026-11-23T10:00:00Z",
      request_id: "PAM-7781",
      target_platform: "salesforce",
      approved_by: "dana.ops@example-corp.test",
      revoked_time: null,
    };
    await project([event({ platform: "pam-grants", jit })], 30);
    await project(
      [event({ platform: "pam-grants", time: new Date("2026-11-23T09:40:00Z"), jit: { ...jit, stage: "removed", revoked_time: null } })],
      40,
    );
    const g = await db().accessGrant.findFirstOrThrow({ where: { externalId: "PAM-7781" } });
    expect(g).toMatchObject({
      system: "sessionproof.grant",
      principal: "maria.lopez@example-corp.test",
      privilege: "salesforce:System Administrator",
      platform: "salesforce",
      approvedBy: "dana.ops@example-corp.test",
      ticketKey: "CHG0031001",
    });
    expect([g.grantedAt.toISOString(), g.expiresAt?.toISOString(), g.revokedAt?.toISOString()]).toEqual([
      "2026-11-23T09:00:00.000Z",
      "2026-11-23T10:00:00.000Z",
      "2026-11-23T09:40:00.000Z",
    ]);
  });

  it("ingest projects the decisions inside platform events and Entra PIM activations", async () => {
    const okta = await ingestFile(fixturePath("okta", "okta-system-log-page.json"), "okta-page.json");
    expect(okta.quarantined).toBe(0);
    const decisions = await db().policyDecision.findMany({ where: { engine: "okta.sign_on_policy" }, orderBy: { time: "asc" } });
    expect(decisions.length).toBeGreaterThan(0);
    expect(decisions[0]).toMatchObject({ result: "ALLOW", policy: "Default Policy", action: "policy.evaluate_sign_on" });
    expect(decisions[0].decisionId).toMatch(/^event:/);

    const entra = await ingestFile(fixturePath("entra", "graph-directory-audits-page.json"), "audits.json");
    expect(entra.quarantined).toBe(0);
    const grant = await db().accessGrant.findFirstOrThrow({ where: { system: "entra.pim" } });
    expect(grant).toMatchObject({
      externalId: "f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b",
      privilege: "Global Administrator",
      principal: "Maria Lopez",
      platform: "entra",
      ticketKey: "ServiceNow:INC-4821",
    });
    expect(grant.expiresAt?.toISOString()).toBe("2025-03-04T13:00:04.048Z");

    // Re-ingesting the same files adds no decision or grant.
    const before = [await db().policyDecision.count(), await db().accessGrant.count()];
    await ingestFile(fixturePath("okta", "okta-system-log-page.json"), "okta-page.json");
    await ingestFile(fixturePath("entra", "graph-directory-audits-page.json"), "audits.json");
    expect([await db().policyDecision.count(), await db().accessGrant.count()]).toEqual(before);
  });
});

describe("vendor JIT exports feed governance like the grant format", () => {
  it("Entra PIM schedule requests and AWS TEAM requests become access grants; a deactivation or revocation ends them", async () => {
    const pim = await ingestFile(fixturePath("pam-grants", "entra-pim-roleAssignmentScheduleRequests.json"), "pim-requests.json");
    expect(pim).toMatchObject({ platform: "pam-grants", quarantined: 0, stored: 5 });
    const g = await db().accessGrant.findFirstOrThrow({
      where: { system: "entra.pim", externalId: "4f5e6d7c-0001-4b3a-9c8d-7e6f5a4b3c21" },
    });
    expect(g).toMatchObject({
      principal: "alice@example.com",
      privilege: "Global Administrator",
      platform: "entra",
      ticketKey: "CHG0030001",
    });
    expect([g.grantedAt.toISOString(), g.expiresAt?.toISOString(), g.revokedAt?.toISOString()]).toEqual([
      "2025-03-04T08:05:13.000Z",
      "2025-03-04T10:05:13.000Z",
      "2025-03-04T09:40:01.000Z",
    ]);
    // Pending and denied requests grant nothing.
    expect(
      await db().accessGrant.count({ where: { system: "entra.pim", principal: { in: ["bob@example.com", "carol@example.com"] } } }),
    ).toBe(0);

    const team = await ingestFile(fixturePath("pam-grants", "aws-team-requests.json"), "team-requests.json");
    expect(team).toMatchObject({ platform: "pam-grants", quarantined: 0, stored: 3 });
    const grants = await db().accessGrant.findMany({ where: { system: "aws.team" }, orderBy: { grantedAt: "asc" } });
    expect(
      grants.map((x) => [x.principal, x.privilege, x.platform, x.approvedBy, x.ticketKey, x.revokedAt?.toISOString() ?? null]),
    ).toEqual([
      ["alice@example.com", "AdministratorAccess", "aws:111122223333", "bob@example.com", "INC0012345", null],
      ["carol@example.com", "DataEngineer", "aws:444455556666", "bob@example.com", "CHG0030003", "2025-03-04T15:30:00.000Z"],
    ]);
  });
});
