import crypto, { type KeyObject } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { dataDir as defaultDataDir } from "@/lib/env";
import { AppError } from "@/lib/errors";

// The Ed25519 key that signs ledger checkpoints. Operators who manage keys themselves set
// SESSIONPROOF_LEDGER_PRIVATE_KEY (PKCS#8 PEM); otherwise the key lives in the data folder, generated on first
// use with mode 0600 so that a quick start signs from the first ingest without any setup. Auditors identify the
// key by its fingerprint: the SHA-256 of the DER SubjectPublicKeyInfo as 64 lowercase hex digits, exactly what
// `openssl pkey -pubin -in public-key.pem -outform DER | openssl dgst -sha256 -r` prints before the file name (or
// `| sha256sum`), so it can be compared without trusting this program. The key id is the fingerprint's first 16
// hex digits: short enough to read aloud, derived (never assigned), so it cannot name another key by mistake.
// Checkpoints written before 2026-12-08 stored the fingerprint as "SHA256:<hex>"; migration ledger_keys rewrote
// them, and normalizeFingerprint (here and in verify.mjs) still reads that form wherever a person types one.

export const KEY_ENV = "SESSIONPROOF_LEDGER_PRIVATE_KEY";
export const KEY_FILE = "ledger-signing-key.pem";

export type SigningKey = {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** SubjectPublicKeyInfo PEM, what `openssl pkeyutl -verify -pubin -inkey` reads. */
  publicKeyPem: string;
  /** Hex SHA-256 of the DER SPKI (64 lowercase digits). */
  fingerprint: string;
  /** The fingerprint's first 16 hex digits. */
  keyId: string;
  /** Where the private key came from: the environment variable, or the file path. */
  source: "env" | "file";
  file?: string;
};

export function publicKeyFingerprint(publicKey: KeyObject): string {
  const der = publicKey.export({ type: "spki", format: "der" });
  return crypto.createHash("sha256").update(der).digest("hex");
}

/** The key id of a fingerprint: its first 16 hex digits. */
export function keyIdOf(fingerprint: string): string {
  return fingerprint.slice(0, 16);
}

/** A fingerprint as people write it ("SHA256:<hex>", bare hex, upper case, with colons or spaces), or null. */
export function normalizeFingerprint(text: string): string | null {
  const hex = String(text)
    .trim()
    .replace(/^sha-?256:/i, "")
    .replace(/[\s:]/g, "")
    .toLowerCase();
  return /^[0-9a-f]{64}$/.test(hex) ? hex : null;
}

/** The public half of a key (for verification only), from SPKI PEM. */
export function publicKeyFromPem(pem: string): { publicKey: KeyObject; publicKeyPem: string; fingerprint: string; keyId: string } {
  let publicKey: KeyObject;
  try {
    publicKey = crypto.createPublicKey(pem);
  } catch (err) {
    throw new AppError("BAD_REQUEST", `not a PEM public key: ${(err as Error).message}`);
  }
  if (publicKey.asymmetricKeyType !== "ed25519") {
    throw new AppError("BAD_REQUEST", `the ledger public key must be Ed25519, not ${publicKey.asymmetricKeyType}`);
  }
  const fingerprint = publicKeyFingerprint(publicKey);
  return {
    publicKey,
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    fingerprint,
    keyId: keyIdOf(fingerprint),
  };
}

function fromPrivatePem(pem: string, where: string, source: SigningKey["source"], file?: string): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = crypto.createPrivateKey(pem);
  } catch (err) {
    throw new AppError("INTERNAL", `${where} does not hold a PKCS#8 PEM private key: ${(err as Error).message}`);
  }
  if (privateKey.asymmetricKeyType !== "ed25519") {
    throw new AppError("INTERNAL", `${where} holds a ${privateKey.asymmetricKeyType} key; ledger checkpoints are signed with Ed25519`);
  }
  const publicKey = crypto.createPublicKey(privateKey);
  const fingerprint = publicKeyFingerprint(publicKey);
  return {
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    fingerprint,
    keyId: keyIdOf(fingerprint),
    source,
    file,
  };
}

export function resolveDir(dir: string | undefined): string {
  return path.resolve(dir ?? defaultDataDir());
}

/** The signing key if one is configured or already on disk; null otherwise (never creates one). */
export function loadSigningKey({ dataDir }: { dataDir?: string } = {}): SigningKey | null {
  const fromEnv = process.env[KEY_ENV];
  if (fromEnv && fromEnv.trim()) return fromPrivatePem(fromEnv, KEY_ENV, "env");
  const file = path.join(resolveDir(dataDir), KEY_FILE);
  if (!fs.existsSync(file)) return null;
  return fromPrivatePem(fs.readFileSync(file, "utf8"), file, "file", file);
}

/** The signing key; when neither the environment nor the data folder has one, a new one is written (0600). */
export async function loadOrCreateSigningKey({ dataDir }: { dataDir?: string } = {}): Promise<SigningKey> {
  const existing = loadSigningKey({ dataDir });
  if (existing) return existing;
  const dir = resolveDir(dataDir);
  const file = path.join(dir, KEY_FILE);
  fs.mkdirSync(dir, { recursive: true, mode: 0o711 });
  const { privateKey } = crypto.generateKeyPairSync("ed25519");
  const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  try {
    // "wx": if another process created the key a moment ago, keep theirs; two keys would split the ledger.
    fs.writeFileSync(file, pem, { mode: 0o600, flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  return fromPrivatePem(fs.readFileSync(file, "utf8"), file, "file", file);
}

// The append path signs a batch per call: the key is parsed once per process and source, not per call. Keyed by
// the environment variable's value, or by the key file's path, size and modification time, so that a replaced
// key is read again.
let memo: { id: string; key: SigningKey } | null = null;

function keyIdentity(dataDir: string | undefined): string | null {
  const fromEnv = process.env[KEY_ENV];
  if (fromEnv && fromEnv.trim()) return `env:${fromEnv}`;
  const file = path.join(resolveDir(dataDir), KEY_FILE);
  try {
    const st = fs.statSync(file);
    return `file:${file}:${st.size}:${st.mtimeMs}`;
  } catch {
    return null;
  }
}

/** loadOrCreateSigningKey, remembered while the key's source stays the same. */
export async function currentSigningKey({ dataDir }: { dataDir?: string } = {}): Promise<SigningKey> {
  const id = keyIdentity(dataDir);
  if (memo && id !== null && memo.id === id) return memo.key;
  const key = await loadOrCreateSigningKey({ dataDir });
  const after = keyIdentity(dataDir);
  if (after !== null) memo = { id: after, key };
  return key;
}
