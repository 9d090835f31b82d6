import crypto from "node:crypto";
import { hash as argon2Hash, verify as argon2Verify, type Algorithm } from "@node-rs/argon2";
import bcrypt from "bcryptjs";

// Password hashes are argon2id (@node-rs/argon2: prebuilt native binaries, no compile step) with OWASP's minimum
// parameters: 19 MiB, 2 passes, 1 lane, about 70 ms here. Unlike bcrypt, which reads only the first 72 bytes of a
// password and silently ignores the rest, argon2id hashes every byte. Hashes made earlier with bcrypt still verify;
// the sign-in replaces such a hash with an argon2id one once the password has proved right (lib/auth/sign-in.ts).
const ARGON2ID = 2 as Algorithm; // Algorithm.Argon2id (a const enum, which isolated modules cannot import)
const ARGON2 = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export async function hashPassword(password: string): Promise<string> {
  return argon2Hash(password, ARGON2);
}

const isBcrypt = (hash: string) => /^\$2[aby]\$/.test(hash);

/** Whether a stored hash should be replaced by a new one (an older kind than argon2id). */
export function needsRehash(hash: string | null | undefined): boolean {
  return Boolean(hash) && !hash!.startsWith("$argon2id$");
}

export async function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  if (hash && isBcrypt(hash)) return bcrypt.compare(password, hash);
  // Compare against a fixed hash when the account has none, so that timing does not reveal which emails exist.
  dummyHash ??= await hashPassword(crypto.randomBytes(16).toString("hex"));
  try {
    const ok = await argon2Verify(hash ?? dummyHash, password);
    return ok && Boolean(hash);
  } catch {
    // Not a hash this code understands: no password matches it.
    return false;
  }
}

let dummyHash: string | undefined;

/** A readable random password: 20 characters from an unambiguous alphabet, about 110 bits. */
export function generatePassword(): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
  const bytes = crypto.randomBytes(20);
  let out = "";
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out.replace(/(.{5})(?=.)/g, "$1-");
}

// The password rules live in ./password-policy.ts (no server imports: the user schemas apply them).
export { passwordProblem } from "./password-policy";
