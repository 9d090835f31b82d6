import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { toEventJson } from "@/lib/events/schema";
import { awsCloudTrail } from "@/lib/sources/aws-cloudtrail";
import { correlate } from "../correlate";
import { scenarioEvent as ev } from "../testing/key-scenarios";
import type { CorrelationEvent } from "../types";

// The session joins and links of issue 14 section 4, each on crafted events (or the CloudTrail conformance records).

type Over = Parameters<typeof ev>[0];
const sess = (key: string, key_type: string) => ({ key, key_type, root_key: null, issuer: null });
const ip = (a: string) => ({ ip: a, location: null });
const person = (id: string, kind_hint: "human" | "service_account" | "workload" = "human") => ({
  external_id: id,
  login: `${id}@example-corp.test`,
  kind_hint,
});

describe("keyless events of a keyed session", () => {
  const slack = (time: string, over: Partial<Over> = {}) =>
    ev({ platform: "slack", time, actor: person("U1"), src_endpoint: ip("203.0.113.5"), user_agent: "Slack/4.41", ...over });
  it("join the one keyed session of the same identity, client and network whose span holds them, with the rule and confidence", () => {
    const r = correlate([
      slack("2026-11-23T09:00:00Z", { session: sess("S1", "slack.session_id") }),
      slack("2026-11-23T09:10:00Z"),
      slack("2026-11-23T09:20:00Z", { session: sess("S1", "slack.session_id") }),
      // Another network: not joined (heuristic session of its own).
      slack("2026-11-23T09:15:00Z", { src_endpoint: ip("198.51.100.9"), user_agent: "curl/8" }),
      // Outside the span: not joined.
      slack("2026-11-23T13:00:00Z"),
    ]);
    const keyed = r.sessions.find((s) => s.keyType === "native")!;
    expect(keyed.eventIds).toHaveLength(3);
    expect(keyed).toMatchObject({ rule: "slack.session_id+keyless_join:identity+client+network+span", confidence: 0.85 });
    expect(r.sessions.filter((s) => s.keyType === "heuristic")).toHaveLength(2);
  });
  it("stay apart when two keyed sessions qualify (ambiguous)", () => {
    const r = correlate([
      slack("2026-11-23T09:00:00Z", { session: sess("S1", "slack.session_id") }),
      slack("2026-11-23T09:01:00Z", { session: sess("S2", "slack.session_id") }),
      slack("2026-11-23T09:05:00Z"),
      slack("2026-11-23T09:09:00Z", { session: sess("S1", "slack.session_id") }),
      slack("2026-11-23T09:09:30Z", { session: sess("S2", "slack.session_id") }),
    ]);
    expect(r.sessions.filter((s) => s.keyType === "native").map((s) => s.eventIds.length)).toEqual([2, 2]);
  });
});

describe("a token used again", () => {
  const gh = (time: string, addr: string, ua = "gh-cli/2.40") =>
    ev({
      platform: "github",
      time,
      actor: person("octo"),
      session: sess("tokA", "github.hashed_token"),
      src_endpoint: ip(addr),
      user_agent: ua,
    });
  const reuse = (evs: CorrelationEvent[]) => {
    const r = correlate(evs);
    const gs = r.sessions.filter((s) => s.platform === "github");
    return { gs, links: r.links.filter((l) => l.kind === "token_reuse") };
  };
  it("from a new network is a new session linked to the first (token_reuse), not the same one", () => {
    const { gs, links } = reuse([
      gh("2026-11-23T09:00:00Z", "203.0.113.5"),
      gh("2026-11-23T09:01:00Z", "203.0.113.77"),
      gh("2026-11-23T09:05:00Z", "198.51.100.9"),
    ]);
    expect(gs.map((s) => s.eventIds.length)).toEqual([2, 1]);
    expect(links).toEqual([
      expect.objectContaining({
        from: gs[0].id,
        to: gs[1].id,
        rule: "token_reuse",
        confidence: 0.9,
        matchedFields: expect.objectContaining({ reason: "new_network", newIp: "198.51.100.9" }),
      }),
    ]);
  });
  it("used by git beside the session's own client (GitHub git.* events) is the same session; only another API client is new", () => {
    const git = (time: string, addr: string, ua: string) => ({
      ...gh(time, addr, ua),
      data: { ...gh(time, addr, ua).data, event_name: "git.clone" },
    });
    const { gs, links } = reuse([
      gh("2026-11-23T09:00:00Z", "203.0.113.5", "gh/2.62.0"),
      git("2026-11-23T09:04:00Z", "203.0.113.5", "git/2.47.0"),
      gh("2026-11-23T09:12:00Z", "203.0.113.5", "gh/2.62.0"),
      // Replayed from a new network: one new session, whatever git and the script alternate inside it.
      gh("2026-11-23T09:30:00Z", "198.51.100.9", "python-requests/2.32"),
      git("2026-11-23T09:32:00Z", "198.51.100.9", "git/2.39.2"),
      gh("2026-11-23T09:35:00Z", "198.51.100.9", "python-requests/2.32"),
    ]);
    expect(gs.map((s) => s.eventIds.length)).toEqual([3, 3]);
    expect(links.map((l) => [l.from, l.to, l.matchedFields.reason])).toEqual([[gs[0].id, gs[1].id, "new_network"]]);
  });
  it("from a new client, or after a long gap, likewise", () => {
    const client = reuse([gh("2026-11-23T09:00:00Z", "203.0.113.5"), gh("2026-11-23T09:05:00Z", "203.0.113.5", "python-requests/2.31")]);
    expect(client.links.map((l) => l.matchedFields.reason)).toEqual(["new_client"]);
    const gap = reuse([gh("2026-11-23T09:00:00Z", "203.0.113.5"), gh("2026-11-23T15:00:00Z", "203.0.113.5")]);
    expect(gap.links.map((l) => l.matchedFields.reason)).toEqual(["long_gap"]);
  });
});

describe("records that name no address nor user agent", () => {
  it("join the one addressed heuristic session of the same identity and client open within the gap; stay apart when two are", () => {
    const sp = { external_id: "sp-1", name: "hr-sync", type: "servicePrincipal", kind_hint: "workload" as const };
    const client = { app_id: "app-1", app_name: "hr-sync" } as Over["client"];
    const at = (time: string, addr: string | null) =>
      ev({ platform: "entra", time, actor: sp, client, src_endpoint: addr ? ip(addr) : { ip: null, location: null } });
    const one = correlate([at("2026-11-23T08:00:00Z", "203.0.113.80"), at("2026-11-23T08:01:00Z", null), at("2026-11-23T11:00:00Z", null)]);
    expect(one.sessions.map((s) => s.eventIds.length)).toEqual([2, 1]);
    const two = correlate([
      at("2026-11-23T08:00:00Z", "203.0.113.80"),
      at("2026-11-23T08:00:30Z", "198.51.100.7"),
      at("2026-11-23T08:01:00Z", null),
    ]);
    expect(two.sessions.map((s) => s.eventIds.length)).toEqual([1, 1, 1]);
  });
});

describe("a keyless credential exchange by an outside caller (AWS AssumeRoleWithWebIdentity)", () => {
  it("belongs to the role session it created, not a session of its own", () => {
    const exchange = ev({
      platform: "aws-cloudtrail",
      time: "2026-11-23T10:00:40Z",
      activity: "issue_credentials",
      event_name: "AssumeRoleWithWebIdentity",
      actor: {
        external_id: "repo:acme/infra:ref:refs/heads/main",
        login: "repo:acme/infra:ref:refs/heads/main",
        type: "WebIdentityUser",
        kind_hint: "workload",
      },
      src_endpoint: ip("20.57.10.33"),
      issued_credentials: [
        {
          key: "ASIAX1",
          key_type: "aws.access_key_id",
          kind: "aws_session_key",
          native_type: null,
          parent_key: null,
          parent_key_type: null,
          principal: null,
          source_identity: null,
          expiration: null,
        },
      ],
    });
    const use = (time: string) =>
      ev({
        platform: "aws-cloudtrail",
        time,
        actor: { external_id: "AROA1:GitHubActions", login: "GitHubActions", type: "AssumedRole", kind_hint: "workload" },
        session: sess("arn:aws:sts::1:assumed-role/Deploy/GitHubActions|2026-11-23T10:00:40Z", "aws.role_session"),
        credential: {
          key: "ASIAX1",
          key_type: "aws.access_key_id",
          kind: "aws_session_key",
          native_type: null,
          parent_key: null,
          parent_key_type: null,
          parent_kind: null,
        },
        src_endpoint: ip("20.57.10.33"),
      });
    const r = correlate([exchange, use("2026-11-23T10:01:00Z"), use("2026-11-23T10:02:00Z")]);
    expect(r.sessions).toHaveLength(1);
    expect(r.sessions[0].eventIds).toHaveLength(3);
    expect(r.links).toEqual([]);
  });
});

describe("a platform session key after the platform's limits", () => {
  it("starts a new session (Salesforce idle gap)", () => {
    const sf = (time: string) =>
      ev({ platform: "salesforce", time, actor: person("005A"), session: sess("SK1", "salesforce.SESSION_KEY") });
    const r = correlate([sf("2026-11-23T09:00:00Z"), sf("2026-11-23T10:00:00Z"), sf("2026-11-25T10:00:00Z")]);
    expect(r.sessions.map((s) => [s.sessionKey, s.eventIds.length])).toEqual([
      ["SK1", 2],
      ["SK1#1", 1],
    ]);
    expect(r.links).toEqual([
      expect.objectContaining({ kind: "session_key_reuse", matchedFields: expect.objectContaining({ reason: "idle_gap" }) }),
    ]);
  });
});

describe("Snowflake logins", () => {
  const login = (user: string, eventId: string, status: "success" | "failure", time = "2026-11-23T09:00:00Z") =>
    ev({ platform: "snowflake", time, activity: "logon", event_name: "LOGIN", status, actor: { login: user }, correlation_id: eventId });
  const session = (user: string, eventId: string) =>
    ev({
      platform: "snowflake",
      time: "2026-11-23T09:00:01Z",
      actor: { login: user },
      session: sess("SID1", "snowflake.SESSION_ID"),
      correlation_id: eventId,
    });
  it("a LOGIN_HISTORY row joins the SESSIONS row only when the user matches", () => {
    const same = correlate([login("ALICE", "E1", "success"), session("ALICE", "E1")]);
    expect(same.sessions).toHaveLength(1);
    expect(same.sessions[0].eventIds).toHaveLength(2);
    const other = correlate([login("BOB", "E1", "success"), session("ALICE", "E1")]);
    expect(other.sessions.find((s) => s.keyType === "native")!.eventIds).toHaveLength(1);
  });
  it("a failed login never starts a session", () => {
    const r = correlate([login("ALICE", "E9", "failure"), session("ALICE", "E9")]);
    expect(r.sessions).toHaveLength(1);
    expect(r.sessions[0].eventIds).toHaveLength(1);
    expect(correlate([login("ALICE", "E8", "failure")]).sessions).toEqual([]);
  });
});

describe("same source address between two people", () => {
  it("makes no link: two human identities behind one office address are two people", () => {
    const at = (who: string, time: string) =>
      ev({ platform: "slack", time, actor: person(who), src_endpoint: ip("198.51.100.21"), user_agent: "Mozilla/5.0" });
    const r = correlate([at("maria", "2026-11-23T09:00:00Z"), at("omar", "2026-11-23T09:02:00Z")]);
    expect(r.sessions).toHaveLength(2);
    expect(r.links).toEqual([]);
  });
});

describe("one link per pair and kind", () => {
  it("keeps the strongest evidence: a later SSO event from the app session's own address outranks an earlier one", () => {
    const sso = (time: string, addr: string) =>
      ev({
        platform: "okta",
        time,
        event_name: "user.authentication.sso",
        actor: person("kim"),
        session: sess("idx-kim", "okta.externalSessionId"),
        src_endpoint: ip(addr),
        resources: [{ type: "AppInstance", id: "0oa1", name: "Salesforce" }],
      });
    const sf = (time: string) =>
      ev({
        platform: "salesforce",
        time,
        actor: person("kim"),
        session: sess("LK-kim", "salesforce.LOGIN_KEY"),
        src_endpoint: ip("192.0.2.8"),
      });
    const r = correlate([
      sso("2026-11-23T09:00:00Z", "198.51.100.3"),
      sso("2026-11-23T09:01:00Z", "192.0.2.8"),
      sf("2026-11-23T09:02:00Z"),
    ]);
    const idp = r.links.filter((l) => l.kind === "idp_to_app");
    expect(idp).toHaveLength(1);
    expect(idp[0]).toMatchObject({ confidence: 0.95, matchedFields: { ip: "192.0.2.8" } });
  });
});

describe("AWS IAM Identity Center sign-in", () => {
  it("links to the AWSReservedSSO_ role session it opened (idp_to_app), never to its own session", () => {
    const carol = { external_id: "94482488-carol", login: "carol@example-corp.test", kind_hint: "human" as const };
    const signIn = ev({
      platform: "aws-cloudtrail",
      time: "2026-11-23T09:00:00Z",
      class_uid: 3002,
      activity: "logon",
      event_name: "UserAuthentication",
      actor: carol,
      src_endpoint: ip("198.51.100.44"),
    });
    const role = (time: string) =>
      ev({
        platform: "aws-cloudtrail",
        time,
        actor: carol,
        session: sess("arn:aws:sts::1:assumed-role/AWSReservedSSO_Admin_0123/carol|2026-11-23T09:04:00Z", "aws.role_session"),
        src_endpoint: ip("198.51.100.44"),
      });
    const r = correlate([signIn, role("2026-11-23T09:04:00Z"), role("2026-11-23T09:06:00Z")]);
    const roleSession = r.sessions.find((s) => s.sessionKey.includes("AWSReservedSSO_"))!;
    const signInSession = r.sessions.find((s) => s.id !== roleSession.id)!;
    expect(r.links).toEqual([
      expect.objectContaining({
        from: signInSession.id,
        to: roleSession.id,
        kind: "idp_to_app",
        rule: "aws_identity_center_signin_to_role_session",
        confidence: 0.95,
      }),
    ]);
  });
});

describe("links between identities", () => {
  it("a person's session that minted the credential a workload then uses: human_behind_nhi", () => {
    const cred = (key: string) => ({
      key,
      key_type: "x.key",
      kind: "api_token" as const,
      native_type: null,
      parent_key: null,
      parent_key_type: null,
      parent_kind: null,
    });
    const r = correlate([
      ev({
        platform: "okta",
        time: "2026-11-23T09:00:00Z",
        actor: person("dana"),
        session: sess("idx1", "okta.externalSessionId"),
        issued_credentials: [
          {
            key: "T1",
            key_type: "x.key",
            kind: "api_token",
            native_type: null,
            parent_key: null,
            parent_key_type: null,
            principal: null,
            source_identity: null,
            expiration: null,
          },
        ],
      }),
      ev({
        platform: "okta",
        time: "2026-11-23T10:00:00Z",
        actor: { external_id: "svc1", kind_hint: "service_account" },
        credential: cred("T1"),
      }),
    ]);
    const dana = r.sessions.find((s) => s.sessionKey === "idx1")!;
    expect(r.links.find((l) => l.kind === "human_behind_nhi")).toMatchObject({
      from: dana.id,
      rule: "human_behind_nhi:minted_credential",
      confidence: 0.9,
    });
  });

  it("GitHub Actions OIDC token exchanged for an AWS role: oidc_federation to the role session; workload kinds from the records", () => {
    const trail = JSON.parse(fs.readFileSync("lib/sources/aws-cloudtrail/conformance/trail-records.json", "utf8")).Records as unknown[];
    const aws = trail.flatMap((rec, i) =>
      awsCloudTrail
        .normalize(rec, { fileName: "t.json", position: i })
        .map((e) => ({ id: `ct${i}`, file: "t.json", index: i, data: toEventJson(e) })),
    );
    const job = ev({
      platform: "github",
      time: "2026-12-01T10:58:00Z",
      event_name: "workflows.prepared_workflow_job",
      actor: { external_id: "42", login: "octo", kind_hint: "human" },
      resources: [{ type: "repository", id: "9", name: "acme/infra" }],
    });
    const r = correlate([...aws, job]);
    const link = r.links.find((l) => l.kind === "oidc_federation")!;
    const roleSession = r.sessions.find((s) => s.sessionKey.includes("assumed-role/GitHubActionsDeploy/"))!;
    expect(link).toMatchObject({
      to: roleSession.id,
      rule: "oidc_federation:github_actions_to_aws",
      confidence: 0.9,
      matchedFields: { repository: "acme/infra" },
    });
    const kindOf = (sessionKeyPart: string) => {
      const s = r.sessions.find((x) => x.sessionKey.includes(sessionKeyPart))!;
      return r.identities.find((i) => i.id === s.identityId)!.kind;
    };
    // Role sessions of workloads: OIDC-federated CI job, Lambda and EC2 service roles, a chained role.
    expect(kindOf("GitHubActionsDeploy/")).toBe("workload");
    expect(kindOf("orders-fn-role/")).toBe("workload");
    expect(kindOf("web-ec2-role/")).toBe("workload");
    expect(kindOf("ProdDeployRole/alice-deploy")).toBe("workload");
    // A person's Identity Center role session keeps the person as its identity and initiator.
    const sso = r.sessions.find((x) => x.sessionKey.includes("AWSReservedSSO_"))!;
    const carol = r.identities.find((i) => i.primaryEmail === "carol@example.com")!;
    expect(carol.kind).toBe("human");
    expect(sso).toMatchObject({ identityId: carol.id, initiatorIdentityId: carol.id });
  });

  it("Entra workload sign-in with a federated credential shortly after a CI job: low-confidence oidc_federation; the service principal is a workload", () => {
    const r = correlate([
      ev({
        platform: "github",
        time: "2026-11-23T09:00:00Z",
        event_name: "workflows.prepared_workflow_job",
        actor: { external_id: "42", login: "octo" },
        resources: [{ type: "repository", id: "9", name: "acme/app" }],
      }),
      ev({
        platform: "entra",
        time: "2026-11-23T09:02:00Z",
        class_uid: 3002,
        actor: { external_id: "sp-1", name: "deploy-app", type: "servicePrincipal", kind_hint: "workload" },
        credential: {
          key: null,
          key_type: null,
          kind: "unknown",
          native_type: "federatedIdentityCredential",
          parent_key: null,
          parent_key_type: null,
          parent_kind: null,
        },
      }),
    ]);
    expect(r.links.find((l) => l.kind === "oidc_federation")).toMatchObject({
      rule: "oidc_federation:github_actions_to_entra",
      confidence: 0.5,
    });
    expect(r.identities.find((i) => i.displayName === "deploy-app")!.kind).toBe("workload");
  });

  it("same source address within minutes: a low-confidence link; none from a busy shared address", () => {
    const at = (who: string, time: string, addr: string) =>
      ev({ platform: "google-workspace", time, actor: person(who), src_endpoint: ip(addr) });
    const r = correlate([
      at("ana", "2026-11-23T09:00:00Z", "192.0.2.1"),
      ev({
        platform: "google-workspace",
        time: "2026-11-23T09:03:00Z",
        actor: person("svc", "service_account"),
        src_endpoint: ip("192.0.2.1"),
      }),
      at("bo", "2026-11-23T09:30:00Z", "192.0.2.1"),
    ]);
    const same = r.links.filter((l) => l.kind === "same_source_ip");
    expect(same).toEqual([
      expect.objectContaining({ rule: "same_source_ip", confidence: 0.3, matchedFields: { ip: "192.0.2.1", secondsApart: 180 } }),
    ]);
    const busy = correlate(
      ["a", "b", "c", "d", "e", "f"].map((w, k) =>
        ev({
          platform: "google-workspace",
          time: `2026-11-23T09:0${k}:00Z`,
          actor: person(w, k % 2 ? "service_account" : "human"),
          src_endpoint: ip("192.0.2.9"),
        }),
      ),
    );
    expect(busy.links.some((l) => l.kind === "same_source_ip")).toBe(true);
    // Sessions past the fourth inside the window get no link from the shared address.
    expect(busy.links.filter((l) => l.kind === "same_source_ip").every((l) => (l.matchedFields.secondsApart as number) <= 180)).toBe(true);
  });
});
