import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { checkpointNote, checkpointNoteHash, verifyCheckpointSignature } from "./checkpoint-note";
import { checkpointFieldsFromJson, checkpointToJson } from "./checkpoint-row";
import { createCheckpoint } from "./create-checkpoint";
import { EMPTY_TREE_HASH, MerkleTree } from "./merkle";
import { listCheckpoints } from "./list-checkpoints";
import { loadOrCreateSigningKey, type SigningKey } from "./signing-key";
import { append, createTestSource } from "./test-helpers";
import { verifyLedger } from "./verify-ledger";

const run = promisify(execFile);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sessionproof-cp-"));
process.env.SESSIONPROOF_DATA_DIR = dataDir;
delete process.env.SESSIONPROOF_LEDGER_PRIVATE_KEY;

let key: SigningKey;
let source: string;

async function storedLeafHashes(): Promise<Buffer[]> {
  const r = await pool().query<{ h: Buffer }>(`SELECT r."leafHash" AS h FROM raw_record r ORDER BY r."leafIndex"`);
  return r.rows.map((x) => x.h);
}

const scratch: string[] = [dataDir];
beforeAll(async () => {
  key = await loadOrCreateSigningKey({ dataDir });
  source = await createTestSource();
});
afterAll(() => {
  for (const d of scratch) fs.rmSync(d, { recursive: true, force: true });
});

describe("checkpointNote", () => {
  it("is the exact text note: version, size, base64 root, ISO time, each ending in LF", () => {
    const note = checkpointNote({ treeSize: 42, rootHash: Buffer.alloc(32, 0xab), createdAt: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 67)) });
    expect(note.toString("utf8")).toBe(
      "sessionproof-checkpoint/v1\n42\nq6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=\n2026-01-02T03:04:05.067Z\n",
    );
  });
});

describe("checkpointNote, version 2", () => {
  it("adds the sequence number, the previous note's hash and the batch count, each on a labelled line", () => {
    const note = checkpointNote({
      noteVersion: 2,
      seq: 7,
      treeSize: 42,
      rootHash: Buffer.alloc(32, 0xab),
      createdAt: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 67)),
      previousHash: Buffer.alloc(32, 0x01),
      batches: 5,
    });
    expect(note.toString("utf8")).toBe(
      "sessionproof-checkpoint/v2\nseq 7\nsize 42\nroot q6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=\ntime 2026-01-02T03:04:05.067Z\n" +
        "previous AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=\nbatches 5\n",
    );
    expect(
      checkpointNote({
        noteVersion: 2,
        seq: 1,
        treeSize: 0,
        rootHash: EMPTY_TREE_HASH,
        createdAt: new Date(0),
        previousHash: null,
        batches: 0,
      }).toString("utf8"),
    ).toMatch(/\nprevious none\nbatches 0\n$/);
  });
});

describe("checkpointNote, version 3", () => {
  it("adds the signing key's id and fingerprint as its last line; versions 1 and 2 stay as they were signed", () => {
    const fp = "3f".repeat(32);
    const fields = {
      seq: 7,
      treeSize: 42,
      rootHash: Buffer.alloc(32, 0xab),
      createdAt: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 67)),
      previousHash: Buffer.alloc(32, 0x01),
      batches: 5,
      keyFingerprint: fp,
    };
    expect(checkpointNote({ ...fields, noteVersion: 3 }).toString("utf8")).toBe(
      "sessionproof-checkpoint/v3\nseq 7\nsize 42\nroot q6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=\ntime 2026-01-02T03:04:05.067Z\n" +
        `previous AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=\nbatches 5\nkey ${fp.slice(0, 16)} ${fp}\n`,
    );
    expect(checkpointNote({ ...fields, noteVersion: 2 }).toString("utf8")).not.toContain("key");
    expect(() => checkpointNote({ ...fields, noteVersion: 3, keyFingerprint: "SHA256:abc" })).toThrow(/bad key fingerprint/);
  });
});

describe("createCheckpoint", () => {
  it("signs the empty tree once, then returns the same checkpoint while nothing is appended", async () => {
    const first = await createCheckpoint({});
    expect(first).toMatchObject({ created: true, treeSize: 0, keyFingerprint: key.fingerprint });
    expect(first.rootHash.equals(EMPTY_TREE_HASH)).toBe(true);
    const again = await createCheckpoint({});
    expect(again).toMatchObject({ created: false, id: first.id, treeSize: 0 });
  });

  it("covers every leaf appended so far, with the RFC 9162 root, a millisecond timestamp and a valid signature", async () => {
    await append(source, ["a", "b", "c", "d", "e"]);
    const cp = await createCheckpoint({});
    expect(cp.created).toBe(true);
    expect(cp.treeSize).toBe(5);
    expect(cp.rootHash.equals(MerkleTree.fromLeafHashes(await storedLeafHashes()).root())).toBe(true);
    expect(verifyCheckpointSignature(cp, key.publicKey)).toBe(true);
    const row = await pool().query(`SELECT "createdAt" FROM ledger_checkpoint WHERE id = $1`, [cp.id]);
    expect((row.rows[0].createdAt as Date).toISOString()).toBe(cp.createdAt.toISOString());
    expect(checkpointToJson(cp).note).toBe(checkpointNote(cp).toString("utf8"));
  });

  it("can be checked with openssl alone (pkeyutl -verify -rawin)", async () => {
    const cp = await createCheckpoint({});
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sessionproof-openssl-"));
    scratch.push(dir);
    const files = { pub: path.join(dir, "pub.pem"), note: path.join(dir, "checkpoint.txt"), sig: path.join(dir, "checkpoint.sig") };
    fs.writeFileSync(files.pub, key.publicKeyPem);
    fs.writeFileSync(files.note, checkpointNote(cp));
    fs.writeFileSync(files.sig, cp.signature);
    const args = ["pkeyutl", "-verify", "-pubin", "-inkey", files.pub, "-rawin", "-in", files.note, "-sigfile", files.sig];
    const ok = await run("openssl", args);
    expect(ok.stdout).toMatch(/Signature Verified Successfully/);

    // One changed character in the note (the tree size) and openssl refuses it.
    fs.writeFileSync(files.note, checkpointNote({ ...cp, treeSize: cp.treeSize + 1 }));
    await expect(run("openssl", args)).rejects.toMatchObject({ code: 1 });
  });

  it("takes turns: concurrent calls never sign the same size twice", async () => {
    await append(source, ["f", "g"]);
    const results = await Promise.all([createCheckpoint({}), createCheckpoint({}), createCheckpoint({})]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    const sizes = await pool().query<{ treeSize: string }>(`SELECT "treeSize"::text AS "treeSize" FROM ledger_checkpoint`);
    const list = sizes.rows.map((r) => r.treeSize);
    expect(new Set(list).size).toBe(list.length);
  });

  it("keeps working past checkpoint 9 (ids compared as numbers, not text) and the ledger verifies", async () => {
    for (let i = 0; i < 12; i++) {
      await append(source, [`more ${i}`]);
      const cp = await createCheckpoint({});
      expect(cp.created).toBe(true);
    }
    const last = await createCheckpoint({});
    expect(last.created).toBe(false);
    const leaves = await storedLeafHashes();
    expect(last.treeSize).toBe(leaves.length);
    expect(last.rootHash.equals(MerkleTree.fromLeafHashes(leaves).root())).toBe(true);
    const report = await verifyLedger({});
    expect(report.errors).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.latestCheckpoint?.id).toBe(last.id);
  });

  it("numbers checkpoints 1, 2, 3, ... each naming its predecessor's note and counting the append batches", async () => {
    const all = await listCheckpoints({});
    expect(all.length).toBeGreaterThan(10);
    all.forEach((cp, i) => {
      expect(cp.seq).toBe(i + 1);
      // Version 3 since the note names its key (checkpoint-note.ts).
      expect(cp.noteVersion).toBe(3);
      expect(cp.note.endsWith(`\nkey ${key.keyId} ${key.fingerprint}\n`)).toBe(true);
      expect(cp.keyId).toBe(key.keyId);
      expect(cp.previousHash).toBe(i === 0 ? null : checkpointNoteHash(checkpointFieldsFromJson(all[i - 1])).toString("hex"));
      expect(verifyCheckpointSignature(checkpointFieldsFromJson(cp), key.publicKey)).toBe(true);
    });
    const batches = await pool().query<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_batch`);
    expect(all[all.length - 1].batches).toBe(batches.rows[0].n);
  });

  it("agrees with a full recomputation across many sizes once the subtree cache is warm", async () => {
    const tree = async () => MerkleTree.fromLeafHashes(await storedLeafHashes());
    for (const batch of [1500, 1, 1023, 700]) {
      await append(
        source,
        Array.from({ length: batch }, (_, i) => `bulk ${batch} ${i}`),
      );
      const cp = await createCheckpoint({});
      expect(cp.rootHash.toString("hex")).toBe((await tree()).root().toString("hex"));
    }
  });
});
