import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CONTRACTS, contractOf } from "@/lib/api/contracts";
import type { ApiKey } from "@/lib/auth/routes";
import { system } from "@/lib/context/request-context";
import { db, pool } from "@/lib/db";
import { DEFAULT_CHROMIUM } from "@/lib/export/report/print-pdf";
import { runGovernanceChecks } from "@/lib/governance/run-governance-checks";
import { ingestStream } from "@/lib/ingest/ingest-stream";
import { runRiskRules } from "@/lib/risk/run-risk-rules";
import { fixturePath } from "@/lib/sources/testing/samples";
import { CROSS_PLATFORM_FIXTURES, ingestFixture, seedCorrelated, seedUser } from "@/test/factories";

// Every route handler, called as the server calls it (app/api/v1/**/route.ts with a NextRequest) by a signed-in
// administrator over seeded data: each answer must have the status its contract declares and parse with the
// contract's response schema (or carry one of its download types). The schemas are what the client's fetchers
// parse with and what the OpenAPI document describes, so they cannot silently drift from what the routes return.
// Sign-in is the one thing mocked: next-auth's session says who calls; the role check, the user's row and
// everything after it are real.

const auth = vi.hoisted(() => ({ session: null as null | { user: { id: string; sessionVersion: number } } }));
vi.mock("@/lib/auth/options", () => ({ authOptions: () => ({}) }));
vi.mock("next-auth", () => ({ getServerSession: async () => auth.session }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "user-agent": "vitest", "x-forwarded-for": "192.0.2.10" }) }));

const ROOT = path.resolve(import.meta.dirname, "..");
// Approvals and JIT grants for the governance checks (the grants file holds two records it quarantines on purpose).
const FEEDS: [string, string][] = [
  ["servicenow", "change_request.json"],
  ["pam-grants", "sessionproof-grants-2025-03-04.json"],
];

const answered = new Set<ApiKey>();
const ids: Record<string, string> = {};

type CallOptions = { params?: Record<string, string>; body?: unknown; raw?: Buffer; headers?: Record<string, string> };

async function call(key: ApiKey, url: string, { params = {}, body, raw, headers = {} }: CallOptions = {}): Promise<Response> {
  const [method, routePath] = key.split(" ");
  const route = (await import(path.join(ROOT, "app", routePath, "route.ts"))) as Record<string, unknown>;
  const handler = route[method] as (req: NextRequest, ctx: { params: Promise<unknown> }) => Promise<Response>;
  const init: { method: string; headers: Record<string, string>; body?: BodyInit } = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers["content-type"] = "application/json";
  } else if (raw) init.body = new Uint8Array(raw);
  return handler(new NextRequest(`http://localhost${url}`, init), { params: Promise.resolve(params) });
}

/** Calls the route and checks its answer against the contract; returns the parsed JSON. */
async function answer<T = Record<string, unknown>>(key: ApiKey, url: string, opts?: CallOptions): Promise<T> {
  const res = await call(key, url, opts);
  const contract = contractOf(key);
  const text = await res.text();
  expect(res.status, `${key} (${url}) answered ${text.slice(0, 500)}`).toBe(contract.created ? 201 : 200);
  expect(res.headers.get("content-type"), key).toMatch(/^application\/json/);
  const json: unknown = JSON.parse(text);
  const parsed = contract.response!.safeParse(json);
  expect(parsed.success ? [] : parsed.error.issues.slice(0, 5), `${key}: the answer does not match its contract`).toEqual([]);
  // Nothing undeclared either: parsing drops unknown fields, so an answer with a field its schema lacks differs.
  expect(parsed.data, `${key}: the answer has fields its contract does not declare`).toStrictEqual(json);
  answered.add(key);
  return json as T;
}

/** Calls a download route and checks the file's type against the contract's download types. */
async function file(key: ApiKey, url: string, opts?: CallOptions): Promise<string> {
  const res = await call(key, url, opts);
  const body = Buffer.from(await res.arrayBuffer());
  expect(res.status, `${key} (${url}) answered ${body.subarray(0, 300).toString()}`).toBe(200);
  const type = (res.headers.get("content-type") ?? "").split(";")[0].trim();
  expect(contractOf(key).download, key).toContain(type);
  expect(body.length, key).toBeGreaterThan(0);
  answered.add(key);
  return type;
}

/** Who the mocked next-auth session names (with the user's current session version, as a real sign-in carries). */
async function signIn(userId: string) {
  const { sessionVersion } = await db().user.findUniqueOrThrow({ where: { id: userId } });
  auth.session = { user: { id: userId, sessionVersion } };
}

/** Calls as another user, then signs the administrator in again. */
async function as<T>(userId: string, fn: () => Promise<T>): Promise<T> {
  await signIn(userId);
  try {
    return await fn();
  } finally {
    await signIn(ids.admin);
  }
}

const first = async (sql: string, params: unknown[] = []) => (await pool().query<{ id: string }>(sql, params)).rows[0].id;

beforeAll(async () => {
  for (const [platform, name] of FEEDS) await ingestFixture(platform, name);
  await seedCorrelated(CROSS_PLATFORM_FIXTURES);
  await runGovernanceChecks({ ctx: system() });
  await runRiskRules({ ctx: system() });
  // A batch with a quarantined record: one good Okta line and one that is not JSON.
  const good = fs.readFileSync(fixturePath("okta", "okta-system-log.ndjson"), "utf8").split("\n")[0];
  const brokenFile = () =>
    ingestStream({
      input: Readable.from([Buffer.from(`${good}\n{"not": json\n`)]),
      fileName: "broken.ndjson",
      platform: "okta",
      via: "cli",
      ctx: system(),
    });
  const broken = await brokenFile();
  expect(broken.quarantined).toBe(1);
  ids.brokenBatch = broken.batchId;
  // The same file again: both its records are duplicates (of the stored record, of the quarantined one).
  const again = await brokenFile();
  expect(again).toMatchObject({ stored: 0, quarantined: 0, duplicate: 2 });
  ids.duplicateBatch = again.batchId;
  ids.admin = (await seedUser("admin", "admin@routes.test", "Route Admin")).id;
  ids.complianceUser = (await seedUser("compliance", "compliance@routes.test", "Route Compliance")).id;
  await signIn(ids.admin);
  ids.session = await first(`SELECT id FROM session WHERE "identityId" IS NOT NULL ORDER BY "eventCount" DESC, id LIMIT 1`);
  ids.identity = await first(`SELECT "identityId" AS id FROM session WHERE id = $1`, [ids.session]);
  ids.credential = await first(`SELECT id FROM credential ORDER BY id LIMIT 1`);
  ids.finding = await first(`SELECT id FROM finding ORDER BY id LIMIT 1`);
  ids.source = await first(`SELECT id FROM source WHERE platform = 'okta' ORDER BY id LIMIT 1`);
});

afterAll(() => {
  auth.session = null;
});

describe("every route answers what its contract declares", () => {
  it("changes: users, tokens, ingest, correlation", async () => {
    const user = await answer<{ id: string }>("POST /api/v1/users", "/api/v1/users", {
      body: { email: "new.analyst@routes.test", role: "analyst", password: "a long enough password" },
    });
    await answer("PATCH /api/v1/users/[id]", `/api/v1/users/${user.id}`, { params: { id: user.id }, body: { name: "New Analyst" } });

    const created = await answer<{ token: string; apiToken: { id: string } }>("POST /api/v1/tokens", "/api/v1/tokens", {
      body: { name: "okta stream", platform: "okta" },
    });
    await answer("POST /api/v1/ingest/[platform]", "/api/v1/ingest/okta", {
      params: { platform: "okta" },
      raw: fs.readFileSync(fixturePath("okta", "okta-system-log.ndjson")),
      headers: { authorization: `Bearer ${created.token}`, "x-file-name": "pushed.ndjson" },
    });
    await answer("DELETE /api/v1/tokens/[id]", `/api/v1/tokens/${created.apiToken.id}`, { params: { id: created.apiToken.id } });

    const grantMapping = JSON.parse(fs.readFileSync(fixturePath("pam-grants", "acme-pam-grant-mapping.json"), "utf8"));
    await answer("POST /api/v1/grant-mappings", "/api/v1/grant-mappings", { body: grantMapping });
    const preview = await answer<{ records: { ok: boolean }[] }>("POST /api/v1/grant-mappings/preview", "/api/v1/grant-mappings/preview", {
      body: { mapping: grantMapping, sample: fs.readFileSync(fixturePath("pam-grants", "acme-pam-grants.csv"), "utf8") },
    });
    expect(preview.records.map((r) => r.ok)).toEqual([true, true, false, false, false]);
    // An export of a tool without a reader, uploaded with the saved mapping: read, not refused whole.
    const mapped = await answer<{ stored: number; quarantined: number }>("POST /api/v1/ingest/upload", "/api/v1/ingest/upload", {
      raw: fs.readFileSync(fixturePath("pam-grants", "acme-pam-grants.csv")),
      headers: { "x-file-name": "acme-export.csv", "x-grant-mapping": "acme-pam" },
    });
    expect(mapped).toMatchObject({ stored: 3, quarantined: 3 });

    await answer("POST /api/v1/ingest/upload", "/api/v1/ingest/upload", {
      raw: fs.readFileSync(fixturePath("github", "rest-audit-log-page.json")),
      headers: { "x-file-name": "github%20page.json", "x-platform": "github" },
    });
    await answer("POST /api/v1/ingest/quarantine/reprocess", "/api/v1/ingest/quarantine/reprocess", {
      body: { batchId: ids.brokenBatch },
    });
    // Waits for the background runs the pushes asked for, then runs a full pass and answers its summary.
    await answer("POST /api/v1/correlation", "/api/v1/correlation?mode=full", { body: {} });
  });

  it("changes: cases, findings, coverage, retention and holds", async () => {
    const c = await answer<{ id: string }>("POST /api/v1/cases", "/api/v1/cases", {
      body: { title: "Route contract check", severity: "high", tags: ["contracts"] },
    });
    ids.case = c.id;
    const p = { id: c.id };
    await answer("PATCH /api/v1/cases/[id]", `/api/v1/cases/${c.id}`, { params: p, body: { status: "investigating" } });
    const item = await answer<{ id: string }>("POST /api/v1/cases/[id]/items", `/api/v1/cases/${c.id}/items`, {
      params: p,
      body: { itemType: "session", refId: ids.session, annotation: "the session" },
    });
    ids.item = item.id;
    await answer("POST /api/v1/cases/[id]/items", `/api/v1/cases/${c.id}/items`, {
      params: p,
      body: { itemType: "finding", refId: ids.finding },
    });
    await answer("PATCH /api/v1/cases/[id]/items/[itemId]", `/api/v1/cases/${c.id}/items/${item.id}`, {
      params: { ...p, itemId: item.id },
      body: { annotation: "the session, annotated" },
    });
    const note = await answer<{ id: string }>("POST /api/v1/cases/[id]/notes", `/api/v1/cases/${c.id}/notes`, {
      params: p,
      body: { body: "First **note**" },
    });
    await answer("PATCH /api/v1/cases/[id]/notes/[noteId]", `/api/v1/cases/${c.id}/notes/${note.id}`, {
      params: { ...p, noteId: note.id },
      body: { body: "First note, reworded" },
    });
    const task = await answer<{ id: string }>("POST /api/v1/cases/[id]/tasks", `/api/v1/cases/${c.id}/tasks`, {
      params: p,
      body: { title: "Ask the owner", dueAt: "2026-12-01" },
    });
    await answer("PATCH /api/v1/cases/[id]/tasks/[taskId]", `/api/v1/cases/${c.id}/tasks/${task.id}`, {
      params: { ...p, taskId: task.id },
      body: { done: true },
    });

    const f = { id: ids.finding };
    const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await answer("POST /api/v1/findings/[id]/dismiss", `/api/v1/findings/${f.id}/dismiss`, {
      params: f,
      body: { type: "risk_accepted", reason: "Known maintenance job", expiresAt },
    });
    // A risk acceptance is approved by someone else than who accepted it.
    await as(ids.complianceUser, () =>
      answer("POST /api/v1/findings/[id]/approve", `/api/v1/findings/${f.id}/approve`, {
        params: f,
        body: { reason: "Compensating control reviewed" },
      }),
    );
    await answer("POST /api/v1/findings/[id]/reopen", `/api/v1/findings/${f.id}/reopen`, {
      params: f,
      body: { reason: "Not approved after all" },
    });

    const control = { framework: "nist-csf-2.0", control: "PR.AA-05" };
    await answer("PUT /api/v1/compliance/[framework]/[control]/scope", "/api/v1/compliance/nist-csf-2.0/PR.AA-05/scope", {
      params: control,
      body: { reason: "No privileged administration happens in this tenant" },
    });
    await answer("DELETE /api/v1/compliance/[framework]/[control]/scope", "/api/v1/compliance/nist-csf-2.0/PR.AA-05/scope", {
      params: control,
      body: { reason: "Privileged administration started in Q4" },
    });
    await answer("PUT /api/v1/compliance/settings", "/api/v1/compliance/settings", { body: { privilegedApprovedPct: 96 } });

    await answer("PUT /api/v1/coverage/settings", "/api/v1/coverage/settings", { body: { requiredRetentionDays: 400 } });
    await answer("PUT /api/v1/governance/settings", "/api/v1/governance/settings", {
      body: { clockSkewSeconds: 300, jitRequired: { okta: false } },
    });
    await answer("PUT /api/v1/retention/policies/[sourceId]", `/api/v1/retention/policies/${ids.source}`, {
      params: { sourceId: ids.source },
      body: { days: 3650 },
    });
    const hold = await answer<{ id: string }>("POST /api/v1/holds", "/api/v1/holds", {
      body: { sourceId: ids.source, rangeStart: "2025-01-01T00:00:00Z", rangeEnd: null, reason: "Regulator request R-7" },
    });
    const caseHold = await answer<{ id: string }>("POST /api/v1/holds", "/api/v1/holds", {
      body: { caseId: c.id, reason: "Litigation: matter 42" },
    });
    ids.caseHold = caseHold.id;
    await answer("POST /api/v1/holds/[id]/release", `/api/v1/holds/${hold.id}/release`, {
      params: { id: hold.id },
      body: { reason: "Request withdrawn" },
    });

    const job = await answer<{ jobId: string }>("POST /api/v1/retention/purge", "/api/v1/retention/purge");
    ids.job = job.jobId;
    // The purge runs in the background: wait for it to finish, reading it as the Retention page polls it.
    for (let i = 0; i < 600; i++) {
      const j = await answer<{ status: string }>("GET /api/v1/retention/jobs/[id]", `/api/v1/retention/jobs/${job.jobId}`, {
        params: { id: job.jobId },
      });
      if (j.status !== "queued" && j.status !== "running") {
        expect(j.status).toBe("succeeded");
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  it("reads: every list and every detail", async () => {
    const s = { id: ids.session };
    await answer("GET /api/v1/health", "/api/v1/health");
    await answer("GET /api/v1/me", "/api/v1/me");
    await answer("GET /api/v1/openapi.json", "/api/v1/openapi.json");
    await answer("GET /api/v1/users", "/api/v1/users");
    await answer("GET /api/v1/tokens", "/api/v1/tokens");
    await answer("GET /api/v1/grant-mappings", "/api/v1/grant-mappings");
    await answer("GET /api/v1/ledger/public-key", "/api/v1/ledger/public-key");
    const firstCheckpoint = await pool().query<{ n: string }>(`SELECT "treeSize"::text AS n FROM ledger_checkpoint ORDER BY seq LIMIT 1`);
    await answer("GET /api/v1/ledger/consistency", `/api/v1/ledger/consistency?from=${firstCheckpoint.rows[0].n}`);
    await answer("GET /api/v1/ingest/platforms", "/api/v1/ingest/platforms");
    await answer("GET /api/v1/ingest/batches", "/api/v1/ingest/batches");
    const dups = await answer<{ items: unknown[] }>(
      "GET /api/v1/ingest/batches/[id]/duplicates",
      `/api/v1/ingest/batches/${ids.duplicateBatch}/duplicates?sort=time`,
      { params: { id: ids.duplicateBatch } },
    );
    expect(dups.items).toHaveLength(2);
    const q = await answer<{ items: unknown[] }>("GET /api/v1/ingest/quarantine", `/api/v1/ingest/quarantine?includeResolved=true`);
    expect(q.items.length).toBeGreaterThan(0);
    const sessions = await answer<{ items: unknown[] }>("GET /api/v1/sessions", "/api/v1/sessions?sort=events");
    expect(sessions.items.length).toBeGreaterThan(0);
    const detail = await answer<{ events: { id: string }[] }>("GET /api/v1/sessions/[id]", `/api/v1/sessions/${s.id}`, { params: s });
    ids.event = detail.events[0].id;
    await answer("GET /api/v1/identities", "/api/v1/identities");
    await answer("GET /api/v1/identities/[id]", `/api/v1/identities/${ids.identity}`, { params: { id: ids.identity } });
    await answer("GET /api/v1/lineage", `/api/v1/lineage?identityId=${ids.identity}`);
    await answer("GET /api/v1/lineage", `/api/v1/lineage?credentialId=${ids.credential}&depth=3`);
    await answer("GET /api/v1/lineage/roots", "/api/v1/lineage/roots?q=a");
    const checks = await answer<{ items: unknown[] }>("GET /api/v1/governance/checks", "/api/v1/governance/checks");
    expect(checks.items.length).toBeGreaterThan(0);
    const findings = await answer<{ items: unknown[] }>("GET /api/v1/findings", "/api/v1/findings");
    expect(findings.items.length).toBeGreaterThan(0);
    await answer("GET /api/v1/findings/[id]", `/api/v1/findings/${ids.finding}`, { params: { id: ids.finding } });
    for (const framework of ["nist-csf-2.0", "owasp-nhi-2025", "nist-ai-rmf-1.0", "soc2-tsc-2017", "iso-27001-2022"]) {
      await answer("GET /api/v1/compliance/[framework]", `/api/v1/compliance/${framework}`, { params: { framework } });
    }
    await answer("GET /api/v1/compliance/[framework]", "/api/v1/compliance/nist-csf-2.0?from=2025-01-01&to=2025-03-31", {
      params: { framework: "nist-csf-2.0" },
    });
    await answer("GET /api/v1/compliance/settings", "/api/v1/compliance/settings");
    await answer("GET /api/v1/compliance/legacy-csf", "/api/v1/compliance/legacy-csf?id=PR.AC-1");
    await answer("GET /api/v1/compliance/legacy-csf", "/api/v1/compliance/legacy-csf?id=ZZ.ZZ-9");
    await answer("GET /api/v1/coverage", "/api/v1/coverage");
    await answer("GET /api/v1/cases", "/api/v1/cases");
    await answer("GET /api/v1/cases/[id]", `/api/v1/cases/${ids.case}`, { params: { id: ids.case } });
    await answer("GET /api/v1/cases/[id]/timeline", `/api/v1/cases/${ids.case}/timeline`, { params: { id: ids.case } });
    await answer("GET /api/v1/retention", "/api/v1/retention");
    await answer("GET /api/v1/retention/jobs/[id]", `/api/v1/retention/jobs/${ids.job}`, { params: { id: ids.job } });
    await answer("GET /api/v1/holds", "/api/v1/holds");
    await answer("GET /api/v1/holds", `/api/v1/holds?caseId=${ids.case}`);
    await answer("GET /api/v1/audit", "/api/v1/audit?limit=500");
  });

  // The evidence package and the case report print a PDF with Chromium: more than the default 30 s on a loaded machine.
  it("files: exports and reports carry their declared types", async () => {
    expect(await file("GET /api/v1/audit/export", "/api/v1/audit/export?format=csv")).toBe("text/csv");
    expect(await file("GET /api/v1/audit/export", "/api/v1/audit/export?format=ndjson")).toBe("application/x-ndjson");
    const framework = { framework: "nist-csf-2.0" };
    expect(await file("GET /api/v1/compliance/[framework]/report", "/api/v1/compliance/nist-csf-2.0/report", { params: framework })).toBe(
      "text/csv",
    );
    expect(
      await file("GET /api/v1/compliance/[framework]/report", "/api/v1/compliance/nist-csf-2.0/report?format=html", { params: framework }),
    ).toBe("text/html");
    expect(
      await file(
        "GET /api/v1/compliance/[framework]/report",
        "/api/v1/compliance/nist-csf-2.0/report?format=html&from=2025-01-01&to=2025-03-31",
        {
          params: framework,
        },
      ),
    ).toBe("text/html");
    expect(await file("GET /api/v1/governance/checks/export", "/api/v1/governance/checks/export?status=problem")).toBe("text/csv");
    await file(
      "GET /api/v1/ingest/quarantine/download",
      `/api/v1/ingest/quarantine/download?batchId=${ids.brokenBatch}&includeResolved=true`,
    );
    await file("GET /api/v1/ledger/public-key", "/api/v1/ledger/public-key?format=pem");
    await file("GET /api/v1/events/[id]/raw", `/api/v1/events/${ids.event}/raw`, { params: { id: ids.event } });
    await file("GET /api/v1/cases/[id]/export", `/api/v1/cases/${ids.case}/export`, { params: { id: ids.case } });
    const report = `/api/v1/cases/${ids.case}/report`;
    expect(await file("GET /api/v1/cases/[id]/report", `${report}?format=html`, { params: { id: ids.case } })).toBe("text/html");
    // The PDF needs Chromium (CI installs it); without it the route answers 503 with the reason, checked in lib/export/report.
    if (fs.existsSync(DEFAULT_CHROMIUM))
      expect(await file("GET /api/v1/cases/[id]/report", `${report}?format=pdf`, { params: { id: ids.case } })).toBe("application/pdf");
  }, 120_000);

  it("last: removals", async () => {
    // A held case's evidence stays in it: the hold is released first.
    await answer("POST /api/v1/holds/[id]/release", `/api/v1/holds/${ids.caseHold}/release`, {
      params: { id: ids.caseHold },
      body: { reason: "Matter 42 settled" },
    });
    await answer("DELETE /api/v1/cases/[id]/items/[itemId]", `/api/v1/cases/${ids.case}/items/${ids.item}`, {
      params: { id: ids.case, itemId: ids.item },
    });
  });

  it("covered every route of the registry", () => {
    expect(Object.keys(CONTRACTS).filter((k) => !answered.has(k as ApiKey))).toEqual([]);
  });
});
