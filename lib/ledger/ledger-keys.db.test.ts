import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { commands } from "@/lib/cli/registry";
import { runCli } from "@/lib/cli/run-cli";
import { checkpointNote } from "./checkpoint-note";
import { getConsistencyProof } from "./consistency-proofs";
import { createCheckpoint } from "./create-checkpoint";
import { loadKeyRing, rotationNote } from "./ledger-keys";
import { verifyConsistency } from "./merkle";
import { getPublicKey } from "./public-key";
import { KEY_ENV, KEY_FILE, loadOrCreateSigningKey } from "./signing-key";
import { append, createTestSource } from "./test-helpers";
import { verifyLedger } from "./verify-ledger";
import { ownerUrl } from "@/test/owner-db";
import pg from "pg";

// Key rotation (`ledger rotate-key`): the old public key stays, vouched for the new one in a statement signed by
// both; checkpoints and append batches chain across the rotation and `ledger verify` reports which key signed which
// checkpoints; a key added without the old key's signature is refused. And consistency proofs between checkpoints.

delete process.env[KEY_ENV];
let source: string;

const cli = async (...argv: string[]) => {
  let out = "";
  const code = await runCli({ argv, commands, io: { out: (t) => (out += `${t}\n`), err: (t) => (out += `${t}\n`) } });
  return { code, out };
};

beforeAll(async () => {
  await loadOrCreateSigningKey();
  source = await createTestSource();
});

describe("the signing key's id and fingerprint", () => {
  it("are served for Settings and the API, and written into every new checkpoint note", async () => {
    const key = await loadOrCreateSigningKey();
    const info = await getPublicKey({});
    expect(info).toMatchObject({ algorithm: "Ed25519", keyId: key.fingerprint.slice(0, 16), fingerprint: key.fingerprint });
    expect(info.keys).toEqual([
      expect.objectContaining({ seq: 1, fingerprint: key.fingerprint, afterCheckpoint: 0, untilCheckpoint: null }),
    ]);
    await append(source, ["a", "b"]);
    const cp = await createCheckpoint();
    expect(cp.noteVersion).toBe(3);
    expect(checkpointNote(cp).toString("utf8")).toMatch(new RegExp(`\nkey ${key.keyId} ${key.fingerprint}\n$`));
    const printed = await cli("ledger", "key");
    expect(printed.out).toContain(`Key id: ${key.keyId}`);
    expect(printed.out).toContain(`Fingerprint: ${key.fingerprint}`);
  });
});

describe("key rotation", () => {
  it("starts a new key; the checkpoints and batches chain across it and ledger verify reports which key signed which", async () => {
    const old = await loadOrCreateSigningKey();
    await append(source, ["c"]);
    const rotated = await cli("ledger", "rotate-key", "--json");
    expect(rotated.code, rotated.out).toBe(0);
    const r = JSON.parse(rotated.out.slice(rotated.out.indexOf("{")));
    expect(r.previous.fingerprint).toBe(old.fingerprint);
    const fresh = await loadOrCreateSigningKey();
    expect(r.current.fingerprint).toBe(fresh.fingerprint);
    expect(fresh.fingerprint).not.toBe(old.fingerprint);
    expect(fs.existsSync(r.retiredKeyFile)).toBe(true);
    expect(fs.statSync(path.join(process.env.SESSIONPROOF_DATA_DIR!, KEY_FILE)).mode & 0o777).toBe(0o600);

    // Batches and checkpoints after the rotation are the new key's; the ring says where the old key's range ends.
    await append(source, ["d", "e"]);
    const after = await createCheckpoint();
    expect(after.keyFingerprint).toBe(fresh.fingerprint);
    const batch = await pool().query<{ k: string }>(`SELECT "keyFingerprint" AS k FROM ledger_batch ORDER BY seq DESC LIMIT 1`);
    expect(batch.rows[0].k).toBe(fresh.fingerprint);
    const ring = await loadKeyRing();
    expect(ring.problems).toEqual([]);
    expect(ring.keys.map((k) => [k.fingerprint, k.afterCheckpoint, k.untilCheckpoint])).toEqual([
      [old.fingerprint, 0, r.previous.lastCheckpoint],
      [fresh.fingerprint, r.previous.lastCheckpoint, null],
    ]);
    expect((await getPublicKey({})).keys).toHaveLength(2);

    const report = await verifyLedger();
    expect(report.errors).toEqual([]);
    expect(report.keys.map((k) => k.fingerprint)).toEqual([old.fingerprint, fresh.fingerprint]);
    const v = await cli("ledger", "verify");
    expect(v.code, v.out).toBe(0);
    expect(v.out).toContain("Key rotations: 1");
    expect(v.out).toContain(`key #1 ${old.keyId} signs checkpoints #1-#${r.previous.lastCheckpoint}`);
    expect(v.out).toContain(`key #2 ${fresh.keyId} signs checkpoints #${r.previous.lastCheckpoint + 1} on`);
  });

  it("refuses a key added without a rotation statement signed by the key before it", async () => {
    const owner = new pg.Client({ connectionString: ownerUrl() });
    await owner.connect();
    try {
      const ring = await loadKeyRing();
      const newest = ring.newest!;
      const { privateKey, publicKey } = crypto.generateKeyPairSync("ed25519");
      const pem = publicKey.export({ type: "spki", format: "pem" }).toString();
      const fp = crypto
        .createHash("sha256")
        .update(publicKey.export({ type: "spki", format: "der" }))
        .digest("hex");
      const createdAt = new Date();
      const last = await pool().query<{ s: string }>(`SELECT MAX(seq)::text AS s FROM ledger_checkpoint`);
      const note = rotationNote({ from: newest.fingerprint, to: fp, afterCheckpoint: Number(last.rows[0].s), createdAt });
      // Signed by the attacker's key only (they do not hold the ledger's key).
      const sig = crypto.sign(null, note, privateKey);
      await owner.query("BEGIN");
      await owner.query(
        `INSERT INTO ledger_key (seq, fingerprint, "publicKeyPem", "createdAt", "afterCheckpoint", "rotationNote", "previousKeySignature", "newKeySignature")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
        [newest.seq + 1, fp, pem, createdAt, Number(last.rows[0].s), note.toString("utf8"), sig],
      );
      const forged = await loadKeyRing({ client: owner, publicKeyPem: pem });
      expect(forged.problems.join("\n")).toContain(`is not signed by the previous key ${newest.keyId} (the key was added, not rotated)`);
      await owner.query("ROLLBACK");
    } finally {
      await owner.end();
    }
  });
});

describe("consistency proofs between checkpoints", () => {
  it("prove an earlier checkpoint extends to a later one, and fail for a forged earlier root", async () => {
    const cps = await pool().query<{ n: string }>(`SELECT "treeSize"::text AS n FROM ledger_checkpoint ORDER BY seq`);
    const sizes = cps.rows.map((r) => Number(r.n));
    const p = await getConsistencyProof({ from: sizes[1] });
    expect(p.fromSize).toBe(sizes[1]);
    expect(p.toSize).toBe(sizes[sizes.length - 1]);
    const check = (firstRoot: Buffer) =>
      verifyConsistency({
        firstSize: p.fromSize,
        secondSize: p.toSize,
        firstRoot,
        secondRoot: Buffer.from(p.to.rootHash, "hex"),
        proof: p.proof.map((h) => Buffer.from(h, "hex")),
      });
    expect(check(Buffer.from(p.from.rootHash, "hex"))).toBe(true);
    const forged = Buffer.from(p.from.rootHash, "hex");
    forged[0] ^= 1;
    expect(check(forged)).toBe(false);
    await expect(getConsistencyProof({ from: 999_999 })).rejects.toMatchObject({ code: "VALIDATION" });
    await expect(getConsistencyProof({ from: sizes[1] + 1000, to: sizes[1] + 1000 })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
