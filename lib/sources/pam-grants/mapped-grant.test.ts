import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { grantMappingDefinition, type GrantMappingInput } from "./grant-mapping.types";
import { fixturePath, readFileItems } from "../testing/samples";
import { NormalizeError } from "../types";
import { mappedGrantSource, normalizeMappedGrant, valueAtPath } from "./mapped-grant";

const CSV = fixturePath("pam-grants", "acme-pam-grants.csv");
const NESTED = fixturePath("pam-grants", "acme-pam-grants-nested.json");
const MAPPING = grantMappingDefinition.parse(JSON.parse(fs.readFileSync(fixturePath("pam-grants", "acme-pam-grant-mapping.json"), "utf8")));

/** Every record of a file through the real reader and a mapped source: events, or the refusal reason, per position. */
async function run(file: string, input: GrantMappingInput) {
  const source = mappedGrantSource(grantMappingDefinition.parse(input));
  const out: { events?: ReturnType<typeof source.normalize>; reason?: string }[] = [];
  for (const it of await readFileItems(file)) {
    if ("error" in it) throw new Error(it.error);
    const value = "value" in it && it.value !== undefined ? it.value : JSON.parse(it.bytes.toString("utf8"));
    try {
      out.push({ events: source.normalize(value, { fileName: path.basename(file), position: it.position }) });
    } catch (err) {
      if (!(err instanceof NormalizeError)) throw err;
      out.push({ reason: err.message });
    }
  }
  return out;
}

describe("grant mapping: a tool's own export read through declared fields", () => {
  it("CSV: grants become the same JIT events as the grant format; each unreadable record says which field and why", async () => {
    const [granted, revoked, badStart, noPrincipal, unknownStatus, pending] = await run(CSV, MAPPING);
    expect(granted.events![0]).toMatchObject({
      platform: "pam-grants",
      activity: "assign_privileges",
      privileged: true,
      time: new Date("2025-03-04T13:05:00Z"),
      actor: { name: "maria.lopez@example.com", kind_hint: "human" },
      credential: { key: "REQ-9001", key_type: "pam-grants.mapping:acme-pam", kind: "jit_grant" },
      native_id: "acme-pam:REQ-9001",
      correlation_id: "CHG0030017",
      jit: {
        provider: "mapping:acme-pam",
        stage: "completed",
        role_name: "db-admin",
        principal_name: "maria.lopez@example.com",
        target_platform: "postgres:prod-eu",
        start_time: "2025-03-04T13:05:00.000Z",
        end_time: "2025-03-04T15:05:00.000Z",
        approved_by: "dmitri.ivanov@example.com",
        ticket: "CHG0030017",
        request_id: "REQ-9001",
      },
      resources: [
        { type: "pam.privilege", name: "db-admin" },
        { type: "pam.platform", name: "postgres:prod-eu" },
      ],
    });
    expect(revoked.events![0]).toMatchObject({
      activity: "revoke_privileges",
      actor: { name: "ci-deployer", kind_hint: "unknown" },
      jit: {
        stage: "removed",
        start_time: "2025-03-04T13:00:00.000Z",
        end_time: "2025-03-04T13:30:00.000Z",
        revoked_time: "2025-03-04T13:10:42.000Z", // epoch seconds
      },
    });
    expect(badStart.reason).toBe(
      'grant mapping "acme-pam": start (field "Approved At") is not a readable time: "soon" (the mapping reads ISO 8601, epoch seconds or milliseconds, or M/D/YYYY h:mm:ss AM)',
    );
    expect(noPrincipal.reason).toBe('grant mapping "acme-pam": principal (field "Requester") is missing or empty');
    expect(unknownStatus.reason).toMatch(/^grant mapping "acme-pam": status "Escalated" \(field "State"\) has no meaning declared: add it/);
    expect(pending.events![0]).toMatchObject({ activity: "other", jit: { stage: "requested" } });
  });

  it("nested JSON by dotted paths, epoch milliseconds, a constant platform; end before start is refused", async () => {
    const [ok, backwards] = await run(NESTED, {
      name: "nested-tool",
      fields: {
        principal: "request.user.email",
        role: "request.role",
        start: "window.from",
        end: "window.to",
        approver: "review.by",
        ticket: "review.ticket",
      },
      platform: "aws:999999999999",
      timeFormat: "epoch_millis",
    });
    expect(ok.events![0].jit).toMatchObject({
      principal_name: "maria.lopez@example.com",
      role_name: "AdministratorAccess",
      start_time: "2025-03-04T13:05:00.000Z",
      end_time: "2025-03-04T15:05:00.000Z",
      target_platform: "aws:999999999999",
      approved_by: "dmitri.ivanov@example.com",
      // no id field: keyed by principal, role and start
      request_id: "maria.lopez@example.com|AdministratorAccess|2025-03-04T13:05:00.000Z",
    });
    expect(backwards.reason).toMatch(
      /^grant mapping "nested-tool": end \(2025-03-04T12:06:40.000Z, field "window.to"\) is before start \(2025-03-04T14:53:20.000Z\)/,
    );
  });

  it("a strict time format refuses the other forms; a CSV column with a dot is read by its exact name", () => {
    const m = grantMappingDefinition.parse({ name: "t", fields: { principal: "u", role: "r", start: "s.at" }, timeFormat: "iso" });
    expect(() => normalizeMappedGrant(m, { u: "a@x.com", r: "admin", "s.at": "3/4/2025 1:05:00 PM" })).toThrow(
      /start \(field "s.at"\) is not a readable time: "3\/4\/2025 1:05:00 PM" \(the mapping reads ISO 8601\)/,
    );
    expect(normalizeMappedGrant(m, { u: "a@x.com", r: "admin", "s.at": "2025-03-04T13:05:00Z" })[0].time).toEqual(
      new Date("2025-03-04T13:05:00Z"),
    );
    expect(valueAtPath({ a: { b: 1 } }, "a.b")).toBe(1);
    expect(valueAtPath({ "a.b": 2, a: { b: 1 } }, "a.b")).toBe(2);
  });

  it("a revoked grant needs to say when: the revoked field, else its end; without either it is refused", () => {
    const m = grantMappingDefinition.parse({ name: "r", fields: { principal: "u", role: "r", start: "s", end: "e", status: "st" } });
    const base = { u: "a@x.com", r: "admin", s: "2025-03-04T13:00:00Z" };
    expect(normalizeMappedGrant(m, { ...base, e: "2025-03-04T13:20:00Z", st: "revoked" })[0].jit).toMatchObject({
      stage: "removed",
      revoked_time: "2025-03-04T13:20:00.000Z",
    });
    expect(() => normalizeMappedGrant(m, { ...base, e: "", st: "Revoked" })).toThrow(
      'grant mapping "r": the grant was revoked but the record says when neither in a revoked field nor in end (field "e" is empty): map the revocation time (fields.revoked)',
    );
  });

  it("a mapping missing a required part, or with an unknown key, is refused with what to fix", () => {
    const r = grantMappingDefinition.safeParse({ name: "x", fields: { principal: "u", role: "", begin: "s" } });
    expect(r.success).toBe(false);
    const msgs = r.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(msgs).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^fields.role: Name the field/),
        expect.stringMatching(/^fields.start: /),
        expect.stringMatching(/^fields: Unrecognized key: "begin"/),
      ]),
    );
  });
});
