import crypto from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { testContext } from "@/lib/context/testing";
import { pool } from "@/lib/db";
import { approvalFeedsHoldData, getCoverage } from "./get-coverage";
import { vendorRetention, vendorRetentionSummary } from "@/lib/sources/registry";
import { computeRetention } from "./retention";
import { setRequiredRetention } from "./set-required-retention";
import { EVIDENCE_FIELDS, requiredRetentionInput, type EvidenceField } from "./types";

// Crafted events with known gaps on three platforms; every expected figure is counted here from the arrays
// that were inserted, then compared with what the single SQL pass reports.
type Spec = {
  platform: string;
  time: string;
  sessionKey?: string;
  credentialKey?: string;
  actorType?: string;
  identity?: "human" | "unknown";
  clientAppId?: string;
  srcIp?: string;
  userAgent?: string;
  targetId?: string;
  targetName?: string;
  privileged?: boolean;
  linkSession?: boolean;
  gcApproval?: boolean;
  gcNoApproval?: boolean;
  /** A ticket linked, but approved only after the action: not a valid approval. */
  gcLate?: boolean;
  pdRow?: boolean;
  dataPolicy?: boolean;
  dataApproval?: boolean;
  jitTicket?: string;
};

const SPECS: Spec[] = [
  // okta: session keys everywhere but one, IPs on two of five, a policy outcome in the event on one and a
  // policy_decision row on another; one privileged event with an approval, one without.
  {
    platform: "okta",
    time: "2025-01-01T00:00:00Z",
    sessionKey: "s1",
    actorType: "User",
    identity: "human",
    srcIp: "10.0.0.1",
    userAgent: "ua",
    targetId: "t1",
    linkSession: true,
    dataPolicy: true,
  },
  {
    platform: "okta",
    time: "2025-02-01T00:00:00Z",
    sessionKey: "s1",
    actorType: "User",
    identity: "human",
    userAgent: "ua",
    privileged: true,
    gcApproval: true,
    linkSession: true,
  },
  {
    platform: "okta",
    time: "2025-02-10T00:00:00Z",
    sessionKey: "s2",
    actorType: "SystemPrincipal",
    userAgent: "okta-workflows",
    targetName: "app",
    privileged: true,
    gcNoApproval: true,
    pdRow: true,
  },
  {
    platform: "okta",
    time: "2025-03-01T00:00:00Z",
    sessionKey: "s2",
    identity: "unknown",
    srcIp: "10.0.0.2",
    clientAppId: "0oa1",
    userAgent: "ua",
  },
  { platform: "okta", time: "2025-03-04T12:00:00Z", credentialKey: "00T1", actorType: "User", identity: "human", userAgent: "ua" },
  // github: no session keys at all, token ids on three of four.
  {
    platform: "github",
    time: "2025-02-01T00:00:00Z",
    credentialKey: "h1",
    actorType: "User",
    srcIp: "1.1.1.1",
    targetName: "repo",
    identity: "human",
  },
  { platform: "github", time: "2025-02-02T00:00:00Z", credentialKey: "h1", actorType: "Bot", targetName: "repo" },
  // The last two are in a session the correlation grouped by time (github logs no session id here).
  // Its one privileged event has a ticket linked that was approved only after the action: no valid approval.
  {
    platform: "github",
    time: "2025-02-03T00:00:00Z",
    credentialKey: "h2",
    targetId: "r9",
    privileged: true,
    linkSession: true,
    gcLate: true,
  },
  { platform: "github", time: "2025-02-04T00:00:00Z", userAgent: "curl", linkSession: true },
  // pam-grants: grant feed rows; ticket on one of two.
  { platform: "pam-grants", time: "2025-02-05T00:00:00Z", credentialKey: "g1", targetName: "admin", jitTicket: "CHG1" },
  { platform: "pam-grants", time: "2025-02-06T00:00:00Z", credentialKey: "g2", targetName: "admin" },
  // servicenow: an approval feed event carries data.approval.
  { platform: "servicenow", time: "2025-02-07T00:00:00Z", targetName: "CHG1", dataApproval: true },
];

function expectedFilled(s: Spec, field: EvidenceField): boolean {
  switch (field) {
    case "session_id":
      return !!s.sessionKey;
    case "credential_id":
      return !!s.credentialKey;
    case "actor_kind":
      return s.identity === "human" || !!s.actorType;
    case "oauth_client":
      return !!s.clientAppId;
    case "ip":
      return !!s.srcIp;
    case "user_agent":
      return !!s.userAgent;
    case "target_object":
      return !!(s.targetId || s.targetName);
    case "approval_ref":
      return !!(s.gcApproval || s.gcNoApproval || s.gcLate || s.dataApproval || s.jitTicket);
    case "policy_decision":
      return !!(s.pdRow || s.dataPolicy);
  }
}

async function insert(specs: Spec[]) {
  const c = pool();
  const humanId = crypto.randomUUID();
  const unknownId = crypto.randomUUID();
  await c.query(`INSERT INTO identity (id, kind, "displayName") VALUES ($1, 'human', 'Maria'), ($2, 'unknown', 'someone')`, [
    humanId,
    unknownId,
  ]);
  const sessionId = crypto.randomUUID();
  await c.query(
    `INSERT INTO session (id, platform, "sessionKey", "keyType", rule, "startedAt", "endedAt") VALUES ($1, 'okta', 's1', 'okta.externalSessionId', 'test', now(), now())`,
    [sessionId],
  );
  const sourceId = crypto.randomUUID();
  let raw = 1;
  for (const s of specs) {
    const data = {
      platform: s.platform,
      policy: s.dataPolicy ? { engine: "okta.sign_on_policy", result: "ALLOW" } : null,
      approval: s.dataApproval ? { system: "servicenow", ticket_key: "CHG1" } : null,
      jit: s.jitTicket
        ? { provider: "sessionproof.grant", ticket: s.jitTicket }
        : s.platform === "pam-grants"
          ? { provider: "sessionproof.grant", ticket: null }
          : null,
    };
    const { rows } = await c.query<{ id: string }>(
      `INSERT INTO event ("sourceId", "rawRecordId", platform, time, "classUid", "className", activity,
         "sessionKey", "credentialKey", "actorType", "identityId", "clientAppId", "srcIp", "userAgent", "targetId", "targetName",
         privileged, "sessionId", data)
       VALUES ($1, $2, $3, $4, 3002, 'Authentication', 'logon', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
      [
        sourceId,
        raw++,
        s.platform,
        s.time,
        s.sessionKey ?? null,
        s.credentialKey ?? null,
        s.actorType ?? null,
        s.identity === "human" ? humanId : s.identity === "unknown" ? unknownId : null,
        s.clientAppId ?? null,
        s.srcIp ?? null,
        s.userAgent ?? null,
        s.targetId ?? null,
        s.targetName ?? null,
        s.privileged ?? false,
        s.linkSession ? sessionId : null,
        JSON.stringify(data),
      ],
    );
    const eventId = rows[0].id;
    if (s.gcApproval || s.gcNoApproval || s.gcLate) {
      const status = s.gcApproval ? "ok" : s.gcLate ? "approved_after_action" : "unapproved";
      await c.query(
        `INSERT INTO governance_check (id, "eventId", platform, time, action, category, "approvalId", "approvalRef", status, statuses, reasons)
         VALUES ($1, $2, $3, $4, 'x', 'admin_role_change', $5, $6, $7, $8, '[]')`,
        [
          crypto.randomUUID(),
          eventId,
          s.platform,
          s.time,
          s.gcApproval || s.gcLate ? crypto.randomUUID() : null,
          s.gcApproval ? "CHG9" : s.gcLate ? "CHG10" : "CHG404",
          status,
          status === "ok" ? [] : [status],
        ],
      );
    }
    if (s.pdRow) {
      await c.query(
        `INSERT INTO policy_decision (id, engine, "decisionId", time, result, "eventId") VALUES ($1, 'opa', $2, $3, 'deny', $4)`,
        [crypto.randomUUID(), `d${eventId}`, s.time, eventId],
      );
    }
  }
}

beforeAll(async () => {
  const empty = await getCoverage();
  // Nothing ingested: every registered platform is listed with zero events and no gaps are invented.
  expect(empty.totalEvents).toBe(0);
  expect(empty.gaps).toEqual([]);
  expect(empty.platforms.every((p) => p.events === 0 && p.fields.every((f) => f.rate === null))).toBe(true);
  await insert(SPECS);
});

describe("approvalFeedsHoldData", () => {
  const feed = (platform: string, events: number) => ({ platform, kind: "governance" as const, events });
  it("counts approval and grant feeds with data, not a policy-decision feed or an audit-log platform", () => {
    expect(approvalFeedsHoldData([feed("servicenow", 3)])).toBe(true);
    expect(approvalFeedsHoldData([feed("jira", 1)])).toBe(true);
    expect(approvalFeedsHoldData([feed("pam-grants", 2)])).toBe(true);
    expect(approvalFeedsHoldData([feed("servicenow", 0), feed("opa", 5)])).toBe(false);
    expect(approvalFeedsHoldData([{ platform: "okta", kind: "platform", events: 9 }])).toBe(false);
  });
});

describe("getCoverage", () => {
  it("reports fill rates per platform and field equal to counts made from the inserted events", async () => {
    const report = await getCoverage({ now: new Date("2025-03-10T00:00:00Z") });
    expect(report.totalEvents).toBe(SPECS.length);
    for (const platform of ["okta", "github", "pam-grants", "servicenow"]) {
      const specs = SPECS.filter((s) => s.platform === platform);
      const p = report.platforms.find((x) => x.platform === platform)!;
      expect(p.events).toBe(specs.length);
      const times = specs.map((s) => Date.parse(s.time));
      expect(p.firstEventTime).toBe(new Date(Math.min(...times)).toISOString());
      expect(p.lastEventTime).toBe(new Date(Math.max(...times)).toISOString());
      for (const field of EVIDENCE_FIELDS) {
        const filled = specs.filter((s) => expectedFilled(s, field)).length;
        const fc = p.fields.find((f) => f.field === field)!;
        expect({ platform, field, filled: fc.filled }).toEqual({ platform, field, filled });
        expect(fc.rate).toBeCloseTo(filled / specs.length, 10);
      }
    }
    // Spot-check a few by hand so that a shared mistake in expectedFilled cannot hide: okta IP 2/5, session 4/5.
    const okta = report.platforms.find((p) => p.platform === "okta")!;
    expect(okta.fields.find((f) => f.field === "ip")!.rate).toBe(0.4);
    expect(okta.fields.find((f) => f.field === "session_id")!.rate).toBe(0.8);
    expect(okta.fields.find((f) => f.field === "policy_decision")!.filled).toBe(2);
    expect(okta.fields.find((f) => f.field === "ip")!.documented).toBe("yes");
  });

  it("measures join-ability: session, identity, and approvals of privileged events", async () => {
    const report = await getCoverage();
    for (const platform of ["okta", "github"]) {
      const specs = SPECS.filter((s) => s.platform === platform);
      const j = report.platforms.find((p) => p.platform === platform)!.join;
      const priv = specs.filter((s) => s.privileged);
      expect(j).toEqual({
        events: specs.length,
        withSession: specs.filter((s) => s.linkSession).length,
        withLoggedSession: specs.filter((s) => s.linkSession && s.sessionKey).length,
        withIdentity: specs.filter((s) => s.identity).length,
        privileged: priv.length,
        privilegedWithApproval: priv.filter((s) => s.gcApproval).length,
        sessionRate: specs.filter((s) => s.linkSession).length / specs.length,
        loggedSessionRate: specs.filter((s) => s.linkSession && s.sessionKey).length / specs.length,
        identityRate: specs.filter((s) => s.identity).length / specs.length,
        approvalRate: priv.filter((s) => s.gcApproval).length / priv.length,
      });
    }
    // okta: 1 of 2 privileged events approved; github: its one privileged event has a ticket approved too late,
    // which the Governance page fails (approved_after_action), so Coverage does not count it as approved either.
    expect(report.platforms.find((p) => p.platform === "okta")!.join.approvalRate).toBe(0.5);
    expect(report.platforms.find((p) => p.platform === "github")!.join.approvalRate).toBe(0);
    // No privileged events: no rate rather than 0% or 100%.
    expect(report.platforms.find((p) => p.platform === "servicenow")!.join.approvalRate).toBeNull();
  });

  it("states each platform's vendor retention as one of its retention.ts entries, named and cited", async () => {
    const report = await getCoverage();
    for (const p of report.platforms) {
      const r = p.retention;
      const table = vendorRetention(p.platform);
      if (table.length === 0) {
        expect({ platform: p.platform, vendorDays: r.vendorDays, logType: r.logType, citation: r.citation }).toEqual({
          platform: p.platform,
          vendorDays: null,
          logType: null,
          citation: null,
        });
        continue;
      }
      const t = table.find((x) => x.id === r.logType);
      expect({ platform: p.platform, label: r.logTypeLabel, citation: r.citation }).toEqual({
        platform: p.platform,
        label: t?.label,
        citation: t?.doc,
      });
      if (r.vendorDays !== null) expect(t!.tiers).toContainEqual({ tier: r.vendorTier, days: r.vendorDays });
    }
    expect(report.platforms.find((p) => p.platform === "m365")!.retention).toMatchObject({ vendorDays: 180, vendorStatus: "documented" });
  });

  it("lists a platform with no events with empty figures and no gaps for it", async () => {
    const report = await getCoverage();
    const slack = report.platforms.find((p) => p.platform === "slack")!;
    expect(slack.events).toBe(0);
    expect(slack.firstEventTime).toBeNull();
    expect(slack.fields.every((f) => f.filled === 0 && f.rate === null)).toBe(true);
    expect(slack.retention.exportBy).toBeNull();
    expect(report.gaps.filter((g) => g.platform === "slack")).toEqual([]);
  });

  it("raises gaps with recommendations where the measured rate is short, and none where it is full", async () => {
    const report = await getCoverage({ now: new Date("2025-03-10T00:00:00Z") });
    const okta = report.gaps.filter((g) => g.platform === "okta");
    // IP is documented but only 40% filled: a high-severity field gap.
    const ip = okta.find((g) => g.kind === "field" && g.subject === "ip")!;
    expect(ip.severity).toBe("high");
    expect(ip.problem).toContain("40% of 5 Okta System Log events");
    expect(ip.recommendation.length).toBeGreaterThan(10);
    // user agent is filled on every okta event: no gap.
    expect(okta.find((g) => g.subject === "user_agent")).toBeUndefined();
    // Okta keeps 90 days < 365 required: export before newest (2025-03-04) + 90 days = 2025-06-02.
    const ret = okta.find((g) => g.kind === "retention")!;
    expect(ret.severity).toBe("medium");
    expect(ret.problem).toContain("Export before 2025-06-02");
    // The figure names its log type, tier and vendor page (lib/sources/okta/retention.ts).
    expect(ret.problem).toContain("Okta System Log keeps 90 days of its System Log (all plans; https://support.okta.com/");
    expect(ret.recommendation).toContain("Okta System Log keeps 90 days of its System Log (all plans)");
    expect(ret.recommendation).toContain("365");
    // The privileged event without an approval is a join gap.
    expect(okta.find((g) => g.kind === "join" && g.subject === "approval")!.problem).toContain("1 of 2 privileged");
    // A field the vendor does not log at all is a limitation, listed apart, not a gap: GitHub logs no session id.
    expect(report.gaps.some((g) => g.platform === "github" && g.kind === "field" && g.subject === "session_id")).toBe(false);
    expect(report.limitations.find((g) => g.platform === "github" && g.subject === "session_id")!.recommendation).toMatch(
      /^Nothing to enable: GitHub logs no session id/,
    );
    // Approval and grant feeds hold data here: no audit-log platform gets a "feed approvals" field gap (only the
    // grant feed, whose grants can name their ticket), and the approval join gap points at the matching instead.
    expect(report.gaps.filter((g) => g.kind === "field" && g.subject === "approval_ref").map((g) => g.platform)).toEqual(["pam-grants"]);
    expect(okta.find((g) => g.kind === "join" && g.subject === "approval")!.recommendation).toMatch(
      /^Approvals are ingested, but these actions match none: open the Governance page/,
    );
    // github: half its events are in a session, none through a session id it logged: a low gap says so.
    const github = report.gaps.filter((g) => g.platform === "github" && g.kind === "join" && g.subject === "session");
    expect(github.map((g) => [g.severity, g.problem])).toEqual([
      [
        "low",
        "50% of GitHub audit log events are in a session, but only 0% (0 of 4) through a session id the platform logged: the rest are grouped by actor and time, which shows activity was close in time, not that it was one sign-in.",
      ],
    ]);
    expect(report.platforms.find((p) => p.platform === "github")!.join).toMatchObject({ withSession: 2, withLoggedSession: 0 });
    // Snowflake has no events: no gaps; GitHub (Git events 7 d) has a retention gap.
    expect(report.gaps.some((g) => g.platform === "snowflake")).toBe(false);
    expect(report.gaps.some((g) => g.platform === "github" && g.kind === "retention")).toBe(true);

    // After the export-by date the same gap is overdue.
    const late = await getCoverage({ now: new Date("2025-07-01T00:00:00Z") });
    const overdue = late.gaps.find((g) => g.platform === "okta" && g.kind === "retention")!;
    expect(overdue.severity).toBe("high");
    expect(overdue.problem).toContain("left Okta System Log on 2025-06-02");
  });
});

describe("retention horizon", () => {
  // The vendor's figure comes from the platform's retention.ts table (its shortest-kept log type), never a second copy.
  const horizon = (platform: string, kind: "platform" | "governance" = "platform") => ({ kind, vendor: vendorRetentionSummary(platform) });

  it("computes export-by, held history and status from vendor and required days", () => {
    const okta = horizon("okta");
    const r = computeRetention({ ...okta, requiredDays: 365, oldest: "2025-01-01T00:00:00.000Z", newest: "2025-03-04T12:00:00.000Z" });
    expect(r.exportBy).toBe("2025-06-02T12:00:00.000Z");
    expect(r.heldDays).toBe(62); // 31 (Jan) + 28 (Feb) + 3 full days
    expect(r.historyCoversRequired).toBe(false);
    expect(r.vendorShort).toBe(true);
    expect(r.status).toBe("export_needed");
    expect(r).toMatchObject({ logType: "system-log", vendorTier: "all plans", citation: expect.stringContaining("support.okta.com") });
    expect(computeRetention({ ...okta, requiredDays: 60, oldest: null, newest: null })).toMatchObject({
      status: "ok",
      vendorShort: false,
      exportBy: null,
      heldDays: null,
    });
    // Snowflake keeps exactly 365 days: enough for 365, not for 400.
    const snow = horizon("snowflake");
    expect(computeRetention({ ...snow, requiredDays: 365, oldest: null, newest: null }).status).toBe("ok");
    expect(computeRetention({ ...snow, requiredDays: 400, oldest: null, newest: null }).status).toBe("export_needed");
    // Microsoft 365: the Unified Audit Log's Audit (Standard) tier, 180 days (the old per-platform copy said unknown).
    expect(computeRetention({ ...horizon("m365"), requiredDays: 365, oldest: null, newest: null })).toMatchObject({
      vendorDays: 180,
      vendorTier: "Audit (Standard)",
      logType: "unified-audit-log",
      status: "export_needed",
    });
    expect(computeRetention({ ...horizon("slack"), requiredDays: 365, oldest: null, newest: null }).status).toBe("unknown");
    expect(computeRetention({ ...horizon("servicenow", "governance"), requiredDays: 365, oldest: null, newest: null })).toMatchObject({
      status: "not_applicable",
      citation: null,
    });
    // A platform the registry does not know: no table, unknown (not "not applicable").
    expect(computeRetention({ ...horizon("custom-app"), requiredDays: 365, oldest: null, newest: null }).status).toBe("unknown");
    const held = computeRetention({ ...okta, requiredDays: 30, oldest: "2025-01-01T00:00:00.000Z", newest: "2025-01-31T00:00:00.000Z" });
    expect(held.heldDays).toBe(30);
    expect(held.historyCoversRequired).toBe(true);
  });
});

describe("required retention setting", () => {
  it("defaults to 365, changes with an audit entry, and refuses invalid values", async () => {
    expect((await getCoverage()).requiredRetentionDays).toBe(365);
    await setRequiredRetention({
      input: requiredRetentionInput.parse({ requiredRetentionDays: 60 }),
      ctx: testContext({ email: "admin@example.com" }),
    });
    const report = await getCoverage({ now: new Date("2025-03-10T00:00:00Z") });
    expect(report.requiredRetentionDays).toBe(60);
    // 90-day Okta now meets the requirement: no retention gap.
    expect(report.platforms.find((p) => p.platform === "okta")!.retention.status).toBe("ok");
    expect(report.gaps.some((g) => g.platform === "okta" && g.kind === "retention")).toBe(false);
    // Salesforce (EventLogFile, 1 d without Event Monitoring) still falls short, but it has no events, so it is not a gap.
    expect(report.platforms.find((p) => p.platform === "salesforce")!.retention.status).toBe("export_needed");

    const { rows } = await pool().query(`SELECT action, "actorEmail", details FROM audit_log WHERE action = 'settings.changed'`);
    expect(rows).toEqual([
      {
        action: "settings.changed",
        actorEmail: "admin@example.com",
        details: { type: "settings.changed", key: "coverage.requiredRetentionDays", before: 365, after: 60 },
      },
    ]);

    // What the route contract refuses before setRequiredRetention runs.
    expect(() => requiredRetentionInput.parse({ requiredRetentionDays: 0 })).toThrow(/at least 1 day/);
    expect(() => requiredRetentionInput.parse({ requiredRetentionDays: 12.5 })).toThrow(/whole number/);
    expect((await getCoverage()).requiredRetentionDays).toBe(60);
  });
});
