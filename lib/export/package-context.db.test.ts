import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAnalysis } from "@/lib/analysis/run-analysis";
import { logicVersion } from "@/lib/analysis/logic-version";
import { addCaseItem } from "@/lib/cases/add-case-item";
import { createCase } from "@/lib/cases/create-case";
import { addItemInput, createCaseInput } from "@/lib/cases/types";
import { fromSessionUser, system } from "@/lib/context/request-context";
import { testContext } from "@/lib/context/testing";
import { getCoverage } from "@/lib/coverage/get-coverage";
import { pool } from "@/lib/db";
import { setGovernanceSettings } from "@/lib/governance/set-governance-settings";
import { governanceCases, SETTINGS } from "@/lib/governance/testing/governance-cases";
import { ingestStream, type IngestResult } from "@/lib/ingest/ingest-stream";
import { loadSigningKey } from "@/lib/ledger/signing-key";
import { verifyLedger } from "@/lib/ledger/verify-ledger";
import { parseCsvRecord } from "@/lib/sources/read/csv";
import { fixturePath } from "@/lib/sources/testing/samples";
import { expectCounts, ingestFixture, ingestRecords, seedUser } from "@/test/factories";
import { exportCase, type ExportResult } from "./export-case";

// What an auditor needs besides the events to read and judge a package (issue 16, sections 2-4): the approval
// ticket and JIT grant a privileged action was matched with, as raw records with proofs, and the check's verdict;
// the actions with no matching record; each Salesforce CSV row readable against its header row, itself a ledger
// record (and a package without it fails); the batches the records came from, with the file's SHA-256 and counts;
// the scope with its coverage gaps; the logic version and the analysis run.

const VERIFIER = path.resolve("lib/export/verify.mjs");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sessionproof-context-test-"));
const AUDIT_TRAIL = "SetupAuditTrail.csv";
const auditTrailBytes = fs.readFileSync(fixturePath("salesforce", AUDIT_TRAIL));
// A second Setup Audit Trail file: the same header, one new row and one that cannot be read (two fields).
const SECOND = "SetupAuditTrail-2025-03-05.csv";
const secondBytes = Buffer.from(
  `${auditTrailBytes.toString("utf8").split("\n")[0]}\n` +
    `"3/5/2025, 9:12:44 AM PST","sam.admin@acme.example.com","","Changed password policy for profile Standard User","Manage Users",""\n` +
    `"3/5/2025, 9:13:00 AM PST","cut off"\n`,
  "utf8",
);

let pkg: string;
let result: ExportResult;
let okEvent: string; // evt-c01: approved, in scope, inside its JIT grant
let noTicketEvent: string; // no ticket at all
let auditTrail: IngestResult;
let second: IngestResult;
let csvEvent: string; // the "Changed profile" row of SetupAuditTrail.csv
let csvRawRecord: string;

const verify = (dir: string, ...args: string[]) => {
  const r = spawnSync(process.execPath, [VERIFIER, dir, ...args], { encoding: "utf8" });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
};
const readJson = (rel: string, dir = pkg) => JSON.parse(fs.readFileSync(path.join(dir, rel), "utf8"));
const ndjson = (rel: string, dir = pkg): Record<string, unknown>[] =>
  fs
    .readFileSync(path.join(dir, rel), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
/** A raw record's bytes as the package holds them. */
const rawBytes = (id: string, dir = pkg) => {
  const line = ndjson("raw/index.ndjson", dir).find((l) => l.rawRecordId === id);
  if (!line) return null;
  return fs.readFileSync(path.join(dir, "raw/records.bin")).subarray(Number(line.offset), Number(line.offset) + Number(line.length));
};
const eventOf = async (nativeId: string) =>
  (await pool().query<{ id: string }>(`SELECT id::text FROM event WHERE "nativeId" = $1`, [nativeId])).rows[0].id;

beforeAll(async () => {
  await setGovernanceSettings({ ctx: testContext(), input: SETTINGS });
  const { files, cases } = governanceCases();
  for (const f of files) await ingestRecords(f.name, f.body);
  auditTrail = await ingestFixture("salesforce", AUDIT_TRAIL);
  second = await ingestStream({
    input: Readable.from([secondBytes]),
    fileName: SECOND,
    via: "upload",
    platform: "salesforce",
    ctx: system(),
  });
  expectCounts(second);
  await runAnalysis({ ctx: system(), mode: "full" });

  okEvent = await eventOf(cases.find((c) => c.title.startsWith("approved, in scope, inside its JIT grant"))!.subject);
  noTicketEvent = await eventOf(cases.find((c) => c.title === "no ticket at all")!.subject);
  const row = await pool().query<{ event: string; raw: string }>(
    `SELECT e.id::text AS event, r.id::text AS raw FROM event e JOIN raw_record r ON r.id = e."rawRecordId"
      WHERE r."batchId" = $1 AND convert_from(r.payload, 'UTF8') LIKE '%Changed profile for user Devon Reyes%'`,
    [auditTrail.batchId],
  );
  csvEvent = row.rows[0].event;
  csvRawRecord = row.rows[0].raw;
  const secondEvent = (
    await pool().query<{ id: string }>(
      `SELECT e.id::text FROM event e JOIN raw_record r ON r.id = e."rawRecordId" WHERE r."batchId" = $1 AND r.position = 0`,
      [second.batchId],
    )
  ).rows[0].id;

  const u = await seedUser("analyst", "ana@example.test");
  const ctx = fromSessionUser({ id: u.id, email: u.email, role: u.role });
  const c = await createCase({ ctx, input: createCaseInput.parse({ title: "Privilege changes on 2026-11-20", severity: "high" }) });
  for (const refId of [okEvent, noTicketEvent, csvEvent, secondEvent])
    await addCaseItem({ ctx, caseId: c.id, input: addItemInput.parse({ itemType: "event", refId }) });
  const zipPath = path.join(tmp, "export.zip");
  result = await exportCase({ ctx, caseId: c.id, output: fs.createWriteStream(zipPath) });
  const unzip = spawnSync("unzip", ["-q", zipPath, "-d", path.join(tmp, "out")], { encoding: "utf8" });
  expect(unzip.status, unzip.stderr).toBe(0);
  pkg = path.join(tmp, "out", result.folder);
}, 180_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("governance evidence", () => {
  it("holds the approval ticket and JIT grant of a privileged action as raw records with proofs, and the check's status", async () => {
    const checks = readJson("governance/checks.json");
    const action = checks.actions.find((a: { eventId: string }) => a.eventId === okEvent);
    expect(action).toMatchObject({
      status: "ok",
      reason: expect.stringMatching(/approved by cab-lead@cases\.example.*inside grant gr-c01/),
    });
    const { approval, grant } = action.matched.records;
    // The very records the approval and grant rows were projected from.
    const expected = await pool().query<{ approval: string; grant: string }>(
      `SELECT (SELECT "rawRecordId"::text FROM approval WHERE "ticketKey" = 'CHG0900001') AS approval,
              (SELECT "rawRecordId"::text FROM access_grant WHERE "externalId" = 'gr-c01') AS grant`,
    );
    expect({ approval: approval.rawRecordId, grant: grant.rawRecordId }).toEqual(expected.rows[0]);
    expect(rawBytes(approval.rawRecordId)!.toString()).toContain("CHG0900001");
    expect(rawBytes(grant.rawRecordId)!.toString()).toContain("gr-c01");
    const proved = new Set(ndjson("proofs/inclusion-proofs.ndjson").map((p) => p.rawRecordId));
    expect(proved.has(approval.rawRecordId) && proved.has(grant.rawRecordId)).toBe(true);

    const csv = fs.readFileSync(path.join(pkg, "governance/checks.csv"), "utf8").split("\r\n");
    const line = parseCsvRecord(csv[0], Buffer.from(csv.find((l) => l.startsWith(`${okEvent},`))!));
    expect(line).toMatchObject({
      status: "ok",
      approvalRawRecordId: approval.rawRecordId,
      grantRawRecordId: grant.rawRecordId,
      missing: "policy decision",
    });

    const v = verify(pkg);
    expect(v.code, v.out).toBe(0);
    expect(v.out).toMatch(/PASS {2}proofs/);
  });

  it("lists the privileged action that no approval ticket matched", () => {
    const checks = readJson("governance/checks.json");
    const missing = checks.withoutMatchingRecord.find((a: { eventId: string }) => a.eventId === noTicketEvent);
    expect(missing).toMatchObject({ status: "unapproved", missing: expect.arrayContaining(["approval ticket"]) });
    expect(checks.withoutMatchingRecord.some((a: { eventId: string }) => a.eventId === okEvent)).toBe(false);
    expect(checks.counts.withoutApproval).toBeGreaterThanOrEqual(1);
  });
});

describe("CSV header records", () => {
  it("stores each CSV file's header row as a ledger record its batch points at (a repeated header is stored once)", async () => {
    const b = await pool().query<{ id: string; headerRawRecordId: string | null; header: string }>(
      `SELECT id, "headerRawRecordId"::text AS "headerRawRecordId", header FROM ingest_batch WHERE id = ANY($1::uuid[]) ORDER BY "startedAt"`,
      [[auditTrail.batchId, second.batchId]],
    );
    const [first, again] = b.rows;
    expect(first.headerRawRecordId).not.toBeNull();
    expect(again.headerRawRecordId).toBe(first.headerRawRecordId);
    const r = await pool().query<{ payload: Buffer; position: string; batchId: string }>(
      `SELECT payload, position::text, "batchId" FROM raw_record WHERE id = $1`,
      [first.headerRawRecordId],
    );
    expect(r.rows[0]).toMatchObject({ position: "-1", batchId: auditTrail.batchId });
    expect(r.rows[0].payload.toString("utf8")).toBe(auditTrailBytes.toString("utf8").split("\n")[0].replace(/\r$/, ""));
    // Written through the signed append path like every record: the whole ledger still verifies.
    const report = await verifyLedger({});
    expect(report.ok, JSON.stringify(report.errors?.slice(0, 3))).toBe(true);
  });

  it("verify.mjs rebuilds a Salesforce Setup Audit Trail row as a named object against its header record", () => {
    const out = path.join(tmp, "rows.ndjson");
    const v = verify(pkg, "--rows", out);
    expect(v.code, v.out).toBe(0);
    expect(v.out).toMatch(/PASS {2}csv +2 CSV rows rebuilt as named objects/);
    const rows = ndjson("rows.ndjson", tmp);
    const row = rows.find((r) => r.rawRecordId === csvRawRecord)!;
    const [headerLine, ...lines] = auditTrailBytes.toString("utf8").split("\n");
    const source = lines.find((l) => l.includes("Devon Reyes"))!;
    expect(row.row).toEqual(parseCsvRecord(headerLine, Buffer.from(source)));
    expect(row.row).toMatchObject({ User: "sam.admin@acme.example.com", Section: "Manage Users" });
    expect(row.headerInLedger).toBe(true);
  });

  it("fails verification, naming the header record, when the header record is removed (and everything re-signed)", () => {
    const batches = readJson("provenance/batches.json").batches;
    const headerId = batches.find((b: { batchId: string }) => b.batchId === auditTrail.batchId).csvHeader.rawRecordId;
    const dir = path.join(tmp, "no-header");
    fs.cpSync(pkg, dir, { recursive: true });
    removeRawRecord(dir, headerId);
    const v = verify(dir);
    expect(v.code, v.out).toBe(1);
    // Every other check still passes: only the missing header shows.
    expect(v.out.match(/^FAIL .*$/gm)).toEqual([
      expect.stringMatching(new RegExp(`FAIL {2}csv .*raw record ${headerId}, which is not in the package`)),
    ]);
    expect(v.out).toContain(AUDIT_TRAIL);
  });
});

describe("provenance and scope", () => {
  it("lists each batch's channel, file SHA-256, ingesting user and counts, and the quarantined records of those batches", async () => {
    const batches: Record<string, any>[] = readJson("provenance/batches.json").batches; // eslint-disable-line @typescript-eslint/no-explicit-any
    const first = batches.find((b) => b.batchId === auditTrail.batchId)!;
    expect(first).toMatchObject({
      channel: "cli",
      file: { name: AUDIT_TRAIL, sha256: crypto.createHash("sha256").update(auditTrailBytes).digest("hex") },
      counts: { read: auditTrail.read, stored: auditTrail.stored, duplicate: auditTrail.duplicate, quarantined: auditTrail.quarantined },
      ingestedBy: "system",
    });
    const two = batches.find((b) => b.batchId === second.batchId)!;
    expect(two).toMatchObject({
      channel: "upload",
      file: { name: SECOND, sha256: crypto.createHash("sha256").update(secondBytes).digest("hex") },
      counts: { read: 2, stored: 1, duplicate: 0, quarantined: 1 },
    });
    // Every raw record of the package names its batch.
    const index = ndjson("raw/index.ndjson");
    expect(index.find((l) => l.rawRecordId === csvRawRecord)!.batchId).toBe(auditTrail.batchId);
    const quarantined = ndjson("provenance/quarantined.ndjson");
    expect(quarantined).toHaveLength(auditTrail.quarantined + 1);
    const cut = quarantined.filter((q) => q.batchId === second.batchId);
    expect(cut).toEqual([expect.objectContaining({ reason: expect.stringMatching(/2 fields; the header has 6/) })]);
    expect(Buffer.from(String(cut[0].rawBase64), "base64").toString()).toBe('"3/5/2025, 9:13:00 AM PST","cut off"');
    expect(readJson("manifest.json").counts).toMatchObject({ quarantinedRecords: auditTrail.quarantined + 1, csvHeaderRawRecords: 1 });
  });

  it("states the scope with the coverage gaps of the case's platforms, and the logic version and analysis run", async () => {
    const scope = readJson("scope.json");
    expect(scope.platforms.map((p: { platform: string }) => p.platform).sort()).toEqual(["aws-cloudtrail", "salesforce"]);
    expect(scope.timeRange.from < scope.timeRange.to).toBe(true);
    const gaps = (await getCoverage()).gaps.filter((g) => g.platform === "aws-cloudtrail" || g.platform === "salesforce");
    expect(gaps.length).toBeGreaterThan(0);
    expect(scope.coverage.gaps).toEqual(gaps);
    expect(scope.excluded.find((e: { what: string }) => e.what === "quarantined records of the batches").count).toBe(
      auditTrail.quarantined + 1,
    );

    const analysis = readJson("analysis.json");
    const run = await pool().query<{ id: string }>(`SELECT id::text FROM analysis_run WHERE status = 'succeeded' ORDER BY id DESC LIMIT 1`);
    expect(analysis.analysis).toMatchObject({ runId: run.rows[0].id, caseEventsAfterRun: 0 });
    expect(analysis.logic).toMatchObject({ appVersion: logicVersion().appVersion, rulesHash: logicVersion().logicHash });
    expect(analysis.logic.normalizerHash).toMatch(/^[0-9a-f]{64}$/);
    expect(analysis.thresholds.governance.maxActionsPerTicket).toBe(3);
  });
});

/**
 * Takes one raw record out of an unzipped package as someone holding the signing key would: its bytes, index line,
 * inclusion and append proofs, then the manifest, SHA256SUMS and its signature made to match.
 */
function removeRawRecord(dir: string, id: string) {
  const file = (rel: string) => path.join(dir, rel);
  const index = ndjson("raw/index.ndjson", dir);
  const gone = index.find((l) => l.rawRecordId === id)!;
  const bin = fs.readFileSync(file("raw/records.bin"));
  const start = Number(gone.offset);
  const length = Number(gone.length);
  fs.writeFileSync(file("raw/records.bin"), Buffer.concat([bin.subarray(0, start), bin.subarray(start + length)]));
  const kept = index
    .filter((l) => l !== gone)
    .map((l) => (l.offset !== null && Number(l.offset) > start ? { ...l, offset: Number(l.offset) - length } : l));
  fs.writeFileSync(file("raw/index.ndjson"), kept.map((l) => JSON.stringify(l) + "\n").join(""));
  for (const rel of ["proofs/inclusion-proofs.ndjson", "proofs/append-proofs.ndjson"]) {
    const lines = fs.readFileSync(file(rel), "utf8").split("\n").filter(Boolean);
    fs.writeFileSync(
      file(rel),
      lines
        .filter((l) => JSON.parse(l).rawRecordId !== id)
        .map((l) => l + "\n")
        .join(""),
    );
  }
  const sha = (rel: string) =>
    crypto
      .createHash("sha256")
      .update(fs.readFileSync(file(rel)))
      .digest("hex");
  const manifest = readJson("manifest.json", dir);
  manifest.counts.rawRecords -= 1;
  for (const f of manifest.files) f.sha256 = sha(f.path);
  fs.writeFileSync(file("manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  const sums = fs
    .readFileSync(file("SHA256SUMS"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => l.slice(66))
    .map((rel) => `${sha(rel)}  ${rel}\n`)
    .join("");
  fs.writeFileSync(file("SHA256SUMS"), sums);
  fs.writeFileSync(file("SHA256SUMS.sig"), crypto.sign(null, Buffer.from(sums), loadSigningKey()!.privateKey));
}
