import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { toEventRow, type NormalizedEvent } from "@/lib/events/schema";
import { probeFile } from "../read";
import { detectPlatform } from "../registry";
import { assertRobust, describeSamples, eventAt, fixturePath, printResult, readFileItems, runFile, samplePath } from "../testing/samples";
import { NormalizeError } from "../types";
import { pamGrants } from "./index";

const JSON_FILE = fixturePath("pam-grants", "sessionproof-grants-2025-03-04.json");
const NDJSON_FILE = fixturePath("pam-grants", "sessionproof-grants.ndjson");
const CSV_FILE = fixturePath("pam-grants", "sessionproof-grants-2025-03.csv");
const ctx = { fileName: "grants.json", position: 0 };

/** CSV through the real reader: each row arrives as {header: value} (item.value); normalized like the pipeline does. */
async function runCsv(file: string): Promise<{ events: Map<number, NormalizedEvent>; rejected: Map<number, string> }> {
  const events = new Map<number, NormalizedEvent>();
  const rejected = new Map<number, string>();
  for (const it of await readFileItems(file)) {
    if ("error" in it) throw new Error(`${path.basename(file)}#${it.position}: ${it.error}`);
    expect("value" in it, "the reader parses CSV rows").toBe(true);
    try {
      events.set(
        it.position,
        pamGrants.normalize((it as { value: unknown }).value, { fileName: path.basename(file), position: it.position })[0],
      );
    } catch (err) {
      if (!(err instanceof NormalizeError)) throw err;
      rejected.set(it.position, err.message);
    }
  }
  return { events, rejected };
}

describe("pam-grants source: the documented grant format (JSON, NDJSON, CSV)", () => {
  it("JSON array: grants become JIT events; invalid grants are rejected with a reason", async () => {
    const r = await runFile(pamGrants, JSON_FILE);
    printResult(r);
    expect(r.total).toBe(4);
    expect(r.events.length).toBe(2);
    expect([...r.rejected.keys()]).toEqual([
      "not a valid grant: expires_at (2025-03-04T15:00:00.000Z) is before granted_at (2025-03-04T16:00:00.000Z)",
      "not a valid grant: grant_id is missing",
    ]);

    const admin = eventAt(r, 0);
    expect(admin).toMatchObject({
      platform: "pam-grants",
      class_uid: 3005,
      activity: "assign_privileges",
      time: new Date("2025-03-04T13:05:00Z"),
      privileged: true,
      session: null,
      actor: { name: "maria.lopez@example.com", email: "maria.lopez@example.com", type: "human", kind_hint: "human" },
      credential: { key: "gr-7f3a9c2e-0001", key_type: "pam-grants.grant_id", kind: "jit_grant" },
      resources: [
        { type: "pam.privilege", id: null, name: "AdministratorAccess" },
        { type: "pam.platform", id: null, name: "aws:111122223333" },
      ],
      native_id: "gr-7f3a9c2e-0001",
      correlation_id: "CHG0030017",
      approval: null,
    });
    expect(admin.jit).toEqual({
      provider: "sessionproof.grant",
      stage: "completed",
      assignment: null,
      role_id: null,
      role_name: "AdministratorAccess",
      principal_id: null,
      principal_name: "maria.lopez@example.com",
      justification: "Rotate the payments KMS key (CHG0030017)",
      ticket: "CHG0030017",
      start_time: "2025-03-04T13:05:00.000Z",
      end_time: "2025-03-04T15:05:00.000Z",
      request_id: "gr-7f3a9c2e-0001",
      target_platform: "aws:111122223333",
      approved_by: "dmitri.ivanov@example.com",
      revoked_time: null,
    });
    expect(admin.extra).toEqual({ requested_at: "2025-03-04T13:02:11.000Z", principal_type: "human" });

    // Revoked early: stage removed, times normalized to UTC.
    const revoked = eventAt(r, 1);
    expect(revoked).toMatchObject({ actor: { kind_hint: "service_account", email: null }, time: new Date("2025-03-04T13:00:00Z") });
    expect(revoked.jit).toMatchObject({
      stage: "removed",
      end_time: "2025-03-04T13:30:00.000Z",
      revoked_time: "2025-03-04T13:10:42.000Z",
      ticket: "SEC-142",
    });
    expect(toEventRow(revoked)).toMatchObject({
      credentialKey: "gr-7f3a9c2e-0002",
      targetType: "pam.privilege",
      targetName: "Owner",
      privileged: true,
    });
  });

  it("NDJSON gives the same events as the JSON array", async () => {
    const nd = await runFile(pamGrants, NDJSON_FILE);
    const js = await runFile(pamGrants, JSON_FILE);
    expect(nd.events.map((e) => e.events)).toEqual(js.events.map((e) => e.events));
  });

  it("CSV through the reader: the same events as JSON; empty cells are absent values", async () => {
    const { events, rejected } = await runCsv(CSV_FILE);
    console.log(`${path.basename(CSV_FILE)}: ${events.size} normalized, ${rejected.size} rejected: ${[...rejected.values()].join("; ")}`);
    const js = await runFile(pamGrants, JSON_FILE);
    expect(events.get(0)).toEqual(eventAt(js, 0));
    expect(events.get(1)).toEqual(eventAt(js, 1));
    // A standing grant (no expires_at), time without a zone read as UTC, workload principal.
    expect(events.get(2)).toMatchObject({
      time: new Date("2025-03-05T09:00:00Z"),
      actor: { kind_hint: "workload", login: "svc-etl@example.com" },
      jit: {
        end_time: null,
        approved_by: null,
        ticket: "INC0012345",
        justification: "Standing break-glass, no expiry",
        stage: "completed",
      },
    });
    expect(rejected.get(3)).toBe('not a valid grant: expires_at is not a readable time ("soon")');
  });

  it("rejects what is not a grant, with a reason", () => {
    expect(() => pamGrants.normalize({ foo: 1 }, ctx)).toThrow(
      "not a Sessionproof grant: grant_id, principal, privilege and granted_at are missing",
    );
    expect(() => pamGrants.normalize({ grant_id: "g1", principal: "a", privilege: "p" }, ctx)).toThrow(
      "not a valid grant: granted_at is missing",
    );
    expect(() =>
      pamGrants.normalize({ grant_id: "g1", principal: "unknown", privilege: "", granted_at: "2025-01-01T00:00:00Z" }, ctx),
    ).toThrow("not a valid grant: principal, privilege are missing");
    expect(() =>
      pamGrants.normalize(
        { grant_id: "g1", principal: "a", privilege: "p", granted_at: "2025-01-01T10:00:00Z", revoked_at: "2025-01-01T09:00:00Z" },
        ctx,
      ),
    ).toThrow(/revoked_at .* is before granted_at/);
    expect(() => pamGrants.normalize([1, 2], ctx)).toThrow(NormalizeError);
  });

  it("detection: its own files (JSON, NDJSON, CSV), renamed too; nothing else", () => {
    for (const file of [JSON_FILE, NDJSON_FILE, CSV_FILE]) {
      const p = probeFile(fs.readFileSync(file), path.basename(file));
      expect(detectPlatform(p)?.platform, file).toBe("pam-grants");
      const renamed = probeFile(fs.readFileSync(file), file.endsWith(".csv") ? "upload.csv" : "upload.bin");
      expect(detectPlatform(renamed)?.platform, `${file} renamed`).toBe("pam-grants");
    }
    // A CSV with only some of the columns (no grant_id) is not a grant file.
    expect(pamGrants.detect(probeFile(Buffer.from("principal,privilege,granted_at\na,b,2025-01-01\n"), "access.csv"))).toBe(0);
  });

  it("never crashes on damaged records (fast-check; npm run fuzz runs more)", async () => {
    const records = [...(JSON.parse(fs.readFileSync(JSON_FILE, "utf8")) as unknown[])];
    for (const it of await readFileItems(CSV_FILE)) if ("value" in it) records.push(it.value);
    const { normalized, rejected } = assertRobust(pamGrants, records);
    console.log(`pam-grants robustness: ${normalized} normalized, ${rejected} rejected`);
    expect(normalized).toBeGreaterThan(0);
  });
});

describeSamples("pam-grants source: public samples", () => {
  it("there is no public sample of this format: ticketing (Zendesk) and Atlassian records are rejected with a reason", async () => {
    for (const name of ["ticketing/panther_rule_tests_ticketing.jsonl", "atlassian_jira/panther_rule_tests_atlassian_jira.jsonl"]) {
      const file = samplePath(name);
      if (!fs.existsSync(file)) continue;
      const r = await runFile(pamGrants, file);
      printResult(r);
      expect(r.events.length, name).toBe(0);
      for (const reason of r.rejected.keys()) expect(reason).toMatch(/^not a Sessionproof grant/);
      expect(detectPlatform(probeFile(fs.readFileSync(file), path.basename(file)))?.platform ?? null).not.toBe("pam-grants");
    }
  });
});
