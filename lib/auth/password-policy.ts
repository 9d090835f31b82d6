import { z } from "zod";
import { dictionary } from "@zxcvbn-ts/language-common";

// The password rules, free of server imports: the user schemas (lib/users/*.types.ts) apply them when the route
// parses a body, lib/users applies them where the account's email is known only from the database.

// The ~49k most common passwords of public breach corpora, ranked (zxcvbn-ts's list), lower case.
let common: Set<string> | undefined;
function isCommon(password: string): boolean {
  common ??= new Set(dictionary["passwords-common"]);
  const lower = password.toLowerCase();
  // "Password1234!" is "password" padded to the minimum length: the padding does not make it less common.
  return common.has(lower) || common.has(lower.replace(/[^\p{L}]+$/u, ""));
}

const squash = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");

/** Why `password` cannot be used (for the account `email`, when known), or null. */
export function passwordProblem(password: string, email?: string | null): string | null {
  if (password.length < 12) return "Passwords need at least 12 characters.";
  if (password.length > 200) return "Passwords can be at most 200 characters.";
  if (isCommon(password))
    return "This password is one of the most commonly used ones. Choose another; a few unrelated words make a good one.";
  if (email) {
    const pw = squash(password);
    const local = squash(email.split("@")[0]);
    if (pw.includes(squash(email)) || (local.length > 0 && pw.replace(/\d+$/, "") === local)) {
      return "A password must not be the account's email address or its name part. Choose another.";
    }
  }
  return null;
}

/** A new password, checked by the rules that need nothing but the password itself. */
export const newPassword = z.string().superRefine((p, ctx) => {
  const problem = passwordProblem(p);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});
