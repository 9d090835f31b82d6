import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/errors";
import { FINGERPRINT_COMMAND } from "@/lib/export/readme";
import { KEY_ENV, KEY_FILE, loadOrCreateSigningKey, loadSigningKey, publicKeyFromPem } from "./signing-key";

const dirs: string[] = [];
const tmp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sessionproof-key-"));
  dirs.push(dir);
  return dir;
};

afterEach(() => {
  vi.unstubAllEnvs();
});
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe("the checkpoint signing key", () => {
  it("is created on first use in the data folder with mode 0600, then reused", async () => {
    vi.stubEnv(KEY_ENV, "");
    const dir = tmp();
    expect(loadSigningKey({ dataDir: dir })).toBeNull();
    const first = await loadOrCreateSigningKey({ dataDir: dir });
    const file = path.join(dir, KEY_FILE);
    expect(first.source).toBe("file");
    expect(first.file).toBe(file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, "utf8")).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(first.privateKey.asymmetricKeyType).toBe("ed25519");
    const again = await loadOrCreateSigningKey({ dataDir: dir });
    expect(again.fingerprint).toBe(first.fingerprint);
    expect(again.publicKeyPem).toBe(first.publicKeyPem);
    expect(first.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
  });

  it("has the fingerprint openssl computes: SHA-256 of the DER SubjectPublicKeyInfo", async () => {
    vi.stubEnv(KEY_ENV, "");
    const dir = tmp();
    const key = await loadOrCreateSigningKey({ dataDir: dir });
    const pub = path.join(dir, "pub.pem");
    fs.writeFileSync(pub, key.publicKeyPem);
    const der = execFileSync("openssl", ["pkey", "-pubin", "-in", pub, "-outform", "DER"]);
    expect(key.fingerprint).toBe(crypto.createHash("sha256").update(der).digest("hex"));
    expect(key.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(key.keyId).toBe(key.fingerprint.slice(0, 16));
    // The command the package README gives the auditor prints the same hex (OpenSSL 3: "SHA2-256(stdin)= <hex>").
    fs.writeFileSync(path.join(dir, "public-key.pem"), key.publicKeyPem);
    const printed = execFileSync("sh", ["-c", FINGERPRINT_COMMAND], { cwd: dir, encoding: "utf8" }).trim();
    expect(printed).toMatch(new RegExp(`^SHA2?-?256\\(stdin\\)= ${key.fingerprint}$`));
  });

  it("comes from SESSIONPROOF_LEDGER_PRIVATE_KEY when set, and then touches no file", async () => {
    const { privateKey, publicKey } = crypto.generateKeyPairSync("ed25519");
    vi.stubEnv(KEY_ENV, privateKey.export({ type: "pkcs8", format: "pem" }).toString());
    const dir = tmp();
    const key = await loadOrCreateSigningKey({ dataDir: dir });
    expect(key.source).toBe("env");
    expect(fs.existsSync(path.join(dir, KEY_FILE))).toBe(false);
    expect(key.publicKeyPem).toBe(publicKey.export({ type: "spki", format: "pem" }).toString());
    const sig = crypto.sign(null, Buffer.from("x"), key.privateKey);
    expect(crypto.verify(null, Buffer.from("x"), publicKey, sig)).toBe(true);
  });

  it("refuses a key that is not an Ed25519 PKCS#8 PEM, saying where it came from", async () => {
    vi.stubEnv(KEY_ENV, "not a key");
    await expect(loadOrCreateSigningKey({ dataDir: tmp() })).rejects.toThrow(/SESSIONPROOF_LEDGER_PRIVATE_KEY/);
    const { privateKey } = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
    vi.stubEnv(KEY_ENV, privateKey.export({ type: "pkcs8", format: "pem" }).toString());
    await expect(loadOrCreateSigningKey({ dataDir: tmp() })).rejects.toThrow(/ec key.*Ed25519/);
    expect(() => publicKeyFromPem("garbage")).toThrow(AppError);
  });
});
