import bcrypt from "bcryptjs";
import { describe, expect, it } from "vitest";
import { hashPassword, needsRehash, passwordProblem, verifyPassword } from "./passwords";

describe("password hashing", () => {
  it("hashes with argon2id and verifies", async () => {
    const h = await hashPassword("a sturdy passphrase 42");
    expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword("a sturdy passphrase 42", h)).toBe(true);
    expect(await verifyPassword("a sturdy passphrase 43", h)).toBe(false);
    expect(needsRehash(h)).toBe(false);
  });

  it("every byte counts: a password that differs only after byte 72 does not verify (bcrypt ignored those bytes)", async () => {
    const prefix = "x".repeat(72);
    const h = await hashPassword(`${prefix}-the-part-that-matters`);
    expect(await verifyPassword(`${prefix}-something-else-entirely`, h)).toBe(false);
    expect(await verifyPassword(prefix, h)).toBe(false);
    expect(await verifyPassword(`${prefix}-the-part-that-matters`, h)).toBe(true);
  });

  it("hashes made with bcrypt before keep working, and are marked for replacement", async () => {
    const legacy = await bcrypt.hash("an older password 1", 4);
    expect(await verifyPassword("an older password 1", legacy)).toBe(true);
    expect(await verifyPassword("an older password 2", legacy)).toBe(false);
    expect(needsRehash(legacy)).toBe(true);
    expect(needsRehash(null)).toBe(false);
  });

  it("no hash, or one it cannot read, matches no password", async () => {
    expect(await verifyPassword("anything at all 1", null)).toBe(false);
    expect(await verifyPassword("anything at all 1", "")).toBe(false);
    expect(await verifyPassword("anything at all 1", "$argon2id$garbage")).toBe(false);
  });
});

describe("passwordProblem", () => {
  it("refuses the common-password list, also padded to the minimum length", () => {
    for (const p of ["password1234", "Password1234!", "qwerty123456", "1qaz2wsx3edc", "QAZWSXEDCRFV", "iloveyou1234567"]) {
      expect(passwordProblem(p), p).toMatch(/most commonly used/);
    }
  });

  it("refuses the account's own email address and its name part", () => {
    expect(passwordProblem("ana.lyst@example.test", "ana.lyst@example.test")).toMatch(/email address/);
    expect(passwordProblem("ANA.LYST@EXAMPLE.TEST!!", "ana.lyst@example.test")).toMatch(/email address/);
    expect(passwordProblem("ana-lyst-2026", "ana.lyst@example.test")).toMatch(/name part/);
    // Only with the email known.
    expect(passwordProblem("ana-lyst-2026")).toBeNull();
  });

  it("accepts ordinary passphrases and says what is wrong with short or long ones", () => {
    for (const [p, email] of [
      ["correct horse battery", "ana@example.test"],
      ["e2e-analyst-password", "analyst@e2e.test"],
      ["dana-password-123", "dana@e2e.test"],
    ]) {
      expect(passwordProblem(p, email), p).toBeNull();
    }
    expect(passwordProblem("short")).toBe("Passwords need at least 12 characters.");
    expect(passwordProblem("y".repeat(201))).toBe("Passwords can be at most 200 characters.");
  });
});
