import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromSessionUser, type RequestContext } from "@/lib/context/request-context";
import { addCaseItem } from "@/lib/cases/add-case-item";
import { addNote } from "@/lib/cases/add-note";
import { createCase } from "@/lib/cases/create-case";
import { addItemInput, createCaseInput, noteInput } from "@/lib/cases/types";
import { db, pool } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { commands } from "@/lib/cli/registry";
import { runCli } from "@/lib/cli/run-cli";
import { exportCase } from "./export-case";
import { findCase, streamRawIndexLines, streamRawPayloads } from "./collect-case-evidence";
import { append, createTestSource } from "@/lib/ledger/test-helpers";
import { loadSigningKey } from "@/lib/ledger/signing-key";
import { EXPECTED_KEY_VARIABLE, VERIFY_COMMANDS } from "./readme";
import { resignWithNewKey } from "./testing/resign-package";
import { seedCorrelated, seedUser } from "@/test/factories";
import { ownerUrl } from "@/test/owner-db";

// A case built from ingested fixture exports (CloudTrail + Okta), exported to a zip, unzipped with /usr/bin/unzip,
// and checked with the README's own commands; then every file is tampered with (one flipped byte, then removed) and
// the verifier must fail naming that file. Expected contents are computed here from the database, independently.

const VERIFIER = path.resolve("lib/export/verify.mjs");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sessionproof-export-test-"));
let pkg: string; // the unzipped package folder
let caseId: string;
let caseNumber: number;
let sessionId: string;
let eventId: string;
let actor: { id: string; email: string };
let ctx: RequestContext;
let result: Awaited<ReturnType<typeof exportCase>>;

// The README's commands read the expected key from the environment, as the auditor sets it from Settings.
const installationKey = () => loadSigningKey()?.fingerprint ?? "";
const run = (cmd: string, cwd: string) => {
  const r = spawnSync("sh", ["-c", cmd], { cwd, encoding: "utf8", env: { ...process.env, [EXPECTED_KEY_VARIABLE]: installationKey() } });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
};
const verifyDir = (dir: string) => {
  const r = spawnSync(process.execPath, [VERIFIER, dir], { encoding: "utf8" });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
};
const listFiles = (dir: string, prefix = ""): string[] =>
  fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((d) => {
    const rel = prefix ? `${prefix}/${d.name}` : d.name;
    return d.isDirectory() ? listFiles(dir, rel) : [rel];
  });
const collect = async <T>(it: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};
const copyPkg = (name: string) => {
  const dest = path.join(tmp, name);
  fs.cpSync(pkg, dest, { recursive: true });
  return dest;
};

beforeAll(async () => {
  await seedCorrelated([
    ["aws-cloudtrail", "111122223333_CloudTrail_eu-west-1_20250304T1315Z_AbCdEfGh12345678.json"],
    ["okta", "okta-system-log-page.json"],
  ]);
  const u = await seedUser("analyst", "ana@example.test", "Ana Analyst");
  const auditor = await seedUser("auditor", "aud@example.test");
  actor = { id: auditor.id, email: auditor.email };
  ctx = fromSessionUser({ ...actor, role: auditor.role });
  const analyst = fromSessionUser({ id: u.id, email: u.email, role: u.role });

  const s = await pool().query<{ id: string }>(
    `SELECT id FROM session WHERE platform = 'aws-cloudtrail' AND "eventCount" >= 3 ORDER BY "eventCount" DESC, id LIMIT 1`,
  );
  sessionId = s.rows[0].id;
  const e = await pool().query<{ id: string }>(
    `SELECT id::text FROM event WHERE platform = 'okta' AND "sessionId" IS DISTINCT FROM $1::uuid ORDER BY time, id LIMIT 1`,
    [sessionId],
  );
  eventId = e.rows[0].id;
  const c = await createCase({
    ctx: analyst,
    input: createCaseInput.parse({ title: "Admin policy attached from a new IP", severity: "high" }),
  });
  caseId = c.id;
  caseNumber = c.number;
  await addCaseItem({
    ctx: analyst,
    caseId,
    input: addItemInput.parse({ itemType: "session", refId: sessionId, annotation: "the escalation" }),
  });
  await addCaseItem({ ctx: analyst, caseId, input: addItemInput.parse({ itemType: "event", refId: eventId }) });
  await addNote({ ctx: analyst, caseId, input: noteInput.parse({ body: "Started from the AttachUserPolicy alert." }) });

  const zipPath = path.join(tmp, "export.zip");
  result = await exportCase({ ctx, caseId, output: fs.createWriteStream(zipPath) });
  const unzip = run(`unzip -q ${JSON.stringify(zipPath)} -d out`, tmp);
  expect(unzip.code, unzip.out).toBe(0);
  pkg = path.join(tmp, "out", result.folder);
}, 120_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("exportCase", () => {
  it("passes the README's three verification commands, run as written", () => {
    const readme = fs.readFileSync(path.join(pkg, "README.md"), "utf8");
    expect(result.folder).toMatch(new RegExp(`^case-${caseNumber}-evidence-\\d{4}-\\d{2}-\\d{2}$`));
    for (const cmd of VERIFY_COMMANDS) {
      expect(readme).toContain(cmd);
      const r = run(cmd, pkg);
      expect(r.code, `${cmd}\n${r.out}`).toBe(0);
    }
    expect(run(VERIFY_COMMANDS[1], pkg).out).toContain("Signature Verified Successfully");
    const v = run(VERIFY_COMMANDS[2], pkg).out;
    expect(v).toContain(`VERIFIED: every check passed, signed by the expected key ${installationKey()}`);
    expect(v).not.toContain("FAIL");
    // Without a pinned key it still checks everything, and its last line says the key was not pinned and how to pin it.
    const unpinned = run("node verify.mjs", pkg);
    expect(unpinned.code).toBe(0);
    expect(unpinned.out.trim().split("\n").at(-1)).toMatch(/^VERIFIED, KEY NOT PINNED: .*--expect-key/);
    // the SHA256SUMS signature, also with openssl
    expect(run("openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin -in SHA256SUMS -sigfile SHA256SUMS.sig", pkg).code).toBe(0);
  });

  it("holds exactly the cited events and their raw records, byte for byte", async () => {
    const expected = await pool().query<{ id: string; raw: string }>(
      `SELECT e.id::text, e."rawRecordId"::text AS raw FROM event e WHERE e."sessionId" = $1::uuid OR e.id = $2::bigint ORDER BY e.id`,
      [sessionId, eventId],
    );
    const events = fs
      .readFileSync(path.join(pkg, "events.ndjson"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string; rawRecordId: string; sessionId: string | null; data: { platform?: string } });
    expect(events.map((e) => e.id)).toEqual(expected.rows.map((r) => r.id));
    expect(events.map((e) => e.rawRecordId)).toEqual(expected.rows.map((r) => r.raw));
    expect(result.events).toBe(expected.rows.length);

    const rawIds = [...new Set(expected.rows.map((r) => r.raw))];
    // (ORDER BY r."leafIndex": the bigint, not the text column of the same name, which sorts "10" before "9")
    const raws = await pool().query<{ id: string; leafIndex: string; payload: Buffer; leafHash: Buffer }>(
      `SELECT id::text, "leafIndex"::text AS "leafIndex", payload, "leafHash" FROM raw_record r WHERE id = ANY($1::bigint[]) ORDER BY r."leafIndex"`,
      [rawIds],
    );
    const index = fs
      .readFileSync(path.join(pkg, "raw/index.ndjson"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { rawRecordId: string; leafIndex: number; offset: number; length: number; leafHash: string });
    expect(index.map((r) => r.rawRecordId)).toEqual(raws.rows.map((r) => r.id));
    const bin = fs.readFileSync(path.join(pkg, "raw/records.bin"));
    expect(bin.length).toBe(raws.rows.reduce((s, r) => s + r.payload.length, 0));
    raws.rows.forEach((r, i) => {
      expect(bin.subarray(index[i].offset, index[i].offset + index[i].length).equals(r.payload)).toBe(true);
      expect(index[i].leafHash).toBe(r.leafHash.toString("hex"));
      expect(index[i].leafIndex).toBe(Number(r.leafIndex));
    });

    const proofs = fs.readFileSync(path.join(pkg, "proofs/inclusion-proofs.ndjson"), "utf8").trim().split("\n");
    expect(proofs).toHaveLength(raws.rows.length);
    const manifest = JSON.parse(fs.readFileSync(path.join(pkg, "manifest.json"), "utf8"));
    expect(manifest.counts).toMatchObject({ events: expected.rows.length, rawRecords: raws.rows.length, sessions: 1 });
    expect(manifest.exportedBy).toEqual({ kind: "user", id: actor.id, email: actor.email });
    const cp = await pool().query<{ treeSize: string; total: string }>(
      `SELECT (SELECT "treeSize"::text FROM ledger_checkpoint ORDER BY id DESC LIMIT 1) AS "treeSize", (SELECT count(*)::text FROM raw_record) AS total`,
    );
    expect(manifest.checkpoint.treeSize).toBe(Number(cp.rows[0].total));
    expect(Number(cp.rows[0].treeSize)).toBe(Number(cp.rows[0].total));

    const kase = JSON.parse(fs.readFileSync(path.join(pkg, "case.json"), "utf8"));
    expect(kase.case.number).toBe(caseNumber);
    expect(kase.notes.map((n: { body: string }) => n.body)).toEqual(["Started from the AttachUserPolicy alert."]);
    expect(kase.items.map((i: { itemType: string }) => i.itemType).sort()).toEqual(["event", "session"]);
    expect(kase.history.map((h: { action: string }) => h.action)).toEqual(["created", "item_added", "item_added", "note_added"]);
    const sessions = JSON.parse(fs.readFileSync(path.join(pkg, "sessions.json"), "utf8"));
    expect(sessions.map((s: { id: string }) => s.id)).toEqual([sessionId]);

    // SHA256SUMS lists every file but itself and its signature, with the right hashes.
    const sums = fs.readFileSync(path.join(pkg, "SHA256SUMS"), "utf8").trim().split("\n");
    const listed = sums.map((l) => l.slice(66)).sort();
    expect(listed).toEqual(
      listFiles(pkg)
        .filter((f) => f !== "SHA256SUMS" && f !== "SHA256SUMS.sig")
        .sort(),
    );
    for (const l of sums) {
      expect(
        crypto
          .createHash("sha256")
          .update(fs.readFileSync(path.join(pkg, l.slice(66))))
          .digest("hex"),
      ).toBe(l.slice(0, 64));
    }
    expect(result.files).toBe(listFiles(pkg).length);
  });

  it("records the export in the case history and the audit trail, by the auditor", async () => {
    const act = await db().caseActivity.findFirstOrThrow({ where: { caseId }, orderBy: { id: "desc" } });
    expect(act).toMatchObject({ action: "exported", actorId: actor.id });
    const manifestSha = crypto
      .createHash("sha256")
      .update(fs.readFileSync(path.join(pkg, "manifest.json")))
      .digest("hex");
    expect(act.after).toMatchObject({
      status: "completed",
      events: result.events,
      rawRecords: result.rawRecords,
      files: result.files,
      manifestSha256: manifestSha,
    });
    const audit = await db().auditLog.findFirstOrThrow({ where: { action: "case.exported", resourceId: caseId } });
    expect(audit).toMatchObject({ actorId: actor.id, actorEmail: actor.email });
    expect(audit.details).toMatchObject({ caseNumber, status: "completed", manifestSha256: manifestSha });
    // the case itself is unchanged by an export
    const c = await db().case.findUniqueOrThrow({ where: { id: caseId } });
    expect(c.status).toBe("open");
  });

  it("signs its checkpoint over every audit entry committed before the export", async () => {
    // Case creation, items and the note were audited just before the export, and no flush ran in between (the
    // debounced flush is off under vitest): the export's checkpoint flushed them first, so it covers them.
    const firstExport = await db().auditLog.findFirstOrThrow({ where: { action: "case.exported" }, orderBy: { id: "asc" } });
    const before = await pool().query<{ action: string; leafIndex: string | null }>(
      `SELECT a.action, r."leafIndex"::text AS "leafIndex" FROM audit_log a LEFT JOIN raw_record r ON r.id = a."rawRecordId" WHERE a.id < $1 ORDER BY a.id`,
      [firstExport.id],
    );
    expect(before.rows.filter((r) => r.action === "case.changed").length).toBeGreaterThanOrEqual(4);
    for (const r of before.rows) {
      expect(r.leafIndex, r.action).not.toBeNull();
      expect(Number(r.leafIndex)).toBeLessThan(result.treeSize);
    }
    const checkpoint = JSON.parse(fs.readFileSync(path.join(pkg, "checkpoint.json"), "utf8")) as { treeSize: number };
    expect(checkpoint.treeSize).toBe(result.treeSize);
  });

  it("copies raw records byte for byte, also bytes that are not valid UTF-8, and indexes them from the same columns", async () => {
    const source = await createTestSource();
    const bytes = [Buffer.from([0x7b, 0xff, 0xfe, 0xc3, 0x28, 0x00, 0x7d]), Buffer.from('{"ok":"caf\u00e9 ☕"}'), Buffer.alloc(0)];
    const appended = await append(source, bytes);
    const ids = Float64Array.from(appended, (a) => Number(a.id));
    const lengths = new Float64Array(ids.length);
    const sizes = Float64Array.from(bytes, (b) => b.length);
    const index = Buffer.concat(await collect(streamRawIndexLines(ids, lengths, sizes)))
      .toString("utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(Array.from(lengths)).toEqual(bytes.map((b) => b.length));
    // A size that no longer matches what is stored (purged since the evidence was collected) fails the export.
    await expect(collect(streamRawIndexLines(ids, new Float64Array(ids.length), Float64Array.from([7, 0, 0])))).rejects.toThrow(
      /changed during the export/,
    );
    const pages = await collect(
      streamRawPayloads(
        ids,
        Float64Array.from(bytes, (b) => b.length),
      ),
    );
    expect(pages.flatMap((p) => p.ids)).toEqual(appended.map((a) => String(a.id)));
    expect(pages.flatMap((p) => p.lengths)).toEqual(bytes.map((b) => b.length));
    const bin = Buffer.concat(pages.map((p) => p.bytes));
    expect(bin.equals(Buffer.concat(bytes))).toBe(true);
    // offsets, lengths and hashes as stored, computed here independently
    const stored = await pool().query<{ id: string; leafHash: Buffer; contentHash: Buffer; payload: Buffer }>(
      `SELECT r.id::text, r."leafHash", r."contentHash", r.payload FROM raw_record r WHERE r.id = ANY($1::bigint[]) ORDER BY r."leafIndex"`,
      [appended.map((a) => String(a.id))],
    );
    let offset = 0;
    stored.rows.forEach((r, i) => {
      expect(index[i]).toMatchObject({
        rawRecordId: r.id,
        offset,
        length: r.payload.length,
        purged: false,
        leafHash: r.leafHash.toString("hex"),
        contentHash: r.contentHash.toString("hex"),
      });
      expect(bin.subarray(offset, offset + r.payload.length).equals(r.payload)).toBe(true);
      offset += r.payload.length;
    });
  });

  it("records a download that breaks off as export_failed, with the reason", async () => {
    let written = 0;
    const broken = new Writable({
      write(chunk: Buffer, _enc, cb) {
        written += chunk.length;
        // late in the package, inside the large files
        cb(written > result.zipBytes * 0.8 ? new Error("connection reset by peer") : null);
      },
    });
    broken.on("error", () => undefined);
    await expect(exportCase({ ctx, caseId, output: broken })).rejects.toThrow(/connection reset by peer/);
    const act = await db().caseActivity.findFirstOrThrow({ where: { caseId }, orderBy: { id: "desc" } });
    expect(act.action).toBe("export_failed");
    expect(act.after).toMatchObject({ status: "failed", error: expect.stringContaining("connection reset by peer") });
    const audit = await db().auditLog.findFirstOrThrow({ where: { action: "case.exported", resourceId: caseId }, orderBy: { id: "desc" } });
    expect(audit.details).toMatchObject({ status: "failed" });
  });

  it("exports an empty case as a valid package with no records", async () => {
    const analyst = await db().user.findFirstOrThrow({ where: { email: "ana@example.test" } });
    const c = await createCase({ ctx: fromSessionUser(analyst), input: createCaseInput.parse({ title: "Nothing cited yet" }) });
    const zip = path.join(tmp, "empty.zip");
    const r = await exportCase({ ctx, caseId: c.id, output: fs.createWriteStream(zip) });
    expect(r).toMatchObject({ events: 0, rawRecords: 0, sessions: 0 });
    expect(run(`unzip -q ${JSON.stringify(zip)} -d empty`, tmp).code).toBe(0);
    const dir = path.join(tmp, "empty", r.folder);
    expect(fs.statSync(path.join(dir, "raw/records.bin")).size).toBe(0);
    const v = verifyDir(dir);
    expect(v.code, v.out).toBe(0);
    expect(v.out).toContain("0 events");
  });

  it("finds a case by number or id and refuses unknown ones", async () => {
    expect(await findCase({ ref: String(caseNumber) })).toEqual({ id: caseId, number: caseNumber });
    expect(await findCase({ ref: `#${caseNumber}` })).toEqual({ id: caseId, number: caseNumber });
    expect(await findCase({ ref: caseId })).toEqual({ id: caseId, number: caseNumber });
    await expect(findCase({ ref: "99999" })).rejects.toBeInstanceOf(AppError);
    await expect(
      exportCase({ ctx, caseId: crypto.randomUUID(), output: fs.createWriteStream(path.join(tmp, "none.zip")) }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("key pinning", () => {
  it("a package rewritten and re-signed with another key fails with --expect-key and in verify-export, naming the key found", async () => {
    const dir = copyPkg("resigned");
    const forged = resignWithNewKey(dir, (d) => {
      const p = path.join(d, "case.json");
      fs.writeFileSync(p, fs.readFileSync(p, "utf8").replace("Admin policy attached from a new IP", "Nothing happened"));
    });
    // Every self-contained check passes: this is what the key pin is for.
    expect(run("sha256sum --strict -c SHA256SUMS", dir).code).toBe(0);
    const unpinned = verifyDir(dir);
    expect(unpinned.code, unpinned.out).toBe(0);
    expect(unpinned.out).toContain("KEY NOT PINNED");

    const pinned = run(VERIFY_COMMANDS[2], dir);
    expect(pinned.code, pinned.out).toBe(1);
    expect(pinned.out).toContain(`FAIL  key        public-key.pem is key ${forged}, not the expected ${installationKey()}`);
    expect(pinned.out).toContain("NOT VERIFIED: key failed first");

    let out = "";
    const code = await runCli({
      argv: ["verify-export", dir],
      commands,
      io: { out: (t) => (out += `${t}\n`), err: (t) => (out += `${t}\n`) },
    });
    expect(code, out).toBe(1);
    expect(out).toContain(`public-key.pem is key ${forged}`);
  });

  it("accepts the expected key written as bare hex, upper case or with colons, and refuses a malformed one", () => {
    const hex = installationKey();
    for (const written of [hex, `SHA256:${hex}`, hex.toUpperCase(), hex.match(/../g)!.join(":")]) {
      const r = spawnSync(process.execPath, [VERIFIER, pkg, "--expect-key", written], { encoding: "utf8" });
      expect(r.status, `${written}\n${r.stdout}`).toBe(0);
    }
    const bad = spawnSync(process.execPath, [VERIFIER, pkg, "--expect-key", "SHA256:abc"], { encoding: "utf8" });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain("not a SHA-256 fingerprint");
  });
});

describe("tampering", () => {
  // One verifier process per file of the package (21 files): more than the default 30 s on a loaded machine.
  it("a flipped byte in any file fails verify.mjs, naming that file, and sha256sum -c fails unless the file is SHA256SUMS.sig", () => {
    const files = listFiles(pkg);
    expect(files.length).toBeGreaterThanOrEqual(19);
    for (const [k, file] of files.entries()) {
      const dir = copyPkg(`flip-${k}`);
      const p = path.join(dir, file);
      const b = fs.readFileSync(p);
      b[Math.floor(b.length / 2)] ^= 0x01;
      fs.writeFileSync(p, b);
      const v = verifyDir(dir);
      expect(v.code, `${file}\n${v.out}`).toBe(1);
      expect(v.out, file).toMatch(new RegExp(`FAIL .*${file.replace(/[.]/g, "\\.")}`));
      expect(v.out).toContain("NOT VERIFIED");
      // sha256sum covers every file but SHA256SUMS.sig (which only the signature check covers)
      if (file !== "SHA256SUMS.sig") expect(run("sha256sum --strict -c SHA256SUMS", dir).code, file).not.toBe(0);
      fs.rmSync(dir, { recursive: true });
    }
  }, 120_000);

  // One verifier process per file of the package (21 files): more than the default 30 s on a loaded machine.
  it("a removed file fails verify.mjs naming it; an added file too", () => {
    for (const [k, file] of listFiles(pkg).entries()) {
      const dir = copyPkg(`drop-${k}`);
      fs.rmSync(path.join(dir, file));
      const v = verifyDir(dir);
      expect(v.code, `${file}\n${v.out}`).toBe(1);
      expect(v.out, file).toContain(`${file}: missing`);
      fs.rmSync(dir, { recursive: true });
    }
    const dir = copyPkg("added");
    fs.writeFileSync(path.join(dir, "raw", "extra.json"), "{}");
    const v = verifyDir(dir);
    expect(v.code).toBe(1);
    expect(v.out).toContain("raw/extra.json: not listed in SHA256SUMS");
  }, 120_000);

  it("a raw record rewritten with every hash and SHA256SUMS line updated passes sha256sum but fails the inclusion proof and signature", () => {
    const dir = copyPkg("forged");
    const indexFile = path.join(dir, "raw/index.ndjson");
    const proofFile = path.join(dir, "proofs/inclusion-proofs.ndjson");
    const index = fs
      .readFileSync(indexFile, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const bin = fs.readFileSync(path.join(dir, "raw/records.bin"));
    const victim = index[0];
    const original = bin.subarray(victim.offset, victim.offset + victim.length);
    // same length, one character changed: offsets stay valid
    const forged = Buffer.from(original);
    const at = forged.indexOf(Buffer.from('"'));
    forged[at + 1] = forged[at + 1] === 0x61 ? 0x62 : 0x61;
    forged.copy(bin, victim.offset);
    fs.writeFileSync(path.join(dir, "raw/records.bin"), bin);
    const newLeaf = crypto
      .createHash("sha256")
      .update(Buffer.concat([Buffer.from([0]), forged]))
      .digest("hex");
    index[0] = { ...victim, leafHash: newLeaf, contentHash: crypto.createHash("sha256").update(forged).digest("hex") };
    fs.writeFileSync(indexFile, index.map((r) => JSON.stringify(r)).join("\n") + "\n");
    const proofs = fs
      .readFileSync(proofFile, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    proofs[0].leafHash = newLeaf;
    fs.writeFileSync(proofFile, proofs.map((r) => JSON.stringify(r)).join("\n") + "\n");
    const sumsFile = path.join(dir, "SHA256SUMS");
    const sums = fs
      .readFileSync(sumsFile, "utf8")
      .trim()
      .split("\n")
      .map((l) => {
        const f = l.slice(66);
        return ["raw/records.bin", "raw/index.ndjson", "proofs/inclusion-proofs.ndjson"].includes(f)
          ? `${crypto
              .createHash("sha256")
              .update(fs.readFileSync(path.join(dir, f)))
              .digest("hex")}  ${f}`
          : l;
      });
    fs.writeFileSync(sumsFile, sums.join("\n") + "\n");

    expect(run("sha256sum --strict -c SHA256SUMS", dir).code).toBe(0);
    const v = verifyDir(dir);
    expect(v.code).toBe(1);
    expect(v.out).toMatch(
      new RegExp(
        `FAIL  proofs .*raw record ${victim.rawRecordId}, leaf ${victim.leafIndex}\\): the inclusion proof does not lead to the signed root`,
      ),
    );
    expect(v.out).toMatch(/FAIL {2}sums-sig .*SHA256SUMS/);
    expect(v.out).toMatch(/PASS {2}raw /);
  });

  it("a changed path entry fails its proof even where the proof before shares the rest of the path", () => {
    // verify.mjs reuses the previous proof's result when a proof reaches the same state with the same remaining
    // path (neighbouring leaves). Change one entry of the second of two such proofs, after their shared first
    // step and then in the shared tail: each time exactly that proof must fail.
    const lines = fs.readFileSync(path.join(pkg, "proofs/inclusion-proofs.ndjson"), "utf8").trim().split("\n");
    const proofs = lines.map((l) => JSON.parse(l) as { rawRecordId: string; leafIndex: number; path: string[] });
    const k = proofs.findIndex(
      (p, i) => i > 0 && p.leafIndex === proofs[i - 1].leafIndex + 1 && p.leafIndex % 2 === 1 && p.path.length >= 3,
    );
    expect(k, "two sibling leaves in the package").toBeGreaterThan(0);
    expect(proofs[k].path.slice(1)).toEqual(proofs[k - 1].path.slice(1));
    for (const at of [1, proofs[k].path.length - 1]) {
      const dir = copyPkg(`path-${at}`);
      const changed = lines.map((l, i) => {
        if (i !== k) return l;
        const p = JSON.parse(l) as { path: string[] };
        p.path[at] = p.path[at].replace(/^./, (c) => (c === "0" ? "1" : "0"));
        return JSON.stringify(p);
      });
      fs.writeFileSync(path.join(dir, "proofs/inclusion-proofs.ndjson"), changed.join("\n") + "\n");
      const v = verifyDir(dir);
      expect(v.code).toBe(1);
      expect(v.out).toMatch(
        new RegExp(
          `FAIL  proofs .*line ${k + 1} \\(raw record ${proofs[k].rawRecordId}, leaf ${proofs[k].leafIndex}\\): the inclusion proof does not lead`,
        ),
      );
      // only that proof: the one before it, and the one after it (which may reuse work), still verify
      expect(v.out).not.toMatch(new RegExp(`line ${k} \\(|line ${k + 2} \\(`));
      fs.rmSync(dir, { recursive: true });
    }
  });
});

describe("append proofs read by verify.mjs", () => {
  // verify.mjs reads the exporter's own lines with one fixed pattern and any other valid JSON line field by field.
  // A line in another layout is judged on its content; it cannot claim the fixed pattern's check for itself.
  const appendLines = () => fs.readFileSync(path.join(pkg, "proofs/append-proofs.ndjson"), "utf8").trim().split("\n");
  const rewrite = (name: string, change: (p: Record<string, unknown>) => Record<string, unknown>) => {
    const dir = copyPkg(name);
    const lines = appendLines().map((l, i) => (i === 0 ? JSON.stringify(change(JSON.parse(l) as Record<string, unknown>), null, 0) : l));
    fs.writeFileSync(path.join(dir, "proofs/append-proofs.ndjson"), lines.join("\n") + "\n");
    return { dir, v: verifyDir(dir) };
  };

  it("a line in another key order is judged on its content and binds", () => {
    const { dir, v } = rewrite("append-reordered", ({ path: p, eventHashes, ...rest }) => ({ path: p, eventHashes, ...rest }));
    expect(v.out).toMatch(/PASS {2}bindings/);
    fs.rmSync(dir, { recursive: true });
  });

  it("a line claiming to be checked, with an event hash that is not hex, fails its binding", () => {
    const first = JSON.parse(appendLines()[0]) as { rawRecordId: string; eventHashes: string[] };
    const { dir, v } = rewrite("append-claims-checked", (p) => ({
      checked: true,
      ...p,
      eventHashes: [(p.eventHashes as string[])[0].replace(/^../, "zz"), ...(p.eventHashes as string[]).slice(1)],
    }));
    expect(v.code).toBe(1);
    expect(v.out).toMatch(new RegExp(`FAIL  bindings .*line 1 \\(raw record ${first.rawRecordId}, `));
    fs.rmSync(dir, { recursive: true });
  });
});

describe("events edited in the database before the export", () => {
  // The export signs whatever the database holds into SHA256SUMS; what shows an edited event is the hash of its
  // events that its record's append batch signed at ingest. Before, such a package passed verify.mjs.
  async function exportWith(name: string, tamper: (db: pg.Client, eventId: string) => Promise<unknown>) {
    const attacker = new pg.Client({ connectionString: ownerUrl() });
    await attacker.connect();
    await attacker.query("SET session_replication_role = replica");
    const saved = (await attacker.query(`SELECT data::text AS data, "srcIp", "dataHash" FROM event WHERE id = $1`, [eventId]))
      .rows[0] as Record<string, unknown>;
    try {
      await tamper(attacker, eventId);
      const zip = path.join(tmp, `${name}.zip`);
      const r = await exportCase({ ctx, caseId, output: fs.createWriteStream(zip) });
      const unzip = run(`unzip -q ${JSON.stringify(zip)} -d ${name}`, tmp);
      expect(unzip.code, unzip.out).toBe(0);
      return verifyDir(path.join(tmp, name, r.folder));
    } finally {
      await attacker.query(`UPDATE event SET data = $2::json, "srcIp" = $3, "dataHash" = $4 WHERE id = $1`, [
        eventId,
        saved.data,
        saved.srcIp,
        saved.dataHash,
      ]);
      await attacker.end();
    }
  }
  const editIp = `jsonb_set(data::jsonb, '{src_endpoint,ip}', '"203.0.113.66"')::json`;

  it("an edited source IP fails verify.mjs, naming the event", async () => {
    const v = await exportWith("edited-event", (db, id) =>
      db.query(`UPDATE event SET data = ${editIp}, "srcIp" = '203.0.113.66' WHERE id = $1`, [id]),
    );
    expect(v.code, v.out).toBe(1);
    expect(v.out).toMatch(new RegExp(`FAIL  events .*\\(event ${eventId}\\): its normalized event differs from the one signed at ingest`));
    expect(v.out).toMatch(/PASS {2}bindings/);
  });

  it("an edited event whose content hash was recomputed too fails the binding of its record, naming the event", async () => {
    const v = await exportWith("rehashed-event", async (db, id) => {
      await db.query(`UPDATE event SET data = ${editIp}, "srcIp" = '203.0.113.66' WHERE id = $1`, [id]);
      await db.query(`UPDATE event SET "dataHash" = sha256(convert_to(data::text, 'UTF8')) WHERE id = $1`, [id]);
    });
    expect(v.code, v.out).toBe(1);
    expect(v.out).toMatch(
      new RegExp(`FAIL  bindings .*its events \\(event ${eventId}\\) or bytes differ from those append batch #\\d+ signed at ingest`),
    );
    expect(v.out).toMatch(new RegExp(`FAIL  events .*\\(event ${eventId}\\): raw record \\d+'s events are not the ones signed at ingest`));
  });
});

describe("command line", () => {
  const cli = async (argv: string[]) => {
    let out = "";
    const code = await runCli({ argv, commands, io: { out: (t) => (out += `${t}\n`), err: (t) => (out += `${t}\n`) } });
    return { code, out };
  };

  it("exports a case by number to a file and verifies the zip, and a tampered folder fails", async () => {
    const file = path.join(tmp, "cli.zip");
    const ex = await cli(["export", String(caseNumber), "--out", file]);
    expect(ex.code, ex.out).toBe(0);
    expect(ex.out).toContain(`Exported case #${caseNumber} to ${file}`);
    expect(fs.existsSync(`${file}.partial`)).toBe(false);
    const ok = await cli(["verify-export", file]);
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out).toContain(`VERIFIED: every check passed, signed by the expected key ${installationKey()}`);

    const dir = copyPkg("cli-tampered");
    fs.appendFileSync(path.join(dir, "case.json"), " ");
    const bad = await cli(["verify-export", dir]);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain("case.json: SHA-256");
  });

  it("records the export under the operating-system user and host, refuses --as, and an unknown case", async () => {
    const file = path.join(tmp, "cli-os-user.zip");
    const ex = await cli(["export", String(caseNumber), "--out", file]);
    expect(ex.code, ex.out).toBe(0);
    const who = `cli:${os.userInfo().username}@${os.hostname()}`;
    expect(ex.out).toContain(`as ${who}.`);
    const h = await pool().query<{ actorId: string | null; actorLabel: string }>(
      `SELECT "actorId", "actorLabel" FROM case_activity WHERE "caseId" = $1 AND action = 'exported' ORDER BY id DESC LIMIT 1`,
      [caseId],
    );
    expect(h.rows[0]).toEqual({ actorId: null, actorLabel: who });
    const a = await pool().query<{ actorId: string | null; actorEmail: string }>(
      `SELECT "actorId", "actorEmail" FROM audit_log WHERE action = 'case.exported' ORDER BY id DESC LIMIT 1`,
    );
    expect(a.rows[0]).toEqual({ actorId: null, actorEmail: who });

    for (const as of [["--as", actor.email], [`--as=${actor.email}`]]) {
      const r = await cli(["export", String(caseNumber), "--out", path.join(tmp, "x.zip"), ...as]);
      expect(r.code).toBe(2);
      expect(r.out).toContain("--as is no longer accepted: an export from the command line is recorded under the operating-system user");
    }
    const none = await cli(["export", "424242", "--out", path.join(tmp, "y.zip")]);
    expect(none.code).toBe(1);
    expect(none.out).toContain("No case 424242");
    expect(fs.existsSync(path.join(tmp, "x.zip"))).toBe(false);
  });
});
