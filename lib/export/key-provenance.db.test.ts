import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commands } from "@/lib/cli/registry";
import { runCli } from "@/lib/cli/run-cli";
import { createCase } from "@/lib/cases/create-case";
import { createCaseInput } from "@/lib/cases/types";
import { fromSessionUser, type RequestContext } from "@/lib/context/request-context";
import { checkpointNote } from "@/lib/ledger/checkpoint-note";
import { getConsistencyProof } from "@/lib/ledger/consistency-proofs";
import { createCheckpoint } from "@/lib/ledger/create-checkpoint";
import { KEY_ENV, loadOrCreateSigningKey } from "@/lib/ledger/signing-key";
import { append, createTestSource } from "@/lib/ledger/test-helpers";
import { seedUser } from "@/test/factories";
import { exportCase } from "./export-case";
import { FINGERPRINT_COMMAND } from "./readme";
import { resignWithNewKey, resum } from "./testing/resign-package";

// Issue 16, key provenance: a package carries every key of the ledger (keys.json, chained by rotation statements)
// and every earlier checkpoint with its consistency proof (proofs/checkpoints.ndjson). verify.mjs --since checks a
// checkpoint the auditor kept; --expect-key pins the newest key across a rotation; verify-export pins this
// installation's key. Each verdict is checked on a real export, then on the same package tampered with.

delete process.env[KEY_ENV];
const VERIFIER = path.resolve("lib/export/verify.mjs");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sessionproof-keyprov-"));
let ctx: RequestContext;
let caseId: string;
let source: string;
let n = 0;

const verify = (dir: string, ...args: string[]) => {
  const r = spawnSync(process.execPath, [VERIFIER, dir, ...args], { encoding: "utf8" });
  return { code: r.status, out: `${r.stdout}${r.stderr}`, last: r.stdout.trim().split("\n").at(-1) ?? "" };
};
const cli = async (...argv: string[]) => {
  let out = "";
  const code = await runCli({ argv, commands, io: { out: (t) => (out += `${t}\n`), err: (t) => (out += `${t}\n`) } });
  return { code, out };
};
/** Exports the case and unzips it: the package folder. */
async function exportPackage(): Promise<string> {
  const zip = path.join(tmp, `p${++n}.zip`);
  const r = await exportCase({ ctx, caseId, output: fs.createWriteStream(zip) });
  const u = spawnSync("unzip", ["-q", zip, "-d", path.join(tmp, `p${n}`)], { encoding: "utf8" });
  expect(u.status, u.stderr).toBe(0);
  return path.join(tmp, `p${n}`, r.folder);
}
const copy = (dir: string, name: string) => {
  const dest = path.join(tmp, name);
  fs.cpSync(dir, dest, { recursive: true });
  return dest;
};
async function grow(k: number): Promise<void> {
  for (let i = 0; i < k; i++) {
    await append(source, [`record ${n}-${i}-a`, `record ${n}-${i}-b`]);
    await createCheckpoint();
  }
}

let first: string; // a package exported before the others
let second: string; // exported later, same key
let oldKey: { fingerprint: string; keyId: string };

beforeAll(async () => {
  oldKey = await loadOrCreateSigningKey();
  source = await createTestSource();
  const u = await seedUser("auditor", "aud-keys@example.test");
  ctx = fromSessionUser({ id: u.id, email: u.email, role: u.role });
  caseId = (await createCase({ ctx, input: createCaseInput.parse({ title: "Key provenance" }) })).id;
  await grow(3);
  first = await exportPackage();
  await grow(2);
  second = await exportPackage();
}, 120_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("the package's keys and checkpoint history", () => {
  it("carries every earlier checkpoint, signed, chained and consistent; unpinned, the last line says how to pin", () => {
    const v = verify(second);
    expect(v.code, v.out).toBe(0);
    expect(v.out).toContain(`PASS  keys       one signing key (${oldKey.keyId}), never rotated`);
    expect(v.out).toMatch(
      new RegExp(
        `PASS  history    \\d+ checkpoints, each signed, chained and consistent with the package's: #1-#\\d+ by key ${oldKey.keyId}`,
      ),
    );
    expect(v.last).toMatch(
      /^VERIFIED, KEY NOT PINNED: .*--expect-key <fingerprint>; `openssl pkey -pubin -in public-key.pem -outform DER \| openssl dgst -sha256`/,
    );
    // The README's command prints the fingerprint Settings shows.
    const printed = spawnSync("sh", ["-c", FINGERPRINT_COMMAND], { cwd: second, encoding: "utf8" });
    expect(printed.stdout.trim()).toMatch(new RegExp(`= ${oldKey.fingerprint}$`));
    expect(fs.readFileSync(path.join(second, "README.md"), "utf8")).toContain(FINGERPRINT_COMMAND);
    expect(verify(second, "--expect-key", oldKey.fingerprint).code).toBe(0);
  });
});

describe("--since an earlier checkpoint", () => {
  it("accepts an earlier package, its checkpoint.txt, or the API's checkpoint JSON, when the ledger only grew", async () => {
    for (const since of [first, path.join(first, "checkpoint.txt"), path.join(first, "checkpoint.json")]) {
      const v = verify(second, "--since", since);
      expect(v.code, v.out).toBe(0);
      expect(v.out).toMatch(
        /PASS  since      your checkpoint #\d+ \(tree size \d+, root [0-9a-f]{64}\), signed .* is consistent with the package's checkpoint/,
      );
    }
    const size = JSON.parse(fs.readFileSync(path.join(first, "checkpoint.json"), "utf8")).treeSize;
    const api = path.join(tmp, "api.json");
    fs.writeFileSync(api, JSON.stringify(await getConsistencyProof({ from: size })));
    expect(verify(second, "--since", api).code).toBe(0);
  });

  it("fails a forged earlier checkpoint: another root at that size, a second history for its number, or another key's signature", async () => {
    const key = await loadOrCreateSigningKey();
    const cp = JSON.parse(fs.readFileSync(path.join(first, "checkpoint.json"), "utf8"));
    const root = Buffer.from(cp.rootHash, "hex");
    root[0] ^= 1;
    const write = (name: string, note: Buffer, signer: crypto.KeyObject) => {
      const file = path.join(tmp, `${name}.txt`);
      fs.writeFileSync(file, note);
      fs.writeFileSync(path.join(tmp, `${name}.sig`), crypto.sign(null, note, signer));
      return file;
    };
    // Signed by the ledger's own key (a key holder who signed a different history), without a sequence number.
    const otherRoot = write(
      "forged-root",
      checkpointNote({ treeSize: cp.treeSize, rootHash: root, createdAt: new Date(cp.createdAt) }),
      key.privateKey,
    );
    let v = verify(second, "--since", otherRoot);
    expect(v.code, v.out).toBe(1);
    expect(v.out).toMatch(
      /FAIL  since      your checkpoint \(tree size \d+, root [0-9a-f]{64}\) is not consistent with the package's checkpoint .*forged, or the ledger was rewritten/,
    );
    // The same number with another root: the ledger signed two histories.
    const fork = cp.note.replace(/^root .*$/m, `root ${root.toString("base64")}`);
    v = verify(second, "--since", write("forged-fork", Buffer.from(fork), key.privateKey));
    expect(v.code, v.out).toBe(1);
    expect(v.out).toContain("the ledger signed two different histories");
    // Signed by a key that is not the ledger's.
    const stranger = crypto.generateKeyPairSync("ed25519").privateKey;
    v = verify(second, "--since", write("forged-key", Buffer.from(cp.note), stranger));
    expect(v.code, v.out).toBe(1);
    expect(v.out).toContain("its signature does not verify with the key it names");
    expect(v.last).toMatch(/^NOT VERIFIED: since failed first/);
  });

  it("fails a package rewritten and re-signed with another key, though it verifies on its own", () => {
    const forged = copy(second, "resigned");
    const fp = resignWithNewKey(forged);
    expect(verify(forged).code).toBe(0);
    const v = verify(forged, "--since", first);
    expect(v.code, v.out).toBe(1);
    expect(v.out).toContain("which is not a key of this package's ledger");
    const pinned = verify(forged, "--expect-key", oldKey.fingerprint);
    expect(pinned.code).toBe(1);
    expect(pinned.out).toContain(`public-key.pem is key ${fp}, not the expected ${oldKey.fingerprint}`);
  });
});

describe("key rotation", () => {
  let rotated: string;
  let newKey: { fingerprint: string; keyId: string };

  beforeAll(async () => {
    const r = await cli("ledger", "rotate-key");
    expect(r.code, r.out).toBe(0);
    newKey = await loadOrCreateSigningKey();
    expect(newKey.fingerprint).not.toBe(oldKey.fingerprint);
    await grow(2);
    rotated = await exportPackage();
  }, 120_000);

  it("is accepted across the rotation and reported: which key signed which checkpoints", () => {
    const v = verify(rotated, "--expect-key", newKey.fingerprint, "--since", first);
    expect(v.code, v.out).toBe(0);
    expect(v.out).toContain(
      `PASS  keys       2 keys, each rotation signed by the key it retires and the new key: key ${oldKey.keyId} signs checkpoints #1-#`,
    );
    expect(v.out).toMatch(
      new RegExp(
        `PASS  history    .*#1-#(\\d+) by key ${oldKey.keyId}, #\\d+-#\\d+ by key ${newKey.keyId} \\(the chain crosses 1 key rotation\\)`,
      ),
    );
    expect(v.out).toMatch(new RegExp(`PASS  since      .* signed .* by key ${oldKey.keyId}, is consistent`));
    expect(v.last).toContain(`VERIFIED: every check passed, signed by the expected key ${newKey.fingerprint}`);
  });

  it("pins the newest key: the old key fails, naming the key that signed", () => {
    const v = verify(rotated, "--expect-key", oldKey.fingerprint);
    expect(v.code).toBe(1);
    expect(v.out).toContain(
      `public-key.pem is key ${newKey.fingerprint}, not the expected ${oldKey.fingerprint}: your key ${oldKey.keyId} was rotated`,
    );
  });

  it("fails a key added to the chain without the retired key's signature", async () => {
    const dir = copy(rotated, "added-key");
    const keysFile = path.join(dir, "keys.json");
    const keys = JSON.parse(fs.readFileSync(keysFile, "utf8"));
    const current = await loadOrCreateSigningKey();
    // The holder of the new key alone vouches for it (as someone who made up a key would).
    keys.keys[1].rotation.previousKeySignature = crypto
      .sign(null, Buffer.from(keys.keys[1].rotation.note), current.privateKey)
      .toString("base64");
    fs.writeFileSync(keysFile, JSON.stringify(keys, null, 2));
    resum(dir, current.privateKey);
    const v = verify(dir);
    expect(v.code, v.out).toBe(1);
    expect(v.out).toContain(
      `FAIL  keys       keys.json: the rotation to key #2 (${newKey.keyId}) is not signed by key #1 (${oldKey.keyId}) - a key was added, not rotated`,
    );
  });

  it("verify-export pins this installation's current key, and takes --expect-key for a package signed before the rotation", async () => {
    expect((await cli("verify-export", rotated)).code).toBe(0);
    const old = await cli("verify-export", second);
    expect(old.code, old.out).toBe(1);
    expect(old.out).toContain(`public-key.pem is key ${oldKey.fingerprint}, not the expected ${newKey.fingerprint}`);
    expect((await cli("verify-export", second, "--expect-key", oldKey.fingerprint)).code).toBe(0);
    const forged = copy(rotated, "resigned-after-rotation");
    const fp = resignWithNewKey(forged);
    const r = await cli("verify-export", forged);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`public-key.pem is key ${fp}, not the expected ${newKey.fingerprint}`);
  });
});
