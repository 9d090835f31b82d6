import crypto from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { system } from "@/lib/context/request-context";
import { pool } from "@/lib/db";
import { asOwner } from "@/test/owner-db";
import {
  expectAppError,
  seedAccessGrant,
  seedCredential,
  seedEvent,
  seedGovernanceCheck,
  seedIdentity,
  seedSession,
  seedUser,
} from "@/test/factories";
import { RISK_RULES } from "./catalog";
import { dismissFinding, reopenFinding } from "./dismiss-finding";
import { getFinding } from "./get-finding";
import { listFindings } from "./list-findings";
import { runRiskRules } from "./run-risk-rules";
import { DEFAULT_RISK_SETTINGS, getRiskSettings, RISK_SETTINGS_KEY, type RiskSettings } from "./settings";
import { dismissFindingInput } from "./types";

// Each rule on a small crafted data set: one subject that should fire and one that should not, inserted straight
// into the tables the rules read (each test starts from empty tables). The expected values are written by hand
// from the rows below.

const T = Date.parse("2026-10-01T10:00:00Z");
const at = (min: number) => new Date(T + min * 60_000);
const day = 24 * 60;

/** Empties what the rules read and write, so that each data set is judged alone (TRUNCATE: as the owner). */
const clearTables = () => asOwner((c) => c.query(`TRUNCATE finding, governance_check, event, session, credential, identity CASCADE`));
beforeEach(clearTables);

const identity = (kind: string, displayName: string, extra: { status?: string; owner?: string; lastSeen?: Date } = {}) =>
  seedIdentity({
    kind,
    displayName,
    status: extra.status ?? null,
    ownerIdentityId: extra.owner ?? null,
    firstSeenAt: at(-100 * day),
    lastSeenAt: extra.lastSeen ?? at(0),
  });

const session = (identityId: string, startMin: number, extra: { initiator?: string; credentialId?: string } = {}) =>
  seedSession({
    platform: "okta",
    identityId,
    initiatorIdentityId: extra.initiator ?? null,
    credentialId: extra.credentialId ?? null,
    startedAt: at(startMin),
    endedAt: at(startMin + 60),
  });

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

const event = ({ min, platform, classUid, activity, status, actorName, privileged, ...e }: Ev) =>
  seedEvent({
    ...e,
    platform: platform ?? "okta",
    time: at(min),
    classUid: classUid ?? 6003,
    className: "x",
    activity: activity ?? "app.read",
    status: status ?? "success",
    actorName: actorName ?? "actor",
    privileged: privileged ?? false,
  });

const govCheck = (
  eventId: string,
  g: {
    approved: boolean | null;
    insideWindow: boolean | null;
    minutesOutside?: number;
    identityId?: string;
    sessionId?: string;
    /** The failing statuses; by default those approved and insideWindow imply. */
    statuses?: string[];
    grantId?: string;
    usedPrivilege?: string;
    actorName?: string | null;
  },
) => {
  const statuses = g.statuses ?? [...(g.approved === true ? [] : ["unapproved"]), ...(g.insideWindow === false ? ["outside_window"] : [])];
  return seedGovernanceCheck({
    eventId,
    platform: "aws",
    time: at(0),
    action: "AttachRolePolicy",
    category: "permission_change",
    actorName: "ops",
    ...g,
    status: statuses[0] ?? "ok",
    statuses,
    checks: statuses.map((st) => ({ rule: "x", result: "fail", status: st, reason: `because ${st}` })),
  });
};

/** n privileged events, one a minute from 0, created in order. */
async function events(n: number): Promise<string[]> {
  const out: string[] = [];
  for (let min = 0; min < n; min++) out.push(await event({ min, privileged: true }));
  return out;
}

const accessGrant = (o: { privilege: string; expiresAt: Date | null; externalId: string }) =>
  seedAccessGrant({ ...o, system: "sessionproof.grant", principal: "ops@example.test", platform: "aws:1", grantedAt: at(-10) });

type F = {
  ruleId: string;
  identityId: string | null;
  sessionId: string | null;
  eventIds: string[];
  evidence: Record<string, unknown>;
  status: string;
};
async function findings(ruleId?: string): Promise<F[]> {
  const { rows } = await pool().query<F>(
    `SELECT "ruleId", "identityId", "sessionId", "eventIds"::text[] AS "eventIds", evidence, status FROM finding
      WHERE $1::text IS NULL OR "ruleId" = $1 ORDER BY "firstSeenAt", fingerprint`,
    [ruleId ?? null],
  );
  return rows;
}

const run = (asOf = at(0), settings: RiskSettings = DEFAULT_RISK_SETTINGS) => runRiskRules({ ctx: system(), asOf, settings });

describe("risk rules", () => {
  it("privileged-without-approval fires on a check with no or an unapproved ticket, not on an approved one", async () => {
    const none = await event({ min: 0, privileged: true });
    const unapproved = await event({ min: 1, privileged: true });
    const approved = await event({ min: 2, privileged: true });
    await govCheck(none, { approved: null, insideWindow: true });
    await govCheck(unapproved, { approved: false, insideWindow: true });
    await govCheck(approved, { approved: true, insideWindow: true });
    await run();
    const f = await findings("privileged-without-approval");
    expect(f.map((x) => x.eventIds)).toEqual([[none], [unapproved]]);
    expect(await findings("privileged-outside-jit")).toEqual([]);
  });

  it("titles a governance finding with the identity's display name, never 'unknown actor' when the actor is known", async () => {
    const dana = await identity("human", "Dana Kim");
    const named = await event({ min: 0, privileged: true, identityId: dana });
    const bare = await event({ min: 1, privileged: true, identityId: dana });
    const nobody = await event({ min: 2, privileged: true });
    // The record names a raw id as its actor, or nothing: the resolved identity's name is the title's actor.
    await govCheck(named, { approved: null, insideWindow: false, minutesOutside: 5, identityId: dana, actorName: "00u1abcd" });
    await govCheck(bare, { approved: null, insideWindow: true, identityId: dana, actorName: null });
    await govCheck(nobody, { approved: null, insideWindow: true, actorName: null });
    await run();
    const titles = (await pool().query<{ title: string }>(`SELECT title FROM finding ORDER BY title`)).rows.map((r) => r.title);
    expect(titles).toEqual([
      "An unidentified actor ran AttachRolePolicy without an approval ticket",
      "Dana Kim ran AttachRolePolicy 5 min outside the JIT window",
      "Dana Kim ran AttachRolePolicy without an approval ticket",
      "Dana Kim ran AttachRolePolicy without an approval ticket",
    ]);
  });

  it("privileged-without-approval fires on every approval failure, not on JIT-only failures", async () => {
    const late = await event({ min: 0, privileged: true });
    const selfApproved = await event({ min: 1, privileged: true });
    const standingOnly = await event({ min: 2, privileged: true });
    await govCheck(late, { approved: true, insideWindow: true, statuses: ["approved_after_action"] });
    await govCheck(selfApproved, { approved: true, insideWindow: true, statuses: ["self_approved", "standing_privilege"] });
    await govCheck(standingOnly, { approved: true, insideWindow: null, statuses: ["standing_privilege"] });
    await run();
    const f = await findings("privileged-without-approval");
    expect(f.map((x) => x.eventIds)).toEqual([[late], [selfApproved]]);
  });

  it("standing-privilege: one finding per open-ended grant and per actor and platform without a grant", async () => {
    const open = await accessGrant({ privilege: "AdministratorAccess", expiresAt: null, externalId: "gr-open" });
    const [a, b, c, d, e] = await events(5);
    await govCheck(a, { approved: true, insideWindow: true, grantId: open, statuses: ["standing_privilege"] });
    await govCheck(b, { approved: true, insideWindow: true, grantId: open, statuses: ["standing_privilege"] });
    await govCheck(c, { approved: true, insideWindow: null, statuses: ["standing_privilege"], actorName: "bob" });
    await govCheck(d, { approved: true, insideWindow: null, statuses: ["standing_privilege"], actorName: "bob" });
    await govCheck(e, { approved: true, insideWindow: true }); // fine
    await run();
    const f = await findings("standing-privilege");
    const byNumber = (xs: string[]) => [...xs].sort((p, q) => Number(p) - Number(q));
    expect(f.map((x) => byNumber(x.eventIds).join(",")).sort()).toEqual([`${a},${b}`, `${c},${d}`].sort());
    expect(f.find((x) => x.eventIds.includes(a))!.evidence).toMatchObject({
      grant: "gr-open",
      privilege: "AdministratorAccess",
      actions: 2,
    });
  });

  it("over-broad-grant: one finding per grant broader than its use", async () => {
    const broad = await accessGrant({ privilege: "AdministratorAccess", expiresAt: at(60), externalId: "gr-broad" });
    const fit = await accessGrant({ privilege: "IAMFullAccess", expiresAt: at(60), externalId: "gr-fit" });
    const [a, b, c] = await events(3);
    await govCheck(a, {
      approved: true,
      insideWindow: true,
      grantId: broad,
      statuses: ["over_broad_grant"],
      usedPrivilege: "iam:AttachRolePolicy",
    });
    await govCheck(b, {
      approved: true,
      insideWindow: true,
      grantId: broad,
      statuses: ["over_broad_grant"],
      usedPrivilege: "iam:PutRolePolicy",
    });
    await govCheck(c, { approved: true, insideWindow: true, grantId: fit, statuses: [] });
    await run();
    const f = await findings("over-broad-grant");
    expect(f).toHaveLength(1);
    expect([...f[0].eventIds].sort()).toEqual([a, b].sort());
    expect(f[0].evidence).toMatchObject({ grant: "gr-broad", granted: "AdministratorAccess", actions: 2 });
    expect((f[0].evidence.used as string[]).sort()).toEqual(["iam:AttachRolePolicy", "iam:PutRolePolicy"]);
  });

  it("privileged-outside-jit fires only when the check says outside the window", async () => {
    const outside = await event({ min: 0, privileged: true });
    const inside = await event({ min: 1, privileged: true });
    const noGrant = await event({ min: 2, privileged: true });
    await govCheck(outside, { approved: true, insideWindow: false, minutesOutside: 42 });
    await govCheck(inside, { approved: true, insideWindow: true });
    await govCheck(noGrant, { approved: true, insideWindow: null });
    await run();
    const f = await findings("privileged-outside-jit");
    expect(f).toHaveLength(1);
    expect(f[0].eventIds).toEqual([outside]);
    expect(f[0].evidence.minutesOutside).toBe(42);
  });

  it("human-use-of-nhi fires on a browser sign-in of a service account, not on its SDK sign-in nor a human's browser", async () => {
    const svc = await identity("service_account", "svc-deploy");
    const svcSdk = await identity("service_account", "svc-batch");
    const human = await identity("human", "Alice");
    const browser = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0";
    const e1 = await event({ identityId: svc, min: 0, classUid: 3002, activity: "user.session.start", userAgent: browser });
    await event({ identityId: svc, min: 1, classUid: 3002, activity: "user.session.start", userAgent: browser, status: "failure" });
    await event({ identityId: svcSdk, min: 0, classUid: 3002, userAgent: "okta-sdk-java/8.0" });
    await event({ identityId: human, min: 0, classUid: 3002, userAgent: browser });
    await run();
    const f = await findings("human-use-of-nhi");
    expect(f.map((x) => [x.identityId, x.eventIds])).toEqual([[svc, [e1]]]);
  });

  it("nhi-network-change fires on a mid-session IP change and on a new network after a baseline, not on a stable NHI", async () => {
    const bot = await identity("bot", "ci-bot");
    const steady = await identity("workload", "steady");
    const changing = await session(bot, 0);
    const a = await event({ identityId: bot, sessionId: changing, min: 0, srcIp: "198.51.100.1" });
    const b = await event({ identityId: bot, sessionId: changing, min: 5, srcIp: "203.0.113.99" });
    // steady: three sessions from the same IP, then a fourth from the same IP: nothing.
    for (const m of [0, 100, 200, 300]) {
      const s = await session(steady, m);
      await event({ identityId: steady, sessionId: s, min: m, srcIp: "192.0.2.10" });
    }
    await run();
    let f = await findings("nhi-network-change");
    expect(f.map((x) => [x.sessionId, x.eventIds])).toEqual([[changing, [a, b]]]);
    expect(f[0].evidence.changedMidSession).toBe(true);

    // Now the steady workload appears from a network it never used: replayed token.
    const replay = await session(steady, 400);
    const r = await event({ identityId: steady, sessionId: replay, min: 400, srcIp: "100.64.7.7" });
    await run();
    f = await findings("nhi-network-change");
    expect(f.map((x) => x.sessionId)).toEqual([changing, replay]);
    expect(f[1].eventIds).toEqual([r]);
    expect(f[1].evidence).toMatchObject({ newNetwork: true, changedMidSession: false, priorSessions: 4 });
  });

  it("weak-authentication fires on a password-only service account and a human without MFA, not with MFA", async () => {
    const svc = await identity("service_account", "svc-legacy");
    const svcKey = await identity("service_account", "svc-key");
    const bob = await identity("human", "Bob");
    const carol = await identity("human", "Carol");
    const e1 = await event({ identityId: svc, min: 0, classUid: 3002, data: { auth: { factors: ["PASSWORD"], mfa: null } } });
    await event({ identityId: svcKey, min: 0, classUid: 3002, data: { auth: { factors: ["client_secret_jwt"], mfa: null } } });
    const e3 = await event({ identityId: bob, min: 1, classUid: 3002, data: { auth: { factors: ["Password"], mfa: false } } });
    await event({ identityId: carol, min: 1, classUid: 3002, data: { auth: { factors: ["Password", "Push"], mfa: true } } });
    await run();
    const f = await findings("weak-authentication");
    expect(f.map((x) => [x.identityId, x.eventIds])).toEqual([
      [svc, [e1]],
      [bob, [e3]],
    ]);

    // Policy not requiring MFA for humans: only the service account remains.
    await clearTables();
    const dave = await identity("human", "Dave");
    await event({ identityId: dave, min: 0, classUid: 3002, data: { auth: { factors: ["Password"], mfa: false } } });
    await run(at(0), { ...DEFAULT_RISK_SETTINGS, requireMfaForHumans: false });
    expect(await findings("weak-authentication")).toEqual([]);
  });

  it("stale-long-lived-credential fires on a key used after 90 days, not on a fresh key nor a short-lived token", async () => {
    const svc = await identity("service_account", "svc-s3");
    const cred = (kind: string, key: string, issuedMin: number, lastUsedMin: number) =>
      seedCredential({ kind, platform: "aws", externalId: key, identityId: svc, issuedAt: at(issuedMin), lastUsedAt: at(lastUsedMin) });
    const old = await cred("aws_access_key", "AKIAOLD", -120 * day, 0);
    await cred("aws_access_key", "AKIANEW", -10 * day, 0);
    await cred("aws_session_key", "ASIAOLD", -120 * day, 0);
    await event({ identityId: svc, min: -100 * day, platform: "aws", credentialKey: "AKIAOLD" }); // day 20: not yet stale
    const late = await event({ identityId: svc, min: 0, platform: "aws", credentialKey: "AKIAOLD" });
    await run();
    const f = await findings("stale-long-lived-credential");
    expect(f).toHaveLength(1);
    expect(f[0].eventIds).toEqual([late]);
    expect(f[0].evidence).toMatchObject({ credential: "AKIAOLD", maxAgeDays: 90 });
    expect(f.map((x) => x.identityId)).toEqual([svc]);
    expect(old).toBeTruthy();
  });

  it("orphaned-or-dormant-nhi fires when the owner departed or after 30 idle days, not for an active owned NHI", async () => {
    const gone = await identity("human", "Eve", { status: "departed" });
    const here = await identity("human", "Frank", { status: "active" });
    const orphan = await identity("service_account", "svc-eve", { owner: gone, lastSeen: at(-1 * day) });
    const dormant = await identity("api_token", "tok-old", { owner: here, lastSeen: at(-31 * day) });
    await identity("service_account", "svc-frank", { owner: here, lastSeen: at(-29 * day) });
    await identity("service_account", "svc-disabled", { status: "disabled", lastSeen: at(-300 * day) });
    await run();
    const f = await findings("orphaned-or-dormant-nhi");
    expect(f.map((x) => x.identityId).sort()).toEqual([orphan, dormant].sort());
  });

  it("nhi-cross-environment fires on an NHI used on two platforms, not on one used on one platform by one app", async () => {
    const shared = await identity("service_account", "svc-shared");
    const single = await identity("service_account", "svc-single");
    const a = await event({ identityId: shared, min: 0, platform: "aws", clientAppId: "app1" });
    const b = await event({ identityId: shared, min: 1, platform: "github", clientAppId: "app1" });
    await event({ identityId: single, min: 0, platform: "aws", clientAppId: "app1" });
    await event({ identityId: single, min: 1, platform: "aws", clientAppId: "app1" });
    await run();
    const f = await findings("nhi-cross-environment");
    expect(f.map((x) => x.identityId)).toEqual([shared]);
    expect([...f[0].eventIds].sort()).toEqual([a, b].sort());
    expect((f[0].evidence.platforms as string[]).sort()).toEqual(["aws", "github"]);
  });

  it("excessive-scopes fires at 6 granted scopes for 1 used activity family, not at 2 granted", async () => {
    const wide = await identity("api_token", "pat-wide");
    const narrow = await identity("api_token", "pat-narrow");
    await event({
      identityId: wide,
      min: 0,
      platform: "github",
      activity: "repo.download_zip",
      data: { extra: { token_scopes: "repo,admin:org,workflow,delete_repo,admin:repo_hook,user" } },
    });
    await event({ identityId: wide, min: 1, platform: "github", activity: "repo.clone" });
    await event({
      identityId: narrow,
      min: 0,
      platform: "github",
      activity: "repo.clone",
      data: { extra: { token_scopes: "repo, read:org" } },
    });
    await run();
    const f = await findings("excessive-scopes");
    expect(f.map((x) => x.identityId)).toEqual([wide]);
    expect(f[0].evidence).toMatchObject({ ratio: 6, usedActivities: ["repo"] });
  });

  it("oauth-bulk-data-access fires on an app export and on 100 reads in an hour, not on 99", async () => {
    const exporter = await identity("oauth_app", "ExportApp");
    const reader = await identity("oauth_app", "ReaderApp");
    const quiet = await identity("oauth_app", "QuietApp");
    await event({ identityId: exporter, min: 0, activity: "drive.export" });
    for (let i = 0; i < 100; i++) await event({ identityId: reader, min: i * 0.5, activity: "file.read" });
    for (let i = 0; i < 99; i++) await event({ identityId: quiet, min: i * 0.5, activity: "file.read" });
    await run();
    const f = await findings("oauth-bulk-data-access");
    expect(f.map((x) => x.identityId).sort()).toEqual([exporter, reader].sort());
    const r = f.find((x) => x.identityId === reader)!;
    expect(r.evidence).toMatchObject({ peakReadsPerHour: 100, exports: 0 });
    expect(r.eventIds).toHaveLength(100);
  });

  it("delegated-high-impact-change fires on privileged changes under delegation, not on read-only delegation or own human session", async () => {
    const admin = await identity("human", "Partner Admin");
    const target = await identity("human", "Tenant User");
    const svc = await identity("service_account", "svc-sync");
    const delegated = await session(target, 0, { initiator: admin });
    const readOnly = await session(target, 100, { initiator: admin });
    const own = await session(admin, 200);
    const s2s = await session(svc, 300);
    const p = await event({ identityId: target, sessionId: delegated, min: 1, privileged: true, activity: "role.assign" });
    await event({ identityId: target, sessionId: readOnly, min: 101, activity: "user.read" });
    await event({ identityId: admin, sessionId: own, min: 201, privileged: true });
    const q = await event({ identityId: svc, sessionId: s2s, min: 301, privileged: true });
    await run();
    const f = await findings("delegated-high-impact-change");
    expect(f.map((x) => [x.sessionId, x.eventIds])).toEqual([
      [delegated, [p]],
      [s2s, [q]],
    ]);
    expect(f[0].evidence).toMatchObject({ delegated: true, initiator: "Partner Admin" });
  });

  it("ai-agent-without-approval fires on an agent's unapproved privileged change, not on an approved one", async () => {
    const agent = await identity("ai_agent", "copilot-agent");
    const s1 = await session(agent, 0);
    const s2 = await session(agent, 100);
    const bad = await event({ identityId: agent, sessionId: s1, min: 1, privileged: true });
    const good = await event({ identityId: agent, sessionId: s2, min: 101, privileged: true });
    await govCheck(good, { approved: true, insideWindow: true, sessionId: s2 });
    await event({ identityId: agent, sessionId: s2, min: 102 }); // not privileged
    await run();
    const f = await findings("ai-agent-without-approval");
    expect(f.map((x) => [x.sessionId, x.eventIds])).toEqual([[s1, [bad]]]);
    // Agents are not double-counted as delegated changes.
    expect(await findings("delegated-high-impact-change")).toEqual([]);
  });

  it("lookalike-identities fires once per pair differing only by invisible characters, by name or email, not on distinct names", async () => {
    const real = await identity("human", "admin");
    const zw = await identity("human", "ad\u200Bmin"); // zero-width space
    const rlo = await identity("human", "adm\u202Ein"); // right-to-left override
    await identity("human", "admins"); // really another name
    await identity("human", "\u200B"); // nothing but an invisible character: equal to no one
    const mail = await seedIdentity({ kind: "human", displayName: "Ana Lima", primaryEmail: "ana@example.com" });
    const mail2 = await seedIdentity({ kind: "human", displayName: "Ana L.", primaryEmail: "ana@exam\u2060ple.com" });
    const zwEvent = await event({ identityId: zw, min: 5 });
    await run();
    const f = await findings("lookalike-identities");
    // Three pairs of "admin" (real/zw, real/rlo, zw/rlo) and the email pair: each pair once, whichever side found it.
    expect(f).toHaveLength(4);
    const pairOf = (x: { evidence: Record<string, unknown> }) =>
      ((x.evidence.identities as { id: string }[]).map((i) => i.id).sort() as string[]).join(",");
    expect(f.map(pairOf).sort()).toEqual(
      [
        [real, zw],
        [real, rlo],
        [rlo, zw],
        [mail, mail2],
      ]
        .map((p) => p.sort().join(","))
        .sort(),
    );
    const realZw = f.find((x) => pairOf(x) === [real, zw].sort().join(","))!;
    expect(realZw.identityId).toBe(zw);
    expect(realZw.eventIds).toEqual([zwEvent]);
    expect(realZw.evidence.invisible).toEqual(["U+200B ZWSP"]);
    const titles = (await pool().query(`SELECT title FROM finding WHERE "ruleId" = 'lookalike-identities' ORDER BY title`)).rows.map(
      (r) => r.title,
    );
    expect(titles).toContain('"ad⟨ZWSP⟩min" looks like "admin": they differ only by invisible characters');
    expect(titles).toContain('"ana@exam⟨WJ⟩ple.com" looks like "ana@example.com": they differ only by invisible characters');
    expect(titles.join()).not.toMatch(/[\u200B\u202E\u2060]/);
    // A second run raises nothing new: the pairs are stable subjects.
    expect((await run()).byRule["lookalike-identities"]).toBe(4);
    expect(await findings("lookalike-identities")).toHaveLength(4);
  });

  it("vendor-risk-signal: one finding per session and signal, at its worst event's severity; none without a signal", async () => {
    const nina = await identity("human", "Nina");
    const s = await session(nina, 0);
    const risk = (signal: string, severity: string, reasons: string[], level: string | null = null) => ({
      risk: {
        signal,
        label: signal === "okta.risk" ? "Okta risk" : "Slack anomaly",
        vendor_level: level,
        vendor_state: null,
        reasons,
        severity,
      },
    });
    const medium = await event({ identityId: nina, sessionId: s, min: 1, data: risk("okta.risk", "medium", ["New IP"], "MEDIUM") });
    const high = await event({ identityId: nina, sessionId: s, min: 2, data: risk("okta.risk", "high", ["Anomalous Device"], "HIGH") });
    // The same session, another signal: its own finding. No session: a finding per event.
    const slack = await event({ identityId: nina, sessionId: s, min: 3, data: risk("slack.anomaly", "medium", ["tor"]) });
    const loose = await event({ identityId: nina, min: 4, data: risk("slack.anomaly", "medium", ["asn", "ip_address"]) });
    // No signal: an ordinary event, and Okta's raw debugData text kept in extra (not a normalized signal).
    await event({ identityId: nina, sessionId: s, min: 5 });
    await event({ identityId: nina, sessionId: s, min: 6, data: { extra: { risk: "{level=HIGH}" } } });
    const r = await run();
    expect(r.byRule["vendor-risk-signal"]).toBe(3);
    const rows = (
      await pool().query<{ title: string; severity: string; sessionId: string | null; eventIds: string[] }>(
        `SELECT title, severity, "sessionId", "eventIds"::text[] AS "eventIds" FROM finding WHERE "ruleId" = 'vendor-risk-signal' ORDER BY title`,
      )
    ).rows;
    expect(rows).toEqual([
      { title: "Okta risk (HIGH) for Nina: Anomalous Device, New IP (2 events)", severity: "high", sessionId: s, eventIds: [medium, high] },
      { title: "Slack anomaly for Nina: asn, ip_address", severity: "medium", sessionId: null, eventIds: [loose] },
      { title: "Slack anomaly for Nina: tor", severity: "medium", sessionId: s, eventIds: [slack] },
    ]);
  });

  it("has an evaluator test above for every catalog rule", () => {
    expect(RISK_RULES.map((r) => r.id).sort()).toEqual(
      [
        "privileged-without-approval",
        "privileged-outside-jit",
        "standing-privilege",
        "over-broad-grant",
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
        "lookalike-identities",
        "vendor-risk-signal",
      ].sort(),
    );
  });
});

describe("runRiskRules", () => {
  it("is idempotent, keeps a dismissed finding dismissed, scores sessions and marks resolved findings", async () => {
    const agent = await identity("ai_agent", "agent-x");
    const s = await session(agent, 0);
    // Two findings on one session: the agent's unapproved change (critical, 10) and its network change (high, 7).
    const e = await event({ identityId: agent, sessionId: s, min: 1, privileged: true, srcIp: "198.51.100.1" });
    const e2 = await event({ identityId: agent, sessionId: s, min: 2, srcIp: "198.51.100.2" });
    const first = await run();
    expect(first.raised).toBe(2);
    expect(first.byRule).toMatchObject({ "ai-agent-without-approval": 1, "nhi-network-change": 1, "delegated-high-impact-change": 0 });
    const before = await pool().query(`SELECT id, fingerprint, "ruleId" FROM finding ORDER BY fingerprint`);
    const second = await run();
    expect(second.raised).toBe(0);
    expect(second.updated).toBe(first.raised);
    const after = await pool().query(`SELECT id, fingerprint, "ruleId" FROM finding ORDER BY fingerprint`);
    expect(after.rows).toEqual(before.rows);

    const agentFinding = after.rows.find((r) => r.ruleId === "ai-agent-without-approval")!;
    let sess = (await pool().query(`SELECT "riskScore", "riskLevel" FROM session WHERE id = $1`, [s])).rows[0];
    expect(sess).toEqual({ riskScore: 10 + 7, riskLevel: "critical" });

    // Dismiss: history kept, still dismissed after a re-run, no longer counts toward the session's risk.
    const user = await seedUser("analyst");
    await dismissFinding({
      id: agentFinding.id,
      input: dismissFindingInput.parse({ type: "false_positive", reason: "Approved verbally, ticket CHG-1 filed late" }),
      ctx: user.ctx,
    });
    await run();
    const got = await getFinding({ id: agentFinding.id });
    expect(got?.status).toBe("dismissed");
    expect(got?.dismissedReason).toBe("Approved verbally, ticket CHG-1 filed late");
    expect(got?.history.map((h) => h.action)).toEqual(["raised", "dismissed"]);
    expect(got?.events.map((x) => x.id)).toEqual([e]);
    sess = (await pool().query(`SELECT "riskScore", "riskLevel" FROM session WHERE id = $1`, [s])).rows[0];
    expect(sess).toEqual({ riskScore: 7, riskLevel: "high" });

    const listed = await listFindings({ status: "dismissed" });
    expect(listed.items.map((x) => x.id)).toEqual([agentFinding.id]);

    // The second IP goes away: the network finding is kept but marked resolved and the session risk clears.
    await pool().query(`UPDATE event SET "srcIp" = '198.51.100.1' WHERE id = $1`, [e2]);
    const third = await run();
    expect(third).toMatchObject({ raised: 0, updated: 1, resolved: 1 });
    sess = (await pool().query(`SELECT "riskScore", "riskLevel" FROM session WHERE id = $1`, [s])).rows[0];
    expect(sess).toEqual({ riskScore: 0, riskLevel: null });
    const net = (await findings("nhi-network-change"))[0];
    expect(net.status).toBe("open");
    expect(typeof net.evidence.resolvedAt).toBe("string");
    expect(typeof (await findings("ai-agent-without-approval"))[0].evidence.resolvedAt).toBe("undefined");
  });

  it("a dismissal covers the occurrences it names: a rule run that finds another occurrence reopens the finding", async () => {
    const agent = await identity("ai_agent", "agent-y");
    const s = await session(agent, 0);
    const e = await event({ identityId: agent, sessionId: s, min: 1, privileged: true });
    await run();
    const id = (await pool().query<{ id: string }>(`SELECT id FROM finding WHERE "ruleId" = 'ai-agent-without-approval'`)).rows[0].id;
    const { ctx } = await seedUser("analyst");
    await dismissFinding({
      id,
      input: dismissFindingInput.parse({ type: "false_positive", reason: "Sandbox agent, approved change window" }),
      ctx,
    });
    expect((await getFinding({ id }))?.dismissedEventIds).toEqual([e]);
    // The same occurrences again: still dismissed.
    await run();
    expect((await getFinding({ id }))?.status).toBe("dismissed");

    const e3 = await event({ identityId: agent, sessionId: s, min: 5, privileged: true });
    await run();
    const got = (await getFinding({ id }))!;
    expect(got.events.map((x) => x.id)).toEqual([e, e3]);
    expect(got.status).toBe("open");
    expect(got.disposition).toBe("open");
    expect(got.dismissalType).toBeNull();
    expect(got.history.map((h) => [h.action, h.reason])).toEqual([
      ["raised", "agent-y (AI agent) made 1 privileged changes without human approval"],
      ["dismissed", "False positive: Sandbox agent, approved change window"],
      ["reopened", "New occurrences that the dismissal did not cover."],
    ]);
    // Naming an event that is not one of the finding's occurrences is refused.
    await expectAppError(
      dismissFinding({
        id,
        input: dismissFindingInput.parse({ type: "false_positive", reason: "Only this one", eventIds: ["999999999"] }),
        ctx,
      }),
      "VALIDATION",
      /not an occurrence/,
    );
    // Naming one occurrence covers only that one: the next run reopens it for the other.
    await dismissFinding({
      id,
      input: dismissFindingInput.parse({ type: "false_positive", reason: "Only the first one", eventIds: [e] }),
      ctx,
    });
    await run();
    expect((await getFinding({ id }))?.status).toBe("open");
  });

  it("keeps every dismissal and reopening in the history and the audit trail, and refuses a reason under 5 characters", async () => {
    const e = await event({ min: 0, privileged: true });
    await govCheck(e, { approved: null, insideWindow: true });
    await run();
    const id = (await pool().query<{ id: string }>(`SELECT id FROM finding`)).rows[0].id;
    const { email, ctx } = await seedUser("analyst");
    // What the route contract refuses before dismissFinding runs.
    expect(() => dismissFindingInput.parse({ type: "false_positive", reason: "meh" })).toThrow(/at least 5 characters/);
    expect(() => dismissFindingInput.parse({ reason: "Known maintenance job" })).toThrow(/Choose the kind of dismissal/);
    const fp = (reason: string) => dismissFindingInput.parse({ type: "false_positive", reason });
    await dismissFinding({ id, input: fp("Known maintenance job"), ctx });
    await expect(dismissFinding({ id, input: fp("Known maintenance job"), ctx })).rejects.toThrow(/already dismissed/);
    await reopenFinding({ id, reason: "The job was not approved after all", ctx });
    await dismissFinding({ id, input: fp("Approved in CHG-77"), ctx });
    const got = await getFinding({ id });
    expect(got?.history.map((h) => [h.action, h.reason, h.actorEmail])).toEqual([
      ["raised", got?.title, null],
      ["dismissed", "False positive: Known maintenance job", email],
      ["reopened", "The job was not approved after all", email],
      ["dismissed", "False positive: Approved in CHG-77", email],
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
    // A finding that does not exist: none to read, none to change.
    const unknown = crypto.randomUUID();
    expect(await getFinding({ id: unknown })).toBeNull();
    await expectAppError(reopenFinding({ id: unknown, reason: "No such finding here", ctx }), "NOT_FOUND", /No such finding/);
  });

  it("lists findings filtered and sorted in SQL, with per-severity counts and session links through events", async () => {
    const agent = await identity("ai_agent", "agent-l");
    const svc = await identity("service_account", "svc-l");
    const s = await session(agent, 0);
    await event({ identityId: agent, sessionId: s, min: 1, privileged: true }); // critical, cites s
    const sv = await session(svc, 10);
    await event({ identityId: svc, sessionId: sv, min: 11, classUid: 3002, data: { auth: { factors: ["password"], mfa: null } } }); // medium, identity-level
    await run();
    const all = await listFindings({});
    expect(all.items.map((f) => f.severity)).toEqual(["critical", "medium"]);
    expect(all.bySeverity).toEqual([
      { severity: "critical", open: 1, dismissed: 0 },
      { severity: "medium", open: 1, dismissed: 0 },
    ]);
    const asc = await listFindings({ sort: "severity", dir: "asc" });
    expect(asc.items.map((f) => f.severity)).toEqual(["medium", "critical"]);
    expect((await listFindings({ severity: "medium" })).items.map((f) => f.ruleId)).toEqual(["weak-authentication"]);
    expect((await listFindings({ session: sv })).items.map((f) => f.ruleId)).toEqual(["weak-authentication"]);
    expect((await listFindings({ identity: agent })).items.map((f) => f.ruleId)).toEqual(["ai-agent-without-approval"]);
    expect((await listFindings({ limit: 1, offset: 1 })).items.map((f) => f.severity)).toEqual(["medium"]);
  });

  it("reads thresholds from the setting table over the defaults, and ignores an invalid setting", async () => {
    expect(await getRiskSettings()).toEqual(DEFAULT_RISK_SETTINGS);
    await pool().query(`INSERT INTO setting (key, value, "updatedAt") VALUES ($1, $2::jsonb, now())`, [
      RISK_SETTINGS_KEY,
      JSON.stringify({ dormantDays: 7 }),
    ]);
    expect(await getRiskSettings()).toEqual({ ...DEFAULT_RISK_SETTINGS, dormantDays: 7 });
    // The stored threshold drives the rule when no settings are passed in.
    const idle = await identity("service_account", "svc-idle", { lastSeen: at(-8 * day) });
    await runRiskRules({ ctx: system(), asOf: at(0) });
    expect((await findings("orphaned-or-dormant-nhi")).map((f) => f.identityId)).toEqual([idle]);
    await pool().query(`UPDATE setting SET value = $2::jsonb WHERE key = $1`, [RISK_SETTINGS_KEY, JSON.stringify({ dormantDays: "soon" })]);
    expect(await getRiskSettings()).toEqual(DEFAULT_RISK_SETTINGS);
    await pool().query(`DELETE FROM setting WHERE key = $1`, [RISK_SETTINGS_KEY]);
  });
});
