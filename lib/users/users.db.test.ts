import { describe, expect, it } from "vitest";
import { testContext } from "@/lib/context/testing";
import { db } from "@/lib/db";
import { verifyPassword } from "@/lib/auth/passwords";
import { createUser } from "./create-user";
import { updateUser } from "./update-user";
import { listUsers } from "./list-users";
import { bootstrapAdmin } from "./bootstrap-admin";
import { createUserInput } from "./create-user.types";
import { updateUserInput } from "./update-user.types";
import { expectAppError } from "@/test/factories";

const who = { email: "tester@example.test", ip: "127.0.0.1", userAgent: "vitest" };
const ctx = testContext(who);

describe("users", () => {
  it("bootstraps one admin with a generated password, once", async () => {
    // A common SESSIONPROOF_ADMIN_PASSWORD stops the first start, saying which setting.
    await expect(bootstrapAdmin({ email: "owner@example.test", password: "password123456" })).rejects.toThrow(
      /^SESSIONPROOF_ADMIN_PASSWORD cannot be used: This password is one of the most commonly used ones/,
    );
    const first = await bootstrapAdmin({});
    expect(first.created).toBe(true);
    if (!first.created) throw new Error("unreachable");
    expect(first.email).toBe("admin@sessionproof.local");
    expect(first.generatedPassword).toMatch(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);
    const admin = await db().user.findUniqueOrThrow({ where: { email: "admin@sessionproof.local" } });
    expect(admin.role).toBe("admin");
    expect(await verifyPassword(first.generatedPassword!, admin.passwordHash)).toBe(true);
    expect(await verifyPassword("wrong", admin.passwordHash)).toBe(false);
    expect(await bootstrapAdmin({ email: "x@example.test", password: "another-password-1" })).toEqual({ created: false });
    expect(await db().user.count()).toBe(1);
    const audit = await db().auditLog.findMany({ where: { action: "user.created" } });
    expect(audit).toHaveLength(1);
  });

  it("creates users with hashed passwords and an audit entry; refuses duplicates and bad input", async () => {
    const u = await createUser({
      input: createUserInput.parse({ email: "Ana@Example.test", role: "analyst", password: "correct horse battery" }),
      ctx,
    });
    expect(u.email).toBe("ana@example.test");
    expect(u).not.toHaveProperty("passwordHash");
    const row = await db().user.findUniqueOrThrow({ where: { id: u.id } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    const entries = await db().auditLog.findMany({ where: { resourceId: u.id } });
    expect(entries.map((e) => e.action)).toEqual(["user.created"]);
    expect(entries[0].ip).toBe("127.0.0.1");

    await expectAppError(
      createUser({ input: createUserInput.parse({ email: "ana@example.test", role: "auditor", password: "another long one" }), ctx }),
      "CONFLICT",
      /already exists/,
    );
    // What the route contract refuses before createUser runs.
    expect(createUserInput.safeParse({ email: "nope", role: "analyst", password: "x" }).success).toBe(false);
    expect(() => createUserInput.parse({ email: "b@example.test", role: "root", password: "long enough pw" })).toThrow(
      /Role must be one of/,
    );
  });

  it("refuses common passwords and the account's own email as its password, on creation and on change", async () => {
    // The route contracts refuse these before createUser / updateUser run; updateUser checks the password against
    // the account's email, which it reads.
    const fields = (input: unknown) => {
      const r = createUserInput.safeParse(input);
      expect(r.success).toBe(false);
      return r.error!.issues.map((i) => [i.path.join("."), i.message]);
    };
    expect(fields({ email: "eli@example.test", role: "analyst", password: "Password1234!" })).toEqual([
      ["password", expect.stringMatching(/most commonly used/)],
    ]);
    expect(fields({ email: "eli@example.test", role: "analyst", password: "Eli@Example.test" })).toEqual([
      ["password", expect.stringMatching(/email address/)],
    ]);
    const u = await createUser({
      input: createUserInput.parse({ email: "eli@example.test", role: "analyst", password: "a fine long passphrase" }),
      ctx,
    });
    await expectAppError(
      updateUser({ id: u.id, input: updateUserInput.parse({ password: "eli.example.test" }), ctx }),
      "VALIDATION",
      /email address/,
    );
    expect(updateUserInput.safeParse({ password: "qwerty123456" }).success).toBe(false);
    expect(await db().auditLog.count({ where: { resourceId: u.id, action: "user.updated" } })).toBe(0);
  });

  it("changes role and disables, recording before/after in the same transaction", async () => {
    const admin = await createUser({
      input: createUserInput.parse({ email: "boss@example.test", role: "admin", password: "boss password 1" }),
      ctx,
    });
    const u = await createUser({
      input: createUserInput.parse({ email: "carl@example.test", role: "compliance", password: "carl password 1" }),
      ctx,
    });
    const updated = await updateUser({
      id: u.id,
      input: updateUserInput.parse({ role: "auditor", disabled: true }),
      ctx: testContext({ ...who, id: admin.id }),
    });
    expect(updated.role).toBe("auditor");
    expect(updated.disabled).toBe(true);
    const entry = await db().auditLog.findFirstOrThrow({ where: { resourceId: u.id, action: "user.updated" } });
    expect(entry.actorId).toBe(admin.id);
    expect(entry.details).toMatchObject({
      type: "user.updated",
      before: { role: "compliance", disabled: false },
      after: { role: "auditor", disabled: true },
    });
    const list = await listUsers();
    expect(list.find((x) => x.id === u.id)?.disabled).toBe(true);
  });

  it("never leaves the system without an active admin, and admins cannot demote themselves", async () => {
    const a = await createUser({
      input: createUserInput.parse({ email: "a1@example.test", role: "admin", password: "admin one pass" }),
      ctx,
    });
    const b = await createUser({
      input: createUserInput.parse({ email: "a2@example.test", role: "admin", password: "admin two pass" }),
      ctx,
    });
    await expectAppError(
      updateUser({ id: a.id, input: updateUserInput.parse({ role: "analyst" }), ctx: testContext({ ...who, id: a.id }) }),
      "CONFLICT",
      /your own administrator access/,
    );
    await updateUser({ id: b.id, input: updateUserInput.parse({ disabled: true }), ctx: testContext({ ...who, id: a.id }) });
    // Make every other admin inactive, then try to remove the last one through another account.
    await db().user.updateMany({ where: { role: "admin", id: { not: a.id } }, data: { disabled: true } });
    const c = await createUser({
      input: createUserInput.parse({ email: "c@example.test", role: "analyst", password: "analyst pass 1" }),
      ctx,
    });
    await expectAppError(
      updateUser({ id: a.id, input: updateUserInput.parse({ disabled: true }), ctx: testContext({ ...who, id: c.id }) }),
      "CONFLICT",
      /At least one active administrator/,
    );
    await expectAppError(
      updateUser({ id: crypto.randomUUID(), input: updateUserInput.parse({ role: "auditor" }), ctx: testContext({ ...who, id: a.id }) }),
      "NOT_FOUND",
    );
    expect(() => updateUserInput.parse({})).toThrow(/Nothing to change/);
  });
});
