import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { toEventRow } from "@/lib/events/schema";
import { github as synthetic } from "../../../scripts/bench/synthetic";
import { assertRobust, describeSamples, eventAt, fixturePath, printResult, runFile, samplePath, risksOf } from "../testing/samples";
import { github } from "./index";

const STREAM = fixturePath("github", "audit-log-stream.jsonl");
const REST = fixturePath("github", "rest-audit-log-page.json");

describe("github source: own fixtures (streamed NDJSON, REST page)", () => {
  it("streamed events: tokens, sessions, kinds, privileged membership changes", async () => {
    const r = await runFile(github, STREAM);
    printResult(r);
    expect(r.total).toBe(6);
    expect(r.rejected.size).toBe(0);

    const clone = eventAt(r, 0);
    expect(clone).toMatchObject({
      class_uid: 6001,
      activity: "download", // a clone copies the repository out
      event_name: "git.clone",
      native_id: "b7q1VnM2xT9kP4sR8wY3zA",
      session: { key: "aQK1fM0C6rSUHAwsQvEy0Lk9vXQdTJ4tU3kK7lGv5/A=", key_type: "github.hashed_token" },
      credential: {
        key: "aQK1fM0C6rSUHAwsQvEy0Lk9vXQdTJ4tU3kK7lGv5/A=",
        key_type: "github.hashed_token",
        kind: "pat",
        native_type: "Fine-grained personal access token",
      },
      actor: { name: "mlopez", external_id: "5012345", email: "maria.lopez@example.com", kind_hint: "human" },
      src_endpoint: { ip: "203.0.113.24", location: { country: "PT" } },
      resources: [
        { type: "repository", id: "778899001", name: "example/payments-api" },
        { type: "organization", id: "4242", name: "example" },
        { type: "enterprise", id: "9001", name: "example-corp" },
      ],
      privileged: false,
    });
    // @timestamp (when it happened), not created_at (when it was recorded).
    expect(clone.time.getTime()).toBe(1741093201000);

    const web = eventAt(r, 1);
    expect(web).toMatchObject({
      event_name: "repo.create",
      activity: "create",
      session: null,
      credential: null,
      actor: { kind_hint: "human" },
      correlation_id: "C1D2:3E4F:5A6B7C:8D9E0F:67C6F0A0",
    });

    const promote = eventAt(r, 2);
    expect(promote).toMatchObject({ class_uid: 3005, activity: "assign_privileges", privileged: true });
    expect(promote.resources[0]).toEqual({ type: "user", id: "5012345", name: "mlopez" });

    const bot = eventAt(r, 3);
    expect(bot).toMatchObject({
      actor: { kind_hint: "bot", name: "github-actions[bot]" },
      credential: { kind: "access_token", native_type: "GitHub App server-to-server token" },
      client: { app_id: null, app_name: "GitHub Actions" },
    });

    const api = eventAt(r, 4);
    expect(api).toMatchObject({
      class_uid: 6003,
      status: "failure",
      status_detail: "403",
      // An OAuth token acts as the user who authorized the app: the person acts, the app is the client.
      actor: { kind_hint: "human" },
      client: { app_id: "2345678", app_name: "Release Dashboard" },
      credential: { kind: "access_token", native_type: "OAuth access token" },
    });
    expect(api.extra.token_scopes).toBe("repo,read:org");

    expect(eventAt(r, 5).actor.kind_hint).toBe("ai_agent");
    expect(toEventRow(clone)).toMatchObject({
      sessionKey: clone.session!.key,
      credentialKey: clone.credential!.key,
      srcIp: "203.0.113.24",
      targetType: "repository",
      targetName: "example/payments-api",
    });
  });

  it("REST API page (JSON array) gives the same events as the stream", async () => {
    const rest = await runFile(github, REST);
    const stream = await runFile(github, STREAM);
    expect(rest.events.map((e) => e.events)).toEqual(stream.events.slice(1, 3).map((e) => e.events));
  });

  it("never crashes on damaged records (fast-check; npm run fuzz runs more)", () => {
    const records = [
      ...fs
        .readFileSync(STREAM, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as unknown),
      synthetic(4),
    ];
    const { normalized, rejected } = assertRobust(github, records);
    console.log(`github robustness: ${normalized} normalized, ${rejected} rejected`);
    expect(normalized).toBeGreaterThan(0);
  });
});

describeSamples("github source: public samples", () => {
  it("Panther rule tests: every record normalized or rejected with a reason", async () => {
    const r = await runFile(github, samplePath("github/panther_rule_tests_github.jsonl"));
    printResult(r);
    expect(r.total).toBe(92);
    expect(r.events.length).toBe(62);
    for (const reason of r.rejected.keys()) expect(reason).toMatch(/event time/);
    const all = r.events.map((e) => e.events[0]);
    // OAuth token git.clone: hashed_token session; the user acts through the OAuth app (human).
    const clone = all.find((e) => e.event_name === "git.clone" && e.session)!;
    expect(clone).toMatchObject({
      session: { key: "0771cae4d170dc02a6ff393d9946cd684d6145c1=" },
      credential: { kind: "access_token", native_type: "OAuth access token" },
      actor: { kind_hint: "human" },
      src_endpoint: { ip: "5.6.7.8" },
    });
    // github-actions[bot] with an App server-to-server token: token_id is the credential key.
    const bot = all.find((e) => e.actor.name === "github-actions[bot]")!;
    expect(bot).toMatchObject({ actor: { kind_hint: "bot" }, credential: { key: "1111111111111", key_type: "github.token_id" } });
    // Enterprise audit record with @timestamp and actor_ip.
    const ent = all.find((e) => e.event_name === "business_advanced_security.enabled")!;
    expect(ent).toMatchObject({ native_id: "gAcccccccccccccccccccc", src_endpoint: { ip: "12.12.12.12" }, privileged: true });
    // Dependabot alert dismissal: SAML NameID as the actor's email hint; time from at_sign_timestamp.
    const dismiss = all.find((e) => e.event_name === "repository_vulnerability_alert.dismiss")!;
    expect(dismiss).toMatchObject({ actor: { email: "badger@acme.com" }, time: new Date("2024-04-09T06:17:55.186Z") });
  });
});

describe("vendor risk signal", () => {
  it("keeps GitHub's secret-scanning alerts and push-protection bypasses, not resolved alerts in the risk field", async () => {
    expect(await risksOf(github, "github", "risk-signals-audit-log.jsonl")).toEqual([
      [
        "secret_scanning_alert.create",
        {
          signal: "github.secret_scanning_alert",
          label: "GitHub secret scanning alert",
          vendor_level: null,
          vendor_state: "create",
          reasons: ["Amazon AWS Access Key ID", "alert #12"],
          severity: "high",
        },
      ],
      [
        "secret_scanning_push_protection.bypass",
        {
          signal: "github.push_protection_bypass",
          label: "GitHub push protection bypassed for a secret",
          vendor_level: null,
          vendor_state: "bypass",
          reasons: ["GitHub Personal Access Token", "used_in_tests"],
          severity: "high",
        },
      ],
      ["secret_scanning_alert.resolve", null],
    ]);
  });
});
