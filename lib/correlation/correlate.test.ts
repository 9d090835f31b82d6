import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { toEventJson } from "@/lib/events/schema";
import { awsCloudTrail } from "@/lib/sources/aws-cloudtrail";
import { fixturePath } from "@/lib/sources/testing/samples";
import { correlate, stableId } from "./correlate";
import { scenarioEvent } from "./testing/key-scenarios";

const ev = scenarioEvent;
type Over = Parameters<typeof scenarioEvent>[0];
const okta = (user: string, sessionKey: string, time: string, extra: Partial<Over> = {}) =>
  ev({
    platform: "okta",
    time,
    actor: { external_id: `00u-${user}`, login: `${user}@example-corp.test`, email: `${user}@example-corp.test`, name: user },
    session: { key: sessionKey, key_type: "okta.externalSessionId", root_key: null, issuer: null },
    ...extra,
  });

describe("correlation engine", () => {
  it("keeps two concurrent sessions of one person apart, under one identity", () => {
    const r = correlate([
      okta("maria", "idxLaptop", "2026-11-23T09:00:00Z", { src_endpoint: { ip: "203.0.113.10", location: null } }),
      okta("maria", "idxPhone", "2026-11-23T09:01:00Z", { src_endpoint: { ip: "198.51.100.7", location: null } }),
      okta("maria", "idxLaptop", "2026-11-23T09:02:00Z"),
      okta("maria", "idxPhone", "2026-11-23T09:03:00Z"),
    ]);
    expect(r.identities).toHaveLength(1);
    expect(r.sessions.map((s) => [s.sessionKey, s.eventIds.length, s.keyType, s.rule])).toEqual([
      ["idxLaptop", 2, "native", "okta.externalSessionId"],
      ["idxPhone", 2, "native", "okta.externalSessionId"],
    ]);
    expect(new Set(r.sessions.map((s) => s.identityId)).size).toBe(1);
  });

  it("never merges people behind one NAT address; keyless activity is grouped by the documented heuristic", () => {
    const nat = { ip: "192.0.2.44", location: null };
    const gws = (user: string, time: string) =>
      ev({
        platform: "google-workspace",
        time,
        actor: { external_id: `1100${user.length}`, email: `${user}@example-corp.test`, login: `${user}@example-corp.test` },
        src_endpoint: nat,
        user_agent: "Mozilla/5.0",
      });
    const r = correlate([
      gws("ana", "2026-11-23T10:00:00Z"),
      gws("bo", "2026-11-23T10:00:30Z"),
      gws("ana", "2026-11-23T10:10:00Z"),
      gws("bo", "2026-11-23T10:11:00Z"),
      gws("ana", "2026-11-23T11:30:00Z"),
    ]);
    expect(r.identities).toHaveLength(2);
    // ana: two sessions (a pause of 80 minutes is more than the 30-minute gap), bo: one.
    const byIdentity = new Map<string, number[]>();
    for (const s of r.sessions) byIdentity.set(s.identityId!, [...(byIdentity.get(s.identityId!) ?? []), s.eventIds.length]);
    expect([...byIdentity.values()].map((v) => v.join("+")).sort()).toEqual(["2", "2+1"]);
    expect(r.sessions.every((s) => s.keyType === "heuristic" && s.confidence < 1 && s.rule.startsWith("heuristic:"))).toBe(true);
  });

  it("merges one person's accounts across platforms by email and says why", () => {
    const r = correlate([
      okta("maria", "idx1", "2026-11-23T09:00:00Z"),
      ev({
        platform: "github",
        time: "2026-11-23T09:05:00Z",
        actor: { external_id: "5551", login: "mlopez", email: "maria@example-corp.test" },
      }),
      ev({ platform: "github", time: "2026-11-23T09:06:00Z", actor: { login: "mlopez" } }),
    ]);
    expect(r.identities).toHaveLength(1);
    const aliases = r.identities[0].aliases.map((a) => [a.platform, a.aliasType, a.rule]);
    expect(aliases).toContainEqual(["okta", "user_id", "same_email"]);
    expect(aliases).toContainEqual(["github", "login", "same_platform_login"]);
    expect(r.identities[0]).toMatchObject({ kind: "human", primaryEmail: "maria@example-corp.test" });
  });

  it("AWS role chaining: parent edges from AssumeRole, lineage links between the sessions, the person as initiator", () => {
    const trail = JSON.parse(
      fs.readFileSync(fixturePath("aws-cloudtrail", "111122223333_CloudTrail_eu-west-1_20250304T1315Z_AbCdEfGh12345678.json"), "utf8"),
    ).Records as unknown[];
    const events = trail.flatMap((rec, i) =>
      awsCloudTrail
        .normalize(rec, { fileName: "trail.json", position: i })
        .map((e) => ({ id: `ct${i}`, file: "trail.json", index: i, data: toEventJson(e) })),
    );
    const r = correlate(events);
    const withParent = r.credentials.filter((c) => c.parentId);
    expect(withParent.length).toBeGreaterThan(0);
    for (const c of withParent) {
      expect(r.credentials.some((p) => p.id === c.parentId)).toBe(true);
      expect(c.parentRule).toMatch(/^issued_by:/);
    }
    const lineage = r.links.filter((l) => l.kind === "credential_lineage");
    expect(lineage.length).toBeGreaterThan(0);
    // alice (IAM user) → role Admin (session alice-admin) → a chained role: every session down the chain was
    // initiated by alice, the top of the chain; the chained sessions' own identities are the roles.
    const alice = r.identities.find((i) => i.displayName === "alice")!;
    for (const l of lineage) {
      const to = r.sessions.find((s) => s.id === l.to)!;
      expect(to).toMatchObject({ initiatorIdentityId: alice.id, initiatorRule: "credential_lineage" });
    }
    const adminSession = r.sessions.find((s) => s.sessionKey.includes("assumed-role/Admin/alice-admin"))!;
    expect(adminSession.identityId).not.toBe(alice.id);
    expect(adminSession.initiatorIdentityId).toBe(alice.id);
  });

  it("links an IdP single sign-on to the app session it opened, with the reason", () => {
    const r = correlate([
      okta("maria", "idxA", "2026-11-23T09:00:00Z", { src_endpoint: { ip: "203.0.113.10", location: null } }),
      okta("maria", "idxA", "2026-11-23T09:01:00Z", {
        event_name: "user.authentication.sso",
        src_endpoint: { ip: "203.0.113.10", location: null },
        resources: [{ type: "AppInstance", id: "0oa1", name: "Salesforce.com" }],
      }),
      ev({
        platform: "salesforce",
        time: "2026-11-23T09:01:20Z",
        actor: { external_id: "005A", login: "maria@example-corp.test", email: "maria@example-corp.test" },
        session: { key: "SK1", key_type: "salesforce.SESSION_KEY", root_key: null, issuer: null },
        src_endpoint: { ip: "203.0.113.10", location: null },
      }),
      // Another person's Salesforce session at the same moment is not linked.
      ev({
        platform: "salesforce",
        time: "2026-11-23T09:01:10Z",
        actor: { external_id: "005B", login: "bo@example-corp.test" },
        session: { key: "SK2", key_type: "salesforce.SESSION_KEY", root_key: null, issuer: null },
      }),
    ]);
    const links = r.links.filter((l) => l.kind === "idp_to_app");
    expect(links).toHaveLength(1);
    const sf = r.sessions.find((s) => s.sessionKey === "SK1")!;
    expect(links[0]).toMatchObject({
      to: sf.id,
      rule: "okta_sso_event",
      confidence: 0.95,
      matchedFields: { app: "Salesforce.com", secondsAfterSso: 20, ip: "203.0.113.10" },
    });
    // The app session was initiated through the IdP sign-in.
    const idp = r.sessions.find((s) => s.platform === "okta")!;
    expect(sf).toMatchObject({ initiatorIdentityId: idp.identityId, initiatorRule: "idp_sso" });
  });

  it("a session acted through another identity (Login-As) names the person behind it as initiator", () => {
    const r = correlate([
      okta("dana", "idxD", "2026-11-23T09:00:00Z"),
      ev({
        platform: "salesforce",
        time: "2026-11-23T09:05:00Z",
        actor: { external_id: "005USER", login: "svc-integration@example-corp.test", kind_hint: "human" },
        session: { key: "SKX", key_type: "salesforce.SESSION_KEY", root_key: null, issuer: null },
        extra: { initiator: { external_id: "005DANA", login: "dana@example-corp.test", name: "Dana", via: "login_as" } },
      }),
    ]);
    const dana = r.identities.find((i) => i.primaryEmail === "dana@example-corp.test")!;
    const sf = r.sessions.find((s) => s.platform === "salesforce")!;
    expect(sf.identityId).not.toBe(dana.id);
    expect(sf).toMatchObject({ initiatorIdentityId: dana.id, initiatorRule: "delegation:login_as" });
    // Dana's Salesforce account (named only as initiator) and her Okta account are one identity.
    expect(dana.aliases.map((a) => a.platform).sort()).toEqual(["okta", "salesforce"]);
  });

  it("is deterministic: the same events in any order give the same result and ids", () => {
    const evs = [
      okta("maria", "idx1", "2026-11-23T09:00:00Z"),
      okta("bo", "idx2", "2026-11-23T09:00:00Z"),
      ev({
        platform: "github",
        time: "2026-11-23T09:05:00Z",
        actor: { external_id: "77", login: "ci-bot[bot]", kind_hint: "bot" },
        session: { key: "tokA", key_type: "github.hashed_token", root_key: null, issuer: null },
      }),
      ev({
        platform: "github",
        time: "2026-11-23T13:05:00Z",
        actor: { external_id: "77", login: "ci-bot[bot]", kind_hint: "bot" },
        session: { key: "tokA", key_type: "github.hashed_token", root_key: null, issuer: null },
      }),
    ];
    const a = correlate(evs);
    const b = correlate([...evs].reverse());
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    // A token hash is split where activity pauses longer than the token gap (4 hours here).
    expect(a.sessions.filter((s) => s.platform === "github")).toHaveLength(2);
    expect(a.identities.find((i) => i.displayName === "ci-bot[bot]")?.kind).toBe("bot");
    expect(stableId("x")).toBe(stableId("x"));
    expect(stableId("x")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
