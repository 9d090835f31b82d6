import { spawnSync } from "node:child_process";
import fs from "node:fs";
import net, { type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCaseItem } from "@/lib/cases/add-case-item";
import { createCase } from "@/lib/cases/create-case";
import { addItemInput, createCaseInput } from "@/lib/cases/types";
import { pool } from "@/lib/db";
import { createCheckpoint } from "@/lib/ledger/create-checkpoint";
import { expectAppError, seedCorrelated, seedUser } from "@/test/factories";
import { timestampCheckpoint, type TsaConfig } from "./checkpoint-timestamp";
import { prepareCaseExport, writeCaseExport, type ExportResult } from "./export-case";
import { extractPackage } from "./extract-package";
import { makeTsaCertificates, startTestTsa, tsaReplyFor, type TestTsa } from "./test-tsa";

// Trusted time: a local RFC 3161 TSA (openssl ts -reply behind a tiny HTTP server, with a throwaway CA) stamps the
// export's checkpoint; verify.mjs --tsa-cert checks the token's imprint (node) and signature (openssl ts -verify).

const VERIFIER = path.resolve("lib/export/verify.mjs");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sessionproof-tsa-test-"));
let tsa: TestTsa;
let caseId: string;
let ctx: Awaited<ReturnType<typeof seedUser>>["ctx"];

const config = (url: string, required = false): TsaConfig => ({ url, required, timeoutMs: 5_000 });
const verify = (dir: string, ...args: string[]) => {
  const r = spawnSync(process.execPath, [VERIFIER, dir, ...args], { encoding: "utf8" });
  return { code: r.status, out: `${r.stdout}${r.stderr}`, line: r.stdout.split("\n").find((l) => / timestamp /.test(l)) ?? "" };
};

async function exportTo(name: string, tsaConfig: TsaConfig): Promise<{ dir: string; result: ExportResult }> {
  const prepared = await prepareCaseExport({ caseId, tsa: tsaConfig });
  const zip = path.join(tmp, `${name}.zip`);
  const result = await writeCaseExport({ ctx, prepared, output: fs.createWriteStream(zip) });
  return { dir: await extractPackage({ zipPath: zip, dir: path.join(tmp, name) }), result };
}

let stamped: { dir: string; result: ExportResult };

beforeAll(async () => {
  tsa = await startTestTsa(path.join(tmp, "tsa"));
  await seedCorrelated([["okta", "okta-system-log-page.json"]]);
  const analyst = await seedUser("analyst");
  ctx = analyst.ctx;
  const s = await pool().query<{ id: string }>(`SELECT id FROM session ORDER BY "eventCount" DESC, id LIMIT 1`);
  caseId = (await createCase({ ctx, input: createCaseInput.parse({ title: "Trusted time" }) })).id;
  await addCaseItem({ ctx, caseId, input: addItemInput.parse({ itemType: "session", refId: s.rows[0].id }) });
  stamped = await exportTo("stamped", config(tsa.url));
}, 120_000);

afterAll(async () => {
  await tsa?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("a configured TSA", () => {
  it("stamps the checkpoint note; the token ships as proofs/checkpoint.tsr and verifies with the TSA's CA or its own certificate", async () => {
    expect(stamped.result.timestamp.status).toBe("stamped");
    expect(fs.existsSync(path.join(stamped.dir, "proofs/checkpoint.tsr"))).toBe(true);
    const manifest = JSON.parse(fs.readFileSync(path.join(stamped.dir, "manifest.json"), "utf8"));
    expect(manifest.timestamp).toMatchObject({ status: "stamped", tsaUrl: tsa.url, file: "proofs/checkpoint.tsr" });
    expect(fs.readFileSync(path.join(stamped.dir, "README.md"), "utf8")).toContain("--tsa-cert tsa.pem");

    for (const cert of [tsa.caCert, tsa.tsaCert]) {
      const v = verify(stamped.dir, "--tsa-cert", cert);
      expect(v.code, v.out).toBe(0);
      expect(v.line).toMatch(/^PASS {2}timestamp\s+.*is for checkpoint\.txt .*signed by the TSA of .*openssl ts -verify/);
    }
    // Without the certificate: the imprint is checked, and the line says the signature was not.
    const unchecked = verify(stamped.dir);
    expect(unchecked.code, unchecked.out).toBe(0);
    expect(unchecked.line).toContain("its signature was NOT checked: run again with --tsa-cert");
    // openssl itself agrees, with the command the README gives.
    const o = spawnSync("openssl", ["ts", "-verify", "-in", "proofs/checkpoint.tsr", "-data", "checkpoint.txt", "-CAfile", tsa.caCert], {
      cwd: stamped.dir,
      encoding: "utf8",
    });
    expect(o.stdout).toContain("Verification: OK");
  });

  it("keeps the token with the checkpoint and reuses it for the same checkpoint", async () => {
    const checkpoint = await createCheckpoint();
    const first = await timestampCheckpoint({ checkpoint, tsa: config(tsa.url) });
    const asked = tsa.queries;
    const again = await timestampCheckpoint({ checkpoint, tsa: config(tsa.url) });
    expect(again).toMatchObject({ status: "stamped", reused: true });
    expect(tsa.queries).toBe(asked);
    if (first.status !== "stamped" || again.status !== "stamped") throw new Error("not stamped");
    expect(again.reply.equals(first.reply)).toBe(true);
    const rows = await pool().query(`SELECT 1 FROM checkpoint_timestamp WHERE "checkpointSeq" = $1`, [checkpoint.seq]);
    expect(rows.rowCount).toBe(1);
  });

  it("a token for another note fails, naming the imprint", () => {
    const dir = path.join(tmp, "other-note");
    fs.cpSync(stamped.dir, dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "proofs/checkpoint.tsr"), tsaReplyFor(tsa.dir, Buffer.from("sessionproof-checkpoint/v2\nseq 1\n")));
    const v = verify(dir, "--tsa-cert", tsa.caCert);
    expect(v.code).toBe(1);
    expect(v.line).toMatch(
      /^FAIL {2}timestamp\s+proofs\/checkpoint\.tsr: the token's message imprint [0-9a-f]{64} is not the SHA-256 of checkpoint\.txt .* another note/,
    );
    // Also without the certificate: the imprint check is plain node.
    expect(verify(dir).line).toMatch(/^FAIL {2}timestamp\s+.*another note/);
  });

  it("another TSA's certificate fails", () => {
    const other = makeTsaCertificates(path.join(tmp, "other-tsa"), "Other");
    for (const cert of [other.caCert, other.tsaCert]) {
      const v = verify(stamped.dir, "--tsa-cert", cert);
      expect(v.code, v.out).toBe(1);
      expect(v.line).toMatch(/^FAIL {2}timestamp\s+proofs\/checkpoint\.tsr: the token is not signed by the TSA of /);
    }
  });

  it("--tsa-cert without openssl on the PATH fails and says why", () => {
    const r = spawnSync(process.execPath, [VERIFIER, stamped.dir, "--tsa-cert", tsa.caCert], {
      encoding: "utf8",
      env: { ...process.env, PATH: "/nonexistent" },
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(
      /FAIL {2}timestamp\s+--tsa-cert: the token's signature is checked with OpenSSL .* could not be run .*install OpenSSL/,
    );
  });
});

describe("an unreachable TSA", () => {
  // A port that was free a moment ago: nothing listens there.
  let dead: string;
  beforeAll(async () => {
    const s = net.createServer();
    await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
    dead = `http://127.0.0.1:${(s.address() as AddressInfo).port}/tsa`;
    await new Promise((resolve) => s.close(resolve));
  });

  it("exports without a token and says so in the package, the result and the case history; --tsa-cert then fails", async () => {
    const { dir, result } = await exportTo("unreachable", config(dead));
    expect(result.timestamp).toMatchObject({ status: "unavailable", tsaUrl: dead });
    expect(fs.existsSync(path.join(dir, "proofs/checkpoint.tsr"))).toBe(false);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
    expect(manifest.timestamp).toMatchObject({ status: "unavailable", tsaUrl: dead });
    expect(fs.readFileSync(path.join(dir, "README.md"), "utf8")).toContain("**No timestamp token.**");
    const h = await pool().query<{ after: { timestamp: string } }>(
      `SELECT after FROM case_activity WHERE "caseId" = $1 AND action = 'exported' ORDER BY id DESC LIMIT 1`,
      [caseId],
    );
    expect(h.rows[0].after.timestamp).toMatch(
      /^WARNING: no trusted timestamp - the timestamp authority http:\/\/127\.0\.0\.1:\d+\/tsa failed: fetch failed/,
    );

    const plain = verify(dir);
    expect(plain.code, plain.out).toBe(0);
    expect(plain.line).toMatch(/^PASS {2}timestamp\s+WARNING: no trusted timestamp: the timestamp authority .* failed at export/);
    const pinned = verify(dir, "--tsa-cert", tsa.caCert);
    expect(pinned.code).toBe(1);
    expect(pinned.line).toMatch(/^FAIL {2}timestamp\s+proofs\/checkpoint\.tsr: missing - the package has no trusted timestamp/);
  });

  it("fails the export instead when SESSIONPROOF_TSA_REQUIRED is set", async () => {
    await expectAppError(
      prepareCaseExport({ caseId, tsa: config(dead, true) }),
      "INTERNAL",
      /SESSIONPROOF_TSA_REQUIRED is set, so no package was made/,
    );
  });
});
