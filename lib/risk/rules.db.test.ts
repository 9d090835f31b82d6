import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { system } from "@/lib/context/request-context";
import { testContext } from "@/lib/context/testing";
import { pool } from "@/lib/db";
import { RISK_RULES } from "./catalog";
import { dismissFinding, reopenFinding } from "./dismiss-finding";
import { getFinding } from "./get-finding";
import { listFindings } from "./list-findings";
import { runRiskRules } from "./run-risk-rules";
import { DEFAULT_RISK_SETTINGS, getRiskSettings, RISK_SETTINGS_KEY } from "./settings";

// Each rule on a small crafted data set in its own tenant: one subject that should fire and one that should not,
// inserted straight into the tables the rules read. The expected values are written by hand from the rows below.

const T = Date.parse("2026-10-01T10:00:00Z");
const at = (min: number) => new Date(T + min * 60_000);
const day = 24 * 60;
const SOURCE = crypto.randomUUID();
let rawSeq = 1_000_000;

const tenant = () => `t-${crypto.randomBytes(5).toString("hex")}`;

async function identity(
  tenantId: string,
  kind: string,
  displayName: string,
  extra: { status?: string; owner?: string; lastSeen?: Date } = {},
) {
  const { rows } = await pool().query<{ id: string }>(
    `INSERT INTO identity (id, "tenantId", kind, "displayName", status, "ownerIdentityId", "firstSeenAt", "lastSeenAt")
     VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [tenantId, kind, displayName, extra.status ?? null, extra.owner ?? null, at(-100 * day), extra.lastSeen ?? at(0)],
  );
  return rows[0].id;
}

async function session(tenantId: string, identityId: string, startMin: number, extra: { initiator?: string; credentialId?: string } = {}) {
  const { rows } = await pool().query<{ id: string }>(
    `INSERT INTO session (id, "tenantId", platform, "sessionKey", "keyType", rule, "identityId", "initiatorIdentityId", "credentialId", "startedAt", "endedAt", "srcIps")
     VALUES (gen_random_uuid(), $1, 'okta', $2, 'native', 'test', $3, $4, $5, $6, $7, '{}') RETURNING id`,
    [tenantId, crypto.randomUUID(), identityId, extra.initiator ?? null, extra.credentialId ?? null, at(startMin), at(startMin + 60)],
  );
  return rows[0].id;
}

type Ev = {
  identityId?: string | null;
  sessionId?: string | null;
  min: number;
  platform?: string;
  classUid?: number;
  activity?: string;
  status?: string;
  srcIp?: string | null;
  userAgent?: string | null;
  privileged?: boolean;
  credentialKey?: string | null;
  clientAppId?: string | null;
  actorName?: string;
  data?: Record<string, unknown>;
};

async function event(tenantId: string, e: Ev): Promise<string> {
  const { rows } = await pool().query<{ id: string }>(
    `INSERT INTO event ("tenantId", "sourceId", "rawRecordId", platform, time, "classUid", "className", activity, status, "actorName",
                        "identityId", "sessionId", "srcIp", "userAgent", privileged, "credentialKey", "clientAppId", data)
     VALUES ($1, $2, $3, $4, $5, $6, 'x', $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17::json) RETURNING id`,
    [
      tenantId,
      SOURCE,
      rawSeq++,
      e.platform ?? "okta",
      at(e.min),
      e.classUid ?? 6003,
      e.activity ?? "app.read",
      e.status ?? "success",
      e.actorName ?? "actor",
      e.identityId ?? null,
      e.sessionId ?? null,
      e.srcIp ?? null,
      e.userAgent ?? null,
      e.privileged ?? false,
      e.credentialKey ?? null,
      e.clientAppId ?? null,
      JSON.stringify(e.data ?? {}),
    ],
  );
  return rows[0].id;
}

async function govCheck(
  tenantId: string,
  eventId: string,
  g: { approved: boolean | null; insideWindow: boolean | null; minutesOutside?: number; identityId?: string; sessionId?: string },
) {
  await pool().query(
    `INSERT INTO governance_check (id, "tenantId", "eventId", platform, time, action, category, "identityId", "sessionId", "actorName", approved, "insideWindow", "minutesOutside", status, reasons)
     VALUES (gen_random_uuid(), $1, $2, 'aws', $3, 'AttachRolePolicy', 'permission_change', $4, $5, 'ops', $6, $7, $8, 'x', '[]')`,
    [tenantId, eventId, at(0), g.identityId ?? null, g.sessionId ?? null, g.approved, g.insideWindow, g.minutesOutside ?? null],
  );
}

type F = {
  ruleId: string;
  identityId: string | null;
  sessionId: string | null;
  eventIds: string[];
  evidence: Record<string, unknown>;
  status: string;
};
async function findings(tenantId: string, ruleId?: string): Promise<F[]> {
  const { rows } = await pool().query<F>(
    `SELECT "ruleId", "identityId", "sessionId", "eventIds"::text[] AS "eventIds", evidence, status FROM finding
      WHERE "tenantId" = $1 AND ($2::text IS NULL OR "ruleId" = $2) ORDER BY "firstSeenAt", fingerprint`,
    [tenantId, ruleId ?? null],
  );
  return rows;
}

const run = (tenantId: string, asOf = at(0)) => runRiskRules({ ctx: { ...system(), tenantId }, asOf, settings: DEFAULT_RISK_SETTINGS });

describe("risk rules", () => {
  it("privileged-without-approval fires on a check with no or an unapproved ticket, not on an approved one", async () => {
    const t = tenant();
    const none = await event(t, { min: 0, privileged: true });
    const unapproved = await event(t, { min: 1, privileged: true });
    const approved = await event(t, { min: 2, privileged: true });
    await govCheck(t, none, { approved: null, insideWindow: true });
    await govCheck(t, unapproved, { approved: false, insideWindow: true });
    await govCheck(t, approved, { approved: true, insideWindow: true });
    await run(t);
    const f = await findings(t, "privileged-without-approval");
    expect(f.map((x) => x.eventIds)).toEqual([[none], [unapproved]]);
    expect(await findings(t, "privileged-outside-jit")).toEqual([]);
  });

  it("privileged-outside-jit fires only when the check says outside the window", async () => {
    const t = tenant();
    const outside = await event(t, { min: 0, privileged: true });
    const inside = await event(t, { min: 1, privileged: true });
    const noGrant = await event(t, { min: 2, privileged: true });
    await govCheck(t, outside, { approved: true, insideWindow: false, minutesOutside: 42 });
    await govCheck(t, inside, { approved: true, insideWindow: true });
    await govCheck(t, noGrant, { approved: true, insideWindow: null });
    await run(t);
    const f = await findings(t, "privileged-outside-jit");
    expect(f).toHaveLength(1);
    expect(f[0].eventIds).toEqual([outside]);
    expect(f[0].evidence.minutesOutside).toBe(42);
  });

  it("human-use-of-nhi fires on a browser sign-in of a service account, not on its SDK sign-in nor a human's browser", async () => {
    const t = tenant();
    const svc = await identity(t, "service_account", "svc-deploy");
    const svcSdk = await identity(t, "service_account", "svc-batch");
    const human = await identity(t, "human", "Alice");
    const browser = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0";
    const e1 = await event(t, { identityId: svc, min: 0, classUid: 3002, activity: "user.session.start", userAgent: browser });
    await event(t, { identityId: svc, min: 1, classUid: 3002, activity: "user.session.start", userAgent: browser, status: "failure" });
    await event(t, { identityId: svcSdk, min: 0, classUid: 3002, userAgent: "okta-sdk-java/8.0" });
    await event(t, { identityId: human, min: 0, classUid: 3002, userAgent: browser });
    await run(t);
    const f = await findings(t, "human-use-of-nhi");
    expect(f.map((x) => [x.identityId, x.eventIds])).toEqual([[svc, [e1]]]);
  });

  it("nhi-network-change fires on a mid-session IP change and on a new network after a baseline, not on a stable NHI", async () => {
    const t = tenant();
    const bot = await identity(t, "bot", "ci-bot");
    const steady = await identity(t, "workload", "steady");
    const changing = await session(t, bot, 0);
    const a = await event(t, { identityId: bot, sessionId: changing, min: 0, srcIp: "198.51.100.1" });
    const b = await event(t, { identityId: bot, sessionId: changing, min: 5, srcIp: "203.0.113.99" });
    // steady: three sessions from the same IP, then a fourth from the same IP: nothing.
    for (const m of [0, 100, 200, 300]) {
      const s = await session(t, steady, m);
      await event(t, { identityId: steady, sessionId: s, min: m, srcIp: "192.0.2.10" });
    }
    await run(t);
    let f = await findings(t, "nhi-network-change");
    expect(f.map((x) => [x.sessionId, x.eventIds])).toEqual([[changing, [a, b]]]);
    expect(f[0].evidence.changedMidSession).toBe(true);

    // Now the steady workload appears from a network it never used: replayed token.
    const replay = await session(t, steady, 400);
    const r = await event(t, { identityId: steady, sessionId: replay, min: 400, srcIp: "100.64.7.7" });
    await run(t);
    f = await findings(t, "nhi-network-change");
    expect(f.map((x) => x.sessionId)).toEqual([changing, replay]);
    expect(f[1].eventIds).toEqual([r]);
    expect(f[1].evidence).toMatchObject({ newNetwork: true, changedMidSession: false, priorSessions: 4 });
  });

  it("weak-authentication fires on a password-only service account and a human without MFA, not with MFA", async () => {
    const t = tenant();
    const svc = await identity(t, "service_account", "svc-legacy");
    const svcKey = await identity(t, "service_account", "svc-key");
    const bob = await identity(t, "human", "Bob");
    const carol = await identity(t, "human", "Carol");
    const e1 = await event(t, { identityId: svc, min: 0, classUid: 3002, data: { auth: { factors: ["PASSWORD"], mfa: null } } });
    await event(t, { identityId: svcKey, min: 0, classUid: 3002, data: { auth: { factors: ["client_secret_jwt"], mfa: null } } });
    const e3 = await event(t, { identityId: bob, min: 1, classUid: 3002, data: { auth: { factors: ["Password"], mfa: false } } });
    await event(t, { identityId: carol, min: 1, classUid: 3002, data: { auth: { factors: ["Password", "Push"], mfa: true } } });
    await run(t);
    const f = await findings(t, "weak-authentication");
    expect(f.map((x) => [x.identityId, x.eventIds])).toEqual([
      [svc, [e1]],
      [bob, [e3]],
    ]);

    // Policy not requiring MFA for humans: only the service account remains.
    const t2 = tenant();
    const dave = await identity(t2, "human", "Dave");
    await event(t2, { identityId: dave, min: 0, classUid: 3002, data: { auth: { factors: ["Password"], mfa: false } } });
    await runRiskRules({
      ctx: { ...system(), tenantId: t2 },
      asOf: at(0),
      settings: { ...DEFAULT_RISK_SETTINGS, requireMfaForHumans: false },
    });
    expect(await findings(t2, "weak-authentication")).toEqual([]);
  });

  it("stale-long-lived-credential fires on a key used after 90 days, not on a fresh key nor a short-lived token", async () => {
    const t = tenant();
    const svc = await identity(t, "service_account", "svc-s3");
    const cred = async (kind: string, key: string, issuedMin: number, lastUsedMin: number) =>
      (
        await pool().query<{ id: string }>(
          `INSERT INTO credential (id, "tenantId", kind, platform, "externalId", "identityId", "issuedAt", "lastUsedAt")
           VALUES (gen_random_uuid(), $1, $2, 'aws', $3, $4, $5, $6) RETURNING id`,
          [t, kind, key, svc, at(issuedMin), at(lastUsedMin)],
        )
      ).rows[0].id;
    const old = await cred("aws_access_key", "AKIAOLD", -120 * day, 0);
    await cred("aws_access_key", "AKIANEW", -10 * day, 0);
    await cred("aws_session_key", "ASIAOLD", -120 * day, 0);
    await event(t, { identityId: svc, min: -100 * day, platform: "aws", credentialKey: "AKIAOLD" }); // day 20: not yet stale
    const late = await event(t, { identityId: svc, min: 0, platform: "aws", credentialKey: "AKIAOLD" });
    await run(t);
    const f = await findings(t, "stale-long-lived-credential");
    expect(f).toHaveLength(1);
    expect(f[0].eventIds).toEqual([late]);
    expect(f[0].evidence).toMatchObject({ credential: "AKIAOLD", maxAgeDays: 90 });
    expect(f.map((x) => x.identityId)).toEqual([svc]);
    expect(old).toBeTruthy();
  });

  it("orphaned-or-dormant-nhi fires when the owner departed or after 30 idle days, not for an active owned NHI", async () => {
    const t = tenant();
    const gone = await identity(t, "human", "Eve", { status: "departed" });
    const here = await identity(t, "human", "Frank", { status: "active" });
    const orphan = await identity(t, "service_account", "svc-eve", { owner: gone, lastSeen: at(-1 * day) });
    const dormant = await identity(t, "api_token", "tok-old", { owner: here, lastSeen: at(-31 * day) });
    await identity(t, "service_account", "svc-frank", { owner: here, lastSeen: at(-29 * day) });
    await identity(t, "service_account", "svc-disabled", { status: "disabled", lastSeen: at(-300 * day) });
    await run(t);
    const f = await findings(t, "orphaned-or-dormant-nhi");
    expect(f.map((x) => x.identityId).sort()).toEqual([orphan, dormant].sort());
  });

  it("nhi-cross-environment fires on an NHI used on two platforms, not on one used on one platform by one app", async () => {
    const t = tenant();
    const shared = await identity(t, "service_account", "svc-shared");
    const single = await identity(t, "service_account", "svc-single");
    const a = await event(t, { identityId: shared, min: 0, platform: "aws", clientAppId: "app1" });
    const b = await event(t, { identityId: shared, min: 1, platform: "github", clientAppId: "app1" });
    await event(t, { identityId: single, min: 0, platform: "aws", clientAppId: "app1" });
    await event(t, { identityId: single, min: 1, platform: "aws", clientAppId: "app1" });
    await run(t);
    const f = await findings(t, "nhi-cross-environment");
    expect(f.map((x) => x.identityId)).toEqual([shared]);
    expect([...f[0].eventIds].sort()).toEqual([a, b].sort());
    expect((f[0].evidence.platforms as string[]).sort()).toEqual(["aws", "github"]);
  });

  it("excessive-scopes fires at 6 granted scopes for 1 used activity family, not at 2 granted", async () => {
    const t = tenant();
    const wide = await identity(t, "api_token", "pat-wide");
    const narrow = await identity(t, "api_token", "pat-narrow");
    await event(t, {
      identityId: wide,
      min: 0,
      platform: "github",
      activity: "repo.download_zip",
      data: { extra: { token_scopes: "repo,admin:org,workflow,delete_repo,admin:repo_hook,user" } },
    });
    await event(t, { identityId: wide, min: 1, platform: "github", activity: "repo.clone" });
    await event(t, {
      identityId: narrow,
      min: 0,
      platform: "github",
      activity: "repo.clone",
      data: { extra: { token_scopes: "repo, read:org" } },
    });
    await run(t);
    const f = await findings(t, "excessive-scopes");
    expect(f.map((x) => x.identityId)).toEqual([wide]);
    expect(f[0].evidence).toMatchObject({ ratio: 6, usedActivities: ["repo"] });
  });

  it("oauth-bulk-data-access fires on an app export and on 100 reads in an hour, not on 99", async () => {
    const t = tenant();
    const exporter = await identity(t, "oauth_app", "ExportApp");
    const reader = await identity(t, "oauth_app", "ReaderApp");
    const quiet = await identity(t, "oauth_app", "QuietApp");
    await event(t, { identityId: exporter, min: 0, activity: "drive.export" });
    for (let i = 0; i < 100; i++) await event(t, { identityId: reader, min: i * 0.5, activity: "file.read" });
    for (let i = 0; i < 99; i++) await event(t, { identityId: quiet, min: i * 0.5, activity: "file.read" });
    await run(t);
    const f = await findings(t, "oauth-bulk-data-access");
    expect(f.map((x) => x.identityId).sort()).toEqual([exporter, reader].sort());
    const r = f.find((x) => x.identityId === reader)!;
    expect(r.evidence).toMatchObject({ peakReadsPerHour: 100, exports: 0 });
    expect(r.eventIds).toHaveLength(100);
  });

  it("delegated-high-impact-change fires on privileged changes under delegation, not on read-only delegation or own human session", async () => {
    const t = tenant();
    const admin = await identity(t, "human", "Partner Admin");
    const target = await identity(t, "human", "Tenant User");
    const svc = await identity(t, "service_account", "svc-sync");
    const delegated = await session(t, target, 0, { initiator: admin });
    const readOnly = await session(t, target, 100, { initiator: admin });
    const own = await session(t, admin, 200);
    const s2s = await session(t, svc, 300);
    const p = await event(t, { identityId: target, sessionId: delegated, min: 1, privileged: true, activity: "role.assign" });
    await event(t, { identityId: target, sessionId: readOnly, min: 101, activity: "user.read" });
    await event(t, { identityId: admin, sessionId: own, min: 201, privileged: true });
    const q = await event(t, { identityId: svc, sessionId: s2s, min: 301, privileged: true });
    await run(t);
    const f = await findings(t, "delegated-high-impact-change");
    expect(f.map((x) => [x.sessionId, x.eventIds])).toEqual([
      [delegated, [p]],
      [s2s, [q]],
    ]);
    expect(f[0].evidence).toMatchObject({ delegated: true, initiator: "Partner Admin" });
  });

  it("ai-agent-without-approval fires on an agent's unapproved privileged change, not on an approved one", async () => {
    const t = tenant();
    const agent = await identity(t, "ai_agent", "copilot-agent");
    const s1 = await session(t, agent, 0);
    const s2 = await session(t, agent, 100);
    const bad = await event(t, { identityId: agent, sessionId: s1, min: 1, privileged: true });
    const good = await event(t, { identityId: agent, sessionId: s2, min: 101, privileged: true });
    await govCheck(t, good, { approved: true, insideWindow: true, sessionId: s2 });
    await event(t, { identityId: agent, sessionId: s2, min: 102 }); // not privileged
    await run(t);
    const f = await findings(t, "ai-agent-without-approval");
    expect(f.map((x) => [x.sessionId, x.eventIds])).toEqual([[s1, [bad]]]);
    // Agents are not double-counted as delegated changes.
    expect(await findings(t, "delegated-high-impact-change")).toEqual([]);
  });

  it("has an evaluator test above for every catalog rule", () => {
    expect(RISK_RULES.map((r) => r.id).sort()).toEqual(
      [
        "privileged-without-approval",
        "privileged-outside-jit",
        "human-use-of-nhi",
        "nhi-network-change",
        "weak-authentication",
        "stale-long-lived-credential",
        "orphaned-or-dormant-nhi",
        "nhi-cross-environment",
        "excessive-scopes",
        "oauth-bulk-data-access",
        "delegated-high-impact-change",
        "ai-agent-without-approval",
      ].sort(),
    );
  });
});

describe("runRiskRules", () => {
  it("is idempotent, keeps a dismissed finding dismissed, scores sessions and marks resolved findings", async () => {
    const t = tenant();
    const agent = await identity(t, "ai_agent", "agent-x");
    const s = await session(t, agent, 0);
    // Two findings on one session: the agent's unapproved change (critical, 10) and its network change (high, 7).
    const e = await event(t, { identityId: agent, sessionId: s, min: 1, privileged: true, srcIp: "198.51.100.1" });
    const e2 = await event(t, { identityId: agent, sessionId: s, min: 2, srcIp: "198.51.100.2" });
    const first = await run(t);
    expect(first.raised).toBe(2);
    expect(first.byRule).toMatchObject({ "ai-agent-without-approval": 1, "nhi-network-change": 1, "delegated-high-impact-change": 0 });
    const before = await pool().query(`SELECT id, fingerprint, "ruleId" FROM finding WHERE "tenantId" = $1 ORDER BY fingerprint`, [t]);
    const second = await run(t);
    expect(second.raised).toBe(0);
    expect(second.updated).toBe(first.raised);
    const after = await pool().query(`SELECT id, fingerprint, "ruleId" FROM finding WHERE "tenantId" = $1 ORDER BY fingerprint`, [t]);
    expect(after.rows).toEqual(before.rows);

    const agentFinding = after.rows.find((r) => r.ruleId === "ai-agent-without-approval")!;
    let sess = (await pool().query(`SELECT "riskScore", "riskLevel" FROM session WHERE id = $1`, [s])).rows[0];
    expect(sess).toEqual({ riskScore: 10 + 7, riskLevel: "critical" });

    // Dismiss: history kept, still dismissed after a re-run, no longer counts toward the session's risk.
    const user = (
      await pool().query<{ id: string }>(
        `INSERT INTO app_user (id, email, role, "updatedAt") VALUES (gen_random_uuid(), $1, 'analyst', now()) RETURNING id`,
        [`${t}@x.example`],
      )
    ).rows[0];
    await dismissFinding({
      id: agentFinding.id,
      reason: "Approved verbally, ticket CHG-1 filed late",
      ctx: testContext({ id: user.id, email: `${t}@x.example` }, t),
    });
    await run(t);
    const got = await getFinding({ id: agentFinding.id, tenantId: t });
    expect(got?.status).toBe("dismissed");
    expect(got?.dismissedReason).toBe("Approved verbally, ticket CHG-1 filed late");
    expect(got?.history.map((h) => h.action)).toEqual(["raised", "dismissed"]);
    expect(got?.events.map((x) => x.id)).toEqual([e]);
    sess = (await pool().query(`SELECT "riskScore", "riskLevel" FROM session WHERE id = $1`, [s])).rows[0];
    expect(sess).toEqual({ riskScore: 7, riskLevel: "high" });

    const listed = await listFindings({ tenantId: t, status: "dismissed" });
    expect(listed.items.map((x) => x.id)).toEqual([agentFinding.id]);

    // The second IP goes away: the network finding is kept but marked resolved and the session risk clears.
    await pool().query(`UPDATE event SET "srcIp" = '198.51.100.1' WHERE id = $1`, [e2]);
    const third = await run(t);
    expect(third).toMatchObject({ raised: 0, updated: 1, resolved: 1 });
    sess = (await pool().query(`SELECT "riskScore", "riskLevel" FROM session WHERE id = $1`, [s])).rows[0];
    expect(sess).toEqual({ riskScore: 0, riskLevel: null });
    const net = (await findings(t, "nhi-network-change"))[0];
    expect(net.status).toBe("open");
    expect(typeof net.evidence.resolvedAt).toBe("string");
    expect(typeof (await findings(t, "ai-agent-without-approval"))[0].evidence.resolvedAt).toBe("undefined");
  });

  it("keeps every dismissal and reopening in the history and the audit trail, and refuses a reason under 5 characters", async () => {
    const t = tenant();
    const e = await event(t, { min: 0, privileged: true });
    await govCheck(t, e, { approved: null, insideWindow: true });
    await run(t);
    const id = (await pool().query<{ id: string }>(`SELECT id FROM finding WHERE "tenantId" = $1`, [t])).rows[0].id;
    const email = `${t}@hist.example`;
    const user = (
      await pool().query<{ id: string }>(
        `INSERT INTO app_user (id, email, role, "updatedAt") VALUES (gen_random_uuid(), $1, 'analyst', now()) RETURNING id`,
        [email],
      )
    ).rows[0];
    const ctx = testContext({ id: user.id, email }, t);
    await expect(dismissFinding({ id, reason: "meh", ctx })).rejects.toThrow(/at least 5 characters/);
    await dismissFinding({ id, reason: "Known maintenance job", ctx });
    await expect(dismissFinding({ id, reason: "Known maintenance job", ctx })).rejects.toThrow(/already dismissed/);
    await reopenFinding({ id, reason: "The job was not approved after all", ctx });
    await dismissFinding({ id, reason: "Approved in CHG-77", ctx });
    const got = await getFinding({ id, tenantId: t });
    expect(got?.history.map((h) => [h.action, h.reason, h.actorEmail])).toEqual([
      ["raised", got?.title, null],
      ["dismissed", "Known maintenance job", email],
      ["reopened", "The job was not approved after all", email],
      ["dismissed", "Approved in CHG-77", email],
    ]);
    expect(got?.dismissedReason).toBe("Approved in CHG-77");
    const audit = await pool().query(`SELECT action, details->>'reason' AS reason FROM audit_log WHERE "resourceId" = $1 ORDER BY id`, [
      id,
    ]);
    expect(audit.rows).toEqual([
      { action: "finding.dismissed", reason: "Known maintenance job" },
      { action: "finding.reopened", reason: "The job was not approved after all" },
      { action: "finding.dismissed", reason: "Approved in CHG-77" },
    ]);
    // Another tenant cannot see or change it.
    expect(await getFinding({ id, tenantId: "other" })).toBeNull();
    await expect(reopenFinding({ id, reason: "cross-tenant attempt", ctx: testContext({ id: user.id, email }) })).rejects.toThrow(
      /No such finding/,
    );
  });

  it("lists findings filtered and sorted in SQL, with per-severity counts and session links through events", async () => {
    const t = tenant();
    const agent = await identity(t, "ai_agent", "agent-l");
    const svc = await identity(t, "service_account", "svc-l");
    const s = await session(t, agent, 0);
    await event(t, { identityId: agent, sessionId: s, min: 1, privileged: true }); // critical, cites s
    const sv = await session(t, svc, 10);
    await event(t, { identityId: svc, sessionId: sv, min: 11, classUid: 3002, data: { auth: { factors: ["password"], mfa: null } } }); // medium, identity-level
    await run(t);
    const all = await listFindings({ tenantId: t });
    expect(all.items.map((f) => f.severity)).toEqual(["critical", "medium"]);
    expect(all.bySeverity).toEqual([
      { severity: "critical", open: 1, dismissed: 0 },
      { severity: "medium", open: 1, dismissed: 0 },
    ]);
    const asc = await listFindings({ tenantId: t, sort: "severity", dir: "asc" });
    expect(asc.items.map((f) => f.severity)).toEqual(["medium", "critical"]);
    expect((await listFindings({ tenantId: t, severity: "medium" })).items.map((f) => f.ruleId)).toEqual(["weak-authentication"]);
    expect((await listFindings({ tenantId: t, session: sv })).items.map((f) => f.ruleId)).toEqual(["weak-authentication"]);
    expect((await listFindings({ tenantId: t, identity: agent })).items.map((f) => f.ruleId)).toEqual(["ai-agent-without-approval"]);
    expect((await listFindings({ tenantId: t, limit: 1, offset: 1 })).items.map((f) => f.severity)).toEqual(["medium"]);
  });

  it("reads thresholds from the setting table over the defaults, and ignores an invalid setting", async () => {
    expect(await getRiskSettings()).toEqual(DEFAULT_RISK_SETTINGS);
    await pool().query(`INSERT INTO setting (key, value, "updatedAt") VALUES ($1, $2::jsonb, now())`, [
      RISK_SETTINGS_KEY,
      JSON.stringify({ dormantDays: 7 }),
    ]);
    expect(await getRiskSettings()).toEqual({ ...DEFAULT_RISK_SETTINGS, dormantDays: 7 });
    // The stored threshold drives the rule when no settings are passed in.
    const t = tenant();
    const idle = await identity(t, "service_account", "svc-idle", { lastSeen: at(-8 * day) });
    await runRiskRules({ ctx: { ...system(), tenantId: t }, asOf: at(0) });
    expect((await findings(t, "orphaned-or-dormant-nhi")).map((f) => f.identityId)).toEqual([idle]);
    await pool().query(`UPDATE setting SET value = $2::jsonb WHERE key = $1`, [RISK_SETTINGS_KEY, JSON.stringify({ dormantDays: "soon" })]);
    expect(await getRiskSettings()).toEqual(DEFAULT_RISK_SETTINGS);
    await pool().query(`DELETE FROM setting WHERE key = $1`, [RISK_SETTINGS_KEY]);
  });
});
