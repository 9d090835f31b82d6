import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { signCheckpoint } from "./checkpoint-note";
import { createCheckpoint } from "./create-checkpoint";
import { MerkleTree } from "./merkle";
import { loadOrCreateSigningKey, publicKeyFingerprint } from "./signing-key";
import { append, createTestSource } from "./test-helpers";
import { verifyLedger, type LedgerReport } from "./verify-ledger";
import { ownerUrl } from "@/test/owner-db";

// The ledger's promises, attacked directly in PostgreSQL. The triggers stop ordinary UPDATE/DELETE; an attacker
// with superuser rights can switch them off (session_replication_role = replica), and then verifyLedger, and the
// `ledger verify` command, must still notice, naming the first bad record or checkpoint.

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sessionproof-verify-"));
process.env.SESSIONPROOF_DATA_DIR = dataDir;
delete process.env.SESSIONPROOF_LEDGER_PRIVATE_KEY;
const exec = promisify(execFile);

type Rec = { id: string; leafIndex: number };
let records: Rec[] = [];
const checkpoints: string[] = [];
let attacker: pg.Client;

async function loadRecords(): Promise<Rec[]> {
  const r = await pool().query<{ id: string; leafIndex: string }>(
    `SELECT r.id::text AS id, r."leafIndex"::text AS "leafIndex" FROM raw_record r ORDER BY r."leafIndex"`,
  );
  return r.rows.map((x) => ({ id: x.id, leafIndex: Number(x.leafIndex) }));
}

/** Runs `ledger verify` as a child process against this test's database. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await exec("npx", ["tsx", "--import", "./scripts/server-only.mjs", "lib/cli/main.ts", "ledger", "verify", ...args], {
      cwd: path.resolve(import.meta.dirname, "../.."),
      env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL, SESSIONPROOF_DATA_DIR: dataDir, NODE_ENV: "test" },
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function expectSound(): Promise<LedgerReport> {
  const report = await verifyLedger({});
  expect(report.errors).toEqual([]);
  expect(report.ok).toBe(true);
  return report;
}

/** The tamper, the checks, then the repair (also behind the triggers' back), so each case starts sound. */
async function attack(
  tamper: () => Promise<unknown>,
  repair: () => Promise<unknown>,
  expectFirst: (report: LedgerReport) => void,
  cliShows: RegExp,
): Promise<void> {
  await tamper();
  try {
    const report = await verifyLedger({});
    expect(report.ok).toBe(false);
    expectFirst(report);
    const out = await cli();
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(cliShows);
  } finally {
    await repair();
  }
  await expectSound();
}

beforeAll(async () => {
  await loadOrCreateSigningKey({ dataDir });
  const source = await createTestSource();
  // Three batches, each followed by a checkpoint, then records no checkpoint covers yet.
  for (const [b, size] of [10, 7, 13].entries()) {
    await append(
      source,
      Array.from({ length: size }, (_, i) => JSON.stringify({ batch: b, i, actor: `user${i}@example.com` })),
    );
    checkpoints.push((await createCheckpoint({})).id);
  }
  await append(source, ["uncovered 1", "uncovered 2"]);
  records = await loadRecords();
  // Someone with the owner's or a superuser's rights: the app's own role cannot switch the triggers off.
  attacker = new pg.Client({ connectionString: ownerUrl() });
  await attacker.connect();
  await attacker.query("SET session_replication_role = replica");
});

afterAll(async () => {
  await attacker?.end();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("verifyLedger on a sound ledger", () => {
  it("passes, in small chunks too, and the CLI exits 0", async () => {
    const report = await expectSound();
    expect(report).toMatchObject({ leaves: 32, checkpoints: 3, batches: 4, unbatchedLegacy: 0, purged: 0, omittedErrors: 0 });
    expect(report.unsigned).toEqual({ fromLeaf: 30, leaves: 2 });
    expect((await verifyLedger({ chunkSize: 3 })).ok).toBe(true);
    const out = await cli();
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/OK: every record/);
    const json = await cli("--json");
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, leaves: 32, checkpoints: 3 });
  });

  it("checks signatures against a given public key: another key fails every append batch and checkpoint", async () => {
    const other = crypto.generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "pem" }).toString();
    const report = await verifyLedger({ publicKeyPem: other });
    expect(report.ok).toBe(false);
    expect(report.errors.map((e) => e.kind)).toEqual([
      ...Array(4).fill("batch-key-mismatch"),
      "checkpoint-key-mismatch",
      "checkpoint-key-mismatch",
      "checkpoint-key-mismatch",
    ]);
  });

  it("reports checkpoints it cannot check when no signing key is available", async () => {
    const file = path.join(dataDir, "ledger-signing-key.pem");
    fs.renameSync(file, `${file}.away`);
    try {
      const report = await verifyLedger({});
      expect(report.errors).toEqual([expect.objectContaining({ kind: "checkpoint-key-missing", checkpointId: checkpoints[0] })]);
      expect(report.keyFingerprint).toBeNull();
    } finally {
      fs.renameSync(`${file}.away`, file);
    }
  });
});

describe("the database triggers", () => {
  const refused = { code: "42501" };

  it("refuse UPDATE, DELETE and TRUNCATE of raw records", async () => {
    const id = records[3].id;
    await expect(pool().query(`UPDATE raw_record SET "fileName" = 'x' WHERE id = $1`, [id])).rejects.toMatchObject(refused);
    await expect(pool().query(`UPDATE raw_record SET payload = '\\x00' WHERE id = $1`, [id])).rejects.toMatchObject(refused);
    await expect(pool().query(`UPDATE raw_record SET "leafHash" = "contentHash" WHERE id = $1`, [id])).rejects.toMatchObject(refused);
    await expect(pool().query(`DELETE FROM raw_record WHERE id = $1`, [id])).rejects.toMatchObject(refused);
    await expect(pool().query(`TRUNCATE raw_record CASCADE`)).rejects.toMatchObject(refused);
    // A purge that also changes something else is not a purge.
    await expect(
      pool().query(`UPDATE raw_record SET payload = NULL, "purgedAt" = now(), position = position + 1 WHERE id = $1`, [id]),
    ).rejects.toMatchObject(refused);
    await expectSound();
  });

  it("refuse UPDATE, DELETE and TRUNCATE of checkpoints", async () => {
    const id = checkpoints[1];
    await expect(pool().query(`UPDATE ledger_checkpoint SET "treeSize" = 1 WHERE id = $1`, [id])).rejects.toMatchObject(refused);
    await expect(pool().query(`DELETE FROM ledger_checkpoint WHERE id = $1`, [id])).rejects.toMatchObject(refused);
    await expect(pool().query(`TRUNCATE ledger_checkpoint`)).rejects.toMatchObject(refused);
  });

  it("allow the retention purge (payload cleared, purgedAt set), after which the ledger still verifies", async () => {
    const victim = records[4];
    await pool().query(`UPDATE raw_record SET payload = NULL, "purgedAt" = now() WHERE id = $1`, [victim.id]);
    const report = await expectSound();
    expect(report.purged).toBe(1);
    // Once purged, it stays purged.
    await expect(
      pool().query(`UPDATE raw_record SET payload = '\\x01', "purgedAt" = NULL WHERE id = $1`, [victim.id]),
    ).rejects.toMatchObject({
      code: "42501",
    });
    expect((await cli()).code).toBe(0);
  });
});

describe("tampering behind the triggers' back", () => {
  it("a changed payload byte names that record", async () => {
    const victim = records[6];
    const before = (await pool().query<{ payload: Buffer }>(`SELECT payload FROM raw_record WHERE id = $1`, [victim.id])).rows[0].payload;
    const changed = Buffer.from(before);
    changed[3] ^= 0x20;
    await attack(
      () => attacker.query(`UPDATE raw_record SET payload = $2 WHERE id = $1`, [victim.id, changed]),
      () => attacker.query(`UPDATE raw_record SET payload = $2 WHERE id = $1`, [victim.id, before]),
      (r) => expect(r.errors[0]).toMatchObject({ kind: "content-hash-mismatch", rawRecordId: victim.id, leafIndex: victim.leafIndex }),
      new RegExp(`First bad raw record: ${victim.id} \\(leaf ${victim.leafIndex}\\)`),
    );
  });

  it("a changed leaf hash names that record (and the checkpoints covering it then fail too)", async () => {
    const victim = records[12];
    const before = (await pool().query<{ leafHash: Buffer }>(`SELECT "leafHash" FROM raw_record WHERE id = $1`, [victim.id])).rows[0]
      .leafHash;
    await attack(
      () => attacker.query(`UPDATE raw_record SET "leafHash" = $2 WHERE id = $1`, [victim.id, crypto.randomBytes(32)]),
      () => attacker.query(`UPDATE raw_record SET "leafHash" = $2 WHERE id = $1`, [victim.id, before]),
      (r) => {
        expect(r.errors[0]).toMatchObject({ kind: "leaf-hash-mismatch", rawRecordId: victim.id });
        expect(r.errors.filter((e) => e.kind === "checkpoint-root-mismatch").map((e) => e.checkpointId)).toEqual(checkpoints.slice(1));
      },
      new RegExp(`First bad raw record: ${victim.id} `),
    );
  });

  it("a deleted record is found as a gap, and named", async () => {
    const victim = records[15];
    const saved = (await pool().query(`SELECT * FROM raw_record WHERE id = $1`, [victim.id])).rows[0] as Record<string, unknown>;
    const cols = Object.keys(saved);
    await attack(
      () => attacker.query(`DELETE FROM raw_record WHERE id = $1`, [victim.id]),
      () =>
        attacker.query(
          `INSERT INTO raw_record (${cols.map((c) => `"${c}"`).join(", ")}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(", ")})`,
          cols.map((c) => saved[c]),
        ),
      (r) => expect(r.errors[0]).toMatchObject({ kind: "leaf-index-gap", rawRecordId: victim.id, leafIndex: victim.leafIndex }),
      new RegExp(`First bad raw record: ${victim.id} \\(leaf ${victim.leafIndex}\\)`),
    );
  });

  it("two records swapped in the order (leaf indices exchanged) are found, the earlier position first", async () => {
    const [a, b] = [records[3], records[8]];
    const swap = async (x: Rec, y: Rec) => {
      await attacker.query(`UPDATE raw_record SET "leafIndex" = -1 WHERE id = $1`, [x.id]);
      await attacker.query(`UPDATE raw_record SET "leafIndex" = $2 WHERE id = $1`, [y.id, x.leafIndex]);
      await attacker.query(`UPDATE raw_record SET "leafIndex" = $2 WHERE id = $1`, [x.id, y.leafIndex]);
    };
    await attack(
      () => swap(a, b),
      () => swap({ ...a, leafIndex: b.leafIndex }, { ...b, leafIndex: a.leafIndex }),
      (r) => {
        // b now sits at a's leaf: it is the first record out of place; a, now at b's leaf, is the second. Each
        // differs from the leaf hash its append batch signed for that position.
        const order = r.errors.filter((e) => e.kind === "leaf-order");
        expect(order[0]).toMatchObject({ rawRecordId: b.id, leafIndex: a.leafIndex });
        expect(order[1]).toMatchObject({ rawRecordId: a.id, leafIndex: b.leafIndex });
        expect(r.errors[0]).toMatchObject({ kind: "batch-leaf-mismatch", rawRecordId: b.id, leafIndex: a.leafIndex });
        expect(r.errors.filter((e) => e.kind === "batch-leaf-mismatch").map((e) => e.rawRecordId)).toEqual([b.id, a.id]);
        expect(r.errors.some((e) => e.kind === "checkpoint-root-mismatch")).toBe(true);
      },
      new RegExp(`First bad raw record: ${b.id} \\(leaf ${a.leafIndex}\\)`),
    );
  });

  it("a changed checkpoint root hash names that checkpoint", async () => {
    const id = checkpoints[1];
    const before = (await pool().query<{ rootHash: Buffer }>(`SELECT "rootHash" FROM ledger_checkpoint WHERE id = $1`, [id])).rows[0]
      .rootHash;
    const changed = Buffer.from(before);
    changed[0] ^= 1;
    await attack(
      () => attacker.query(`UPDATE ledger_checkpoint SET "rootHash" = $2 WHERE id = $1`, [id, changed]),
      () => attacker.query(`UPDATE ledger_checkpoint SET "rootHash" = $2 WHERE id = $1`, [id, before]),
      (r) => {
        expect(r.errors[0]).toMatchObject({ checkpointId: id });
        expect(r.errors.map((e) => e.kind)).toEqual(["checkpoint-signature-invalid", "checkpoint-root-mismatch"]);
        expect(r.errors.every((e) => e.checkpointId === id)).toBe(true);
      },
      new RegExp(`First bad checkpoint: ${id}\\n`),
    );
  });

  it("a changed signature byte names that checkpoint", async () => {
    const id = checkpoints[2];
    const before = (await pool().query<{ signature: Buffer }>(`SELECT signature FROM ledger_checkpoint WHERE id = $1`, [id])).rows[0]
      .signature;
    const changed = Buffer.from(before);
    changed[40] ^= 0x80;
    await attack(
      () => attacker.query(`UPDATE ledger_checkpoint SET signature = $2 WHERE id = $1`, [id, changed]),
      () => attacker.query(`UPDATE ledger_checkpoint SET signature = $2 WHERE id = $1`, [id, before]),
      (r) => expect(r.errors).toEqual([expect.objectContaining({ kind: "checkpoint-signature-invalid", checkpointId: id })]),
      new RegExp(`First bad checkpoint: ${id}\\n`),
    );
  });

  it("a forged checkpoint signed by another key is named, whichever fingerprint it claims", async () => {
    const forger = crypto.generateKeyPairSync("ed25519");
    const real = await loadOrCreateSigningKey({ dataDir });
    const leaves = (await pool().query<{ h: Buffer }>(`SELECT r."leafHash" AS h FROM raw_record r ORDER BY r."leafIndex"`)).rows.map(
      (x) => x.h,
    );
    // A correct root over every record, so only the signature can give it away.
    const fields = { treeSize: leaves.length, rootHash: MerkleTree.fromLeafHashes(leaves).root(), createdAt: new Date() };
    const signature = signCheckpoint(fields, forger.privateKey);
    for (const [claimed, kind] of [
      [publicKeyFingerprint(forger.publicKey), "checkpoint-key-mismatch"],
      [real.fingerprint, "checkpoint-signature-invalid"],
    ] as const) {
      let forgedId = "";
      await attack(
        async () => {
          const r = await attacker.query<{ id: string }>(
            `INSERT INTO ledger_checkpoint (seq, "treeSize", "rootHash", "createdAt", signature, "keyFingerprint")
             VALUES ((SELECT MAX(seq) + 1 FROM ledger_checkpoint), $1, $2, $3, $4, $5) RETURNING id::text AS id`,
            [fields.treeSize, fields.rootHash, fields.createdAt, signature, claimed],
          );
          forgedId = r.rows[0].id;
        },
        () => attacker.query(`DELETE FROM ledger_checkpoint WHERE id = $1`, [forgedId]),
        (r) => expect(r.errors).toEqual([expect.objectContaining({ kind, checkpointId: forgedId })]),
        /First bad checkpoint: \d+\n/,
      );
    }
  });

  it("records cut from the end are caught by the append batch and the checkpoints that covered them", async () => {
    const covered = records.slice(0, 30);
    const tail = records.slice(28); // the last two covered records and the two uncovered ones
    const saved = (await pool().query(`SELECT * FROM raw_record WHERE id = ANY($1::bigint[])`, [tail.map((r) => r.id)])).rows as Record<
      string,
      unknown
    >[];
    await attacker.query(`DELETE FROM raw_record WHERE id = ANY($1::bigint[])`, [tail.map((r) => r.id)]);
    try {
      const report = await verifyLedger({});
      expect(report.leaves).toBe(covered.length - 2);
      // The batch that wrote the last covered records and the uncovered ones, then the checkpoint over them.
      expect(report.errors.map((e) => e.kind)).toEqual(["batch-beyond-ledger", "batch-beyond-ledger", "checkpoint-beyond-ledger"]);
      expect(report.errors[2]).toMatchObject({ checkpointId: checkpoints[2] });
    } finally {
      for (const row of saved) {
        const cols = Object.keys(row);
        await attacker.query(
          `INSERT INTO raw_record (${cols.map((c) => `"${c}"`).join(", ")}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(", ")})`,
          cols.map((c) => row[c]),
        );
      }
    }
    await expectSound();
  });
});
