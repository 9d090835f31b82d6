import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { toEventRow } from "@/lib/events/schema";
import { probeFile } from "../read";
import { detectPlatform } from "../registry";
import { assertRobust, describeSamples, eventAt, fixturePath, printResult, readFileItems, runFile, samplePath } from "../testing/samples";
import { opa } from "./index";

const GATEWAY = fixturePath("opa", "opa-decision-logs-payments-gateway-2025-03-04.json");
const ENVOY = fixturePath("opa", "opa-envoy-decision-log.ndjson");
const KUBE = fixturePath("opa", "opa-kube-mgmt-admission-decisions.json");
const ctx = { fileName: "decisions.json", position: 0 };

async function fixtureRecords(): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const f of [GATEWAY, ENVOY, KUBE])
    for (const it of await readFileItems(f)) if (!("error" in it)) out.push(JSON.parse(it.bytes.toString("utf8")));
  return out;
}

describe("opa source: decision logs (HTTP upload arrays, gzip, console NDJSON)", () => {
  it("API gateway decisions: allow, deny with a reason, undefined, evaluation error", async () => {
    const r = await runFile(opa, GATEWAY);
    printResult(r);
    expect(r.total).toBe(4);
    expect(r.rejected.size).toBe(0);

    const allow = eventAt(r, 0);
    expect(allow).toMatchObject({
      platform: "opa",
      class_uid: 3003,
      class_name: "Authorize Session",
      activity: "authorize",
      event_name: "httpapi/authz/allow",
      time: new Date("2025-03-04T13:20:01.482Z"),
      status: "success",
      actor: { login: "alice", name: "alice", kind_hint: "unknown" },
      session: { key: "sess_9Yk2Lr7Qm4Tz", key_type: "opa.input.session_id" },
      src_endpoint: { ip: "198.51.100.23" },
      resources: [{ type: "http.path", id: null, name: "/finance/salary/alice" }],
      correlation_id: "req-61c0a2",
      native_id: "0d4f3c1e-8b5a-4e7f-9c2d-1a6b3e5f7a01",
      privileged: false,
    });
    expect(allow.policy).toEqual({
      engine: "opa",
      result: "allow",
      policy_name: "httpapi/authz/allow",
      rule_name: null,
      applied: [],
      decision_id: "0d4f3c1e-8b5a-4e7f-9c2d-1a6b3e5f7a01",
      path: "httpapi/authz/allow",
    });
    expect(allow.extra).toMatchObject({
      action: "GET",
      requested_by: "10.0.3.14:52144",
      bundles: { authz: "7f3a9c2e4b1d" },
      labels: { app: "payments-gateway", version: "v1.2.0" },
    });

    expect(eventAt(r, 1)).toMatchObject({
      status: "failure",
      status_detail: "bob is not a manager of the document owner",
      policy: { result: "deny" },
      actor: { external_id: "u-1029", email: "bob@example.com", type: "employee" },
      resources: [{ type: "document", id: "doc-4411", name: "salary-report-q1.pdf" }],
    });
    const undef = eventAt(r, 2);
    expect(undef).toMatchObject({
      status: "unknown",
      policy: { result: "undefined" },
      actor: { external_id: "u-0001", login: "dmitri.ivanov", email: "dmitri.ivanov@example.com" },
    });
    expect(undef.extra.erased).toEqual(["/input/password"]);
    expect(eventAt(r, 3)).toMatchObject({
      status: "failure",
      policy: { result: "error" },
      status_detail: "functions must not produce multiple outputs for same inputs",
    });
    expect(toEventRow(allow)).toMatchObject({
      sessionKey: "sess_9Yk2Lr7Qm4Tz",
      targetType: "http.path",
      nativeId: "0d4f3c1e-8b5a-4e7f-9c2d-1a6b3e5f7a01",
    });
  });

  it("reads the gzipped upload body to the same events", async () => {
    const gz = await runFile(opa, `${GATEWAY}.gz`);
    const plain = await runFile(opa, GATEWAY);
    expect(gz.events).toEqual(plain.events);
  });

  it("Envoy ext_authz (console logger NDJSON): JWT claims give actor, session, token id and client; the token is not copied", async () => {
    const r = await runFile(opa, ENVOY);
    printResult(r);
    expect(r.rejected.size).toBe(0);
    const ok = eventAt(r, 0);
    expect(ok).toMatchObject({
      event_name: "envoy/authz/allow",
      status: "success",
      policy: { result: "allow", path: "envoy/authz/allow" },
      actor: { external_id: "4c1d2e9a-7b3f-4e51-a0c6-9d8e7f6a5b4c", login: "maria.lopez", email: "maria.lopez@example.com" },
      session: { key: "8b3f1c6e-2d4a-4f9b-9e7c-5a1d3b6f8c02", key_type: "opa.jwt.sid", issuer: "https://login.example.com/realms/corp" },
      credential: { key: "a7e5c3d1-9f2b-4c8e-b6a4-2d0f8e6c4a21", key_type: "opa.jwt.jti", kind: "access_token", native_type: "JWT" },
      client: { app_id: "orders-web" },
      src_endpoint: { ip: "10.42.0.1" }, // the peer Envoy saw; the client's X-Forwarded-For claim is kept in extra
      correlation_id: "3f6c1a8e-94b2-4d7f-a1e5-7c2b9d4f0e11",
      resources: [{ type: "http.path", name: "/api/v1/orders/ord-55120" }],
    });
    expect(ok.extra).toMatchObject({ "x-forwarded-for": "198.51.100.23", host: "orders.example.com", action: "GET" });
    expect(ok.extra.requested_by).toBeUndefined(); // "" in the log
    expect(JSON.stringify(ok)).not.toContain("eyJ");

    const denied = eventAt(r, 1);
    expect(denied).toMatchObject({
      status: "failure",
      status_detail: "export requires the orders:export scope",
      policy: { result: "deny" },
      session: null,
      client: { app_id: "batch-exporter" },
      credential: { key: "e2b4d6f8-1a3c-4e5a-8c7e-9f1b3d5a7c93" },
      user_agent: "python-requests/2.32.3",
    });
  });

  it("Kubernetes admission (kube-mgmt, AdmissionReview): userInfo, object, response.allowed; RBAC writes privileged", async () => {
    const r = await runFile(opa, KUBE);
    printResult(r);
    expect(r.rejected.size).toBe(0);
    expect(eventAt(r, 0)).toMatchObject({
      event_name: "system/main",
      status: "failure",
      status_detail: "privileged containers are not allowed: app",
      policy: { result: "deny", policy_name: "system/main" },
      actor: { login: "system:serviceaccount:ci:deployer", kind_hint: "service_account" },
      resources: [{ type: "Pod", id: "d2c4e6f8-0a1b-4c3d-8e5f-6a7b8c9d0e1f", name: "payments/debug-shell" }],
      correlation_id: "705ab4f5-6393-11e8-b7cc-42010a800002",
      privileged: false,
    });
    expect(eventAt(r, 0).extra).toMatchObject({
      action: "CREATE",
      namespace: "payments",
      groups: ["system:serviceaccounts", "system:serviceaccounts:ci", "system:authenticated"],
    });
    expect(eventAt(r, 1)).toMatchObject({
      status: "success",
      policy: { result: "allow" },
      actor: { login: "maria.lopez@example.com", email: "maria.lopez@example.com", kind_hint: "unknown" },
      resources: [{ type: "ClusterRoleBinding", name: "maria-cluster-admin" }],
      privileged: true,
    });
  });

  it("results of other shapes are kept as capped JSON; entries without decision_id or time are rejected", () => {
    const base = { decision_id: "d-1", path: "app/rbac", timestamp: "2025-03-04T13:00:00Z", input: { user: "alice" } };
    expect(opa.normalize({ ...base, result: ["read", "write"] }, ctx)[0]).toMatchObject({
      status: "unknown",
      policy: { result: '["read","write"]' },
    });
    expect(opa.normalize({ ...base, result: "true" }, ctx)[0].policy?.result).toBe("allow"); // as in OPA's docs example
    expect(opa.normalize({ ...base, result: { allow: true, roles: ["admin"] } }, ctx)[0].policy?.result).toBe("allow");
    const big = opa.normalize({ ...base, result: { data: "x".repeat(2000) } }, ctx)[0];
    expect(big.policy!.result.length).toBeLessThanOrEqual(257);
    expect(
      opa.normalize({ decision_id: "d-2", query: "data.x.allow == true", timestamp: "2025-03-04T13:00:00Z", result: [] }, ctx)[0]
        .event_name,
    ).toBe("query");
    expect(() => opa.normalize({ path: "x", timestamp: "2025-03-04T13:00:00Z" }, ctx)).toThrow(/decision_id is missing/);
    expect(() => opa.normalize({ decision_id: "d-3", path: "x" }, ctx)).toThrow(/no event time/);
    expect(() => opa.normalize([1], ctx)).toThrow(/not a JSON object/);
  });

  it("detection: its own files (array, gzip, console NDJSON), renamed too", () => {
    for (const file of [GATEWAY, `${GATEWAY}.gz`, ENVOY, KUBE]) {
      const p = probeFile(fs.readFileSync(file), path.basename(file));
      expect(detectPlatform(p)?.platform, file).toBe("opa");
      expect(detectPlatform({ ...p, fileName: "upload.bin" })?.platform, `${file} renamed`).toBe("opa");
    }
  });

  it("never crashes on damaged records (fast-check; npm run fuzz runs more)", async () => {
    const { normalized, rejected } = assertRobust(opa, await fixtureRecords());
    console.log(`opa robustness: ${normalized} normalized, ${rejected} rejected`);
    expect(normalized).toBeGreaterThan(0);
  });
});

describeSamples("opa source: public samples", () => {
  it("there is no public OPA decision-log sample: other platforms' samples are rejected with a reason", async () => {
    expect(fs.existsSync(samplePath("opa"))).toBe(false);
    for (const name of ["snowflake/panther_rule_tests_snowflake.jsonl", "okta/panther_rule_tests_okta.jsonl"]) {
      const r = await runFile(opa, samplePath(name));
      printResult(r);
      expect(r.events.length, name).toBe(0);
      for (const reason of r.rejected.keys()) expect(reason).toMatch(/not an OPA decision log entry/);
    }
  });
});
