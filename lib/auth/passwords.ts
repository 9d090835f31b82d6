import bcrypt from "bcryptjs";
import crypto from "node:crypto";

// bcryptjs: a maintained, dependency-free bcrypt (no native build, which this machine's registries make
// costly). Cost 12 is about 250 ms here: slow for guessing, fine for a sign-in.
const COST = 12;

export async function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export async function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  // Compare against a fixed hash when the account has none, so that timing does not reveal which emails exist.
  dummyHash ??= await bcrypt.hash(crypto.randomBytes(16).toString("hex"), COST);
  return bcrypt.compare(password, hash ?? dummyHash);
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

export function passwordProblem(password: string): string | null {
  if (password.length < 12) return "Passwords need at least 12 characters.";
  if (password.length > 200) return "Passwords can be at most 200 characters.";
  return null;
}
