import fs from "node:fs";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { system } from "@/lib/context/request-context";
import { db } from "@/lib/db";
import { commands } from "@/lib/cli/registry";
import { runCli } from "@/lib/cli/run-cli";
import { grantMappingDefinition } from "@/lib/sources/pam-grants/grant-mapping.types";
import { fixturePath } from "@/lib/sources/testing/samples";
import { expectAppError, expectBatchCounts, expectCounts, seedUser } from "@/test/factories";
import { getGrantMapping, listGrantMappings, previewGrantMapping, readGrantMappingFile, saveGrantMapping } from "./grant-mappings";
import { ingestStream } from "./ingest-stream";

const MAPPING_FILE = fixturePath("pam-grants", "acme-pam-grant-mapping.json");
const EXPORT_FILE = fixturePath("pam-grants", "acme-pam-grants.csv");
const mapping = () => readGrantMappingFile(MAPPING_FILE);

describe("grant mappings", () => {
  it("are saved (replaced by name), listed, audited, and read back validated", async () => {
    const admin = await seedUser("admin");
    const first = await saveGrantMapping({ ctx: admin.ctx, input: mapping() });
    expect(first).toMatchObject({ name: "acme-pam", createdBy: admin.email, definition: { fields: { principal: "Requester" } } });
    const changed = grantMappingDefinition.parse({ ...mapping(), fields: { ...mapping().fields, approver: "Approver" } });
    const second = await saveGrantMapping({ ctx: admin.ctx, input: changed });
    expect(second.id).toBe(first.id);
    expect((await listGrantMappings()).filter((m) => m.name === "acme-pam")).toHaveLength(1);
    expect((await getGrantMapping("acme-pam")).fields.approver).toBe("Approver");
    const audits = await db().auditLog.findMany({ where: { resourceType: "grant_mapping", resourceId: first.id }, orderBy: { at: "asc" } });
    expect(audits.map((a) => (a.details as { replaced: boolean }).replaced)).toEqual([false, true]);
    await expectAppError(
      getGrantMapping("no-such-tool"),
      "NOT_FOUND",
      /No grant mapping named "no-such-tool"\. Saved mappings: .*acme-pam/,
    );
  });

  it("preview: the first 5 records mapped, or the exact reason per record; nothing stored", async () => {
    const before = await db().ingestBatch.count();
    const p = await previewGrantMapping({
      input: { mapping: mapping(), sample: fs.readFileSync(EXPORT_FILE, "utf8"), fileName: "acme-pam-grants.csv" },
    });
    expect(p.read).toBe(6);
    expect(p.records).toHaveLength(5);
    expect(p.fieldsSeen).toEqual(expect.arrayContaining(["Request ID", "Requester", "Role Granted", "State"]));
    expect(p.records[0]).toMatchObject({
      ok: true,
      grant: {
        id: "REQ-9001",
        principal: "maria.lopez@example.com",
        role: "db-admin",
        start: "2025-03-04T13:05:00.000Z",
        stage: "completed",
      },
    });
    expect(p.records.map((r) => r.reason)).toEqual([
      null,
      null,
      'grant mapping "acme-pam": start (field "Approved At") is not a readable time: "soon" (the mapping reads ISO 8601, epoch seconds or milliseconds, or M/D/YYYY h:mm:ss AM)',
      'grant mapping "acme-pam": principal (field "Requester") is missing or empty',
      expect.stringMatching(/^grant mapping "acme-pam": status "Escalated" \(field "State"\) has no meaning declared/),
    ]);
    expect(await db().ingestBatch.count()).toBe(before);
    await expectAppError(previewGrantMapping({ input: { mapping: mapping(), sample: "  \n" } }), "VALIDATION", /holds no record/);
  });

  it("ingest with a mapping: grants stored and projected, unreadable records quarantined with their reason, counts honest", async () => {
    const r = await ingestStream({
      input: Readable.from([fs.readFileSync(EXPORT_FILE)]),
      fileName: "acme-export.csv",
      via: "cli",
      ctx: system(),
      grantMapping: mapping(),
    });
    expectCounts(r);
    expect(r).toMatchObject({ platform: "pam-grants", status: "completed", read: 6, stored: 3, quarantined: 3 });
    const q = await db().quarantinedRecord.findMany({ where: { batchId: r.batchId }, orderBy: { position: "asc" } });
    expect(q.map((x) => [Number(x.position), x.reason])).toEqual([
      [2, expect.stringMatching(/^grant mapping "acme-pam": start \(field "Approved At"\) is not a readable time: "soon"/)],
      [3, 'grant mapping "acme-pam": principal (field "Requester") is missing or empty'],
      [4, expect.stringMatching(/^grant mapping "acme-pam": status "Escalated" \(field "State"\) has no meaning declared/)],
    ]);
    expectBatchCounts(await db().ingestBatch.findUniqueOrThrow({ where: { id: r.batchId } }));
    const grants = await db().accessGrant.findMany({ where: { system: "mapping:acme-pam" }, orderBy: { externalId: "asc" } });
    expect(grants.map((g) => [g.externalId, g.principal, g.privilege, g.platform, g.revokedAt?.toISOString() ?? null])).toEqual([
      ["REQ-9001", "maria.lopez@example.com", "db-admin", "postgres:prod-eu", null],
      ["REQ-9002", "ci-deployer", "deploy", "github:acme-corp", "2025-03-04T13:10:42.000Z"],
    ]);
    const audit = await db().auditLog.findFirstOrThrow({ where: { resourceType: "ingest_batch", resourceId: r.batchId } });
    expect(audit.details).toMatchObject({ grantMapping: "acme-pam", stored: 3, quarantined: 3 });

    // Without the mapping, the same export is not recognised at all: the whole file was refused before.
    await expectAppError(
      ingestStream({ input: Readable.from([fs.readFileSync(EXPORT_FILE)]), fileName: "acme-export-2.csv", via: "cli", ctx: system() }),
      "VALIDATION",
      /Could not recognise the format/,
    );
  });

  it("CLI: --grant-mapping takes a file or a saved name; a bad mapping file names each problem", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
    const file = `${fs.mkdtempSync("/tmp/grant-mapping-")}/tool-export.csv`;
    fs.writeFileSync(file, fs.readFileSync(EXPORT_FILE, "utf8").replace(/REQ-9/g, "CLI-9"));
    expect(await runCli({ argv: ["ingest", "--no-correlate", "--grant-mapping", MAPPING_FILE, file], commands, io }), err.join("\n")).toBe(
      0,
    );
    expect(out.join("\n")).toMatch(/! .*tool-export\.csv \[pam-grants\] read 6, stored 3, duplicate 0, quarantined 3/);

    // A saved mapping, by its name.
    await saveGrantMapping({ ctx: (await seedUser("admin")).ctx, input: mapping() });
    fs.writeFileSync(file, fs.readFileSync(EXPORT_FILE, "utf8").replace(/REQ-9/g, "NAM-9"));
    out.length = 0;
    expect(await runCli({ argv: ["ingest", "--no-correlate", "--grant-mapping", "acme-pam", file], commands, io }), err.join("\n")).toBe(0);
    expect(out.join("\n")).toMatch(/tool-export\.csv \[pam-grants\] read 6, stored 3, duplicate 0, quarantined 3/);

    const bad = `${file}.mapping.json`;
    fs.writeFileSync(bad, JSON.stringify({ name: "bad", fields: { principal: "u" }, timeFormat: "julian" }));
    const err2: string[] = [];
    const code = await runCli({
      argv: ["ingest", "--grant-mapping", bad, file],
      commands,
      io: { out: () => undefined, err: (t) => err2.push(t) },
    });
    expect(code).not.toBe(0);
    expect(err2.join("\n")).toMatch(/The grant mapping .* is not valid: fields\.role: .*; fields\.start: .*; timeFormat: /);
  });
});
