import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { createCheckpoint, type CreatedCheckpoint } from "./create-checkpoint";
import { getInclusionProof } from "./get-inclusion-proof";
import { getInclusionProofs } from "./get-inclusion-proofs";
import { verifyInclusionProof, type InclusionProof } from "./inclusion-proof";
import { MerkleTree, leafHash } from "./merkle";
import { loadOrCreateSigningKey, type SigningKey } from "./signing-key";
import { append, createTestSource } from "./test-helpers";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sessionproof-proof-"));
process.env.SESSIONPROOF_DATA_DIR = dataDir;
delete process.env.SESSIONPROOF_LEDGER_PRIVATE_KEY;

let key: SigningKey;
let source: string;
let first: CreatedCheckpoint;
let second: CreatedCheckpoint;
let rows: { id: string; leafIndex: number; payload: Buffer; leafHash: Buffer }[];

async function loadRows() {
  const r = await pool().query<{ id: string; leafIndex: string; payload: Buffer; leafHash: Buffer }>(
    `SELECT r.id::text AS id, r."leafIndex"::text AS "leafIndex", r.payload, r."leafHash" FROM raw_record r ORDER BY r."leafIndex"`,
  );
  return r.rows.map((x) => ({ ...x, leafIndex: Number(x.leafIndex) }));
}

beforeAll(async () => {
  key = await loadOrCreateSigningKey({ dataDir });
  source = await createTestSource();
  // More than 2 x 1,024 leaves, so that the cached-subtree path is used and crossed.
  await append(
    source,
    Array.from({ length: 2600 }, (_, i) => `{"n":${i}}`),
  );
  first = await createCheckpoint({});
  await append(
    source,
    Array.from({ length: 901 }, (_, i) => `{"m":${i}}`),
  );
  second = await createCheckpoint({});
  await append(source, ["not yet covered"]);
  rows = await loadRows();
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe("getInclusionProof", () => {
  it("proves records against the latest checkpoint, equal to proofs from a full in-memory tree", async () => {
    const tree = MerkleTree.fromLeafHashes(rows.slice(0, second.treeSize).map((r) => r.leafHash));
    const sample = [0, 1, 2, 1023, 1024, 1025, 2047, 2048, 2599, 2600, 3000, second.treeSize - 1];
    for (const i of sample) {
      const p = await getInclusionProof({ rawRecordId: rows[i].id });
      expect(p).toMatchObject({
        rawRecordId: rows[i].id,
        leafIndex: i,
        treeSize: second.treeSize,
        rootHash: second.rootHash.toString("hex"),
      });
      expect(p.checkpoint.id).toBe(second.id);
      expect(p.proof).toEqual(tree.inclusionProof(i).map((h) => h.toString("hex")));
      expect(p.leafHash).toBe(leafHash(rows[i].payload).toString("hex"));
      expect(verifyInclusionProof(p, { publicKeyPem: key.publicKeyPem, payload: rows[i].payload })).toEqual({
        ok: true,
        merkle: true,
        signature: true,
        problems: [],
      });
    }
  });

  it("proves against an older checkpoint when asked, and refuses records it does not cover", async () => {
    const p = await getInclusionProof({ rawRecordId: rows[5].id, checkpointId: first.id });
    expect(p).toMatchObject({ treeSize: first.treeSize, rootHash: first.rootHash.toString("hex") });
    expect(verifyInclusionProof(p, { publicKeyPem: key.publicKeyPem }).ok).toBe(true);
    await expect(getInclusionProof({ rawRecordId: rows[2700].id, checkpointId: first.id })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(getInclusionProof({ rawRecordId: rows[rows.length - 1].id })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(getInclusionProof({ rawRecordId: "999999999" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getInclusionProof({ rawRecordId: rows[0].id, checkpointId: "999999" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getInclusionProof({ rawRecordId: "1; DROP TABLE x" })).rejects.toBeInstanceOf(AppError);
  });

  it("answers many records at once, in the order asked", async () => {
    const ids = [rows[3000].id, "424242424", rows[7].id, rows[rows.length - 1].id];
    const results = await getInclusionProofs({ rawRecordIds: ids });
    expect(results.map((r) => r.status)).toEqual(["proved", "not-found", "proved", "not-covered"]);
    expect(results.map((r) => r.rawRecordId)).toEqual(ids);
    for (const r of results)
      if (r.status === "proved") expect(verifyInclusionProof(r.proof, { publicKeyPem: key.publicKeyPem }).ok).toBe(true);
  });

  it("keeps proving a record after its payload is purged (the leaf hash stays)", async () => {
    const victim = rows[42];
    await pool().query(`UPDATE raw_record SET payload = NULL, "purgedAt" = now() WHERE id = $1`, [victim.id]);
    const p = await getInclusionProof({ rawRecordId: victim.id });
    expect(verifyInclusionProof(p, { publicKeyPem: key.publicKeyPem, payload: victim.payload }).ok).toBe(true);
  });

  it("lets the verifier reject a tampered proof, a wrong payload and a wrong key", async () => {
    const p = await getInclusionProof({ rawRecordId: rows[77].id });
    const flipHex = (h: string) => (h[0] === "0" ? "1" : "0") + h.slice(1);
    const bad: InclusionProof[] = [
      { ...p, proof: p.proof.map((h, i) => (i === 3 ? flipHex(h) : h)) },
      { ...p, leafIndex: p.leafIndex + 1 },
      { ...p, leafHash: flipHex(p.leafHash) },
      { ...p, rootHash: flipHex(p.rootHash) },
      { ...p, proof: p.proof.slice(1) },
    ];
    for (const b of bad) expect(verifyInclusionProof(b).ok).toBe(false);
    expect(verifyInclusionProof(p, { payload: Buffer.from("something else") }).ok).toBe(false);
    const other = crypto.generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "pem" }).toString();
    expect(verifyInclusionProof(p, { publicKeyPem: other })).toMatchObject({ ok: false, merkle: true, signature: false });
    const forgedCheckpoint = { ...p, checkpoint: { ...p.checkpoint, createdAt: new Date(0).toISOString() } };
    expect(verifyInclusionProof(forgedCheckpoint, { publicKeyPem: key.publicKeyPem }).signature).toBe(false);
  });
});
