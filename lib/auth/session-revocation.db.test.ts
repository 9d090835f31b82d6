import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Session } from "next-auth";
import type { JWT } from "next-auth/jwt";
import { db } from "@/lib/db";
import { testContext } from "@/lib/context/testing";
import { createUser } from "@/lib/users/create-user";
import { createUserInput } from "@/lib/users/create-user.types";
import { updateUser } from "@/lib/users/update-user";
import { updateUserInput } from "@/lib/users/update-user.types";
import { expectAppError } from "@/test/factories";

// The request as the guard sees it: the session next-auth decoded from the cookie, and the request headers.
const request = vi.hoisted(() => ({ session: null as unknown }));
vi.mock("next-auth", async (orig) => ({ ...(await orig<typeof import("next-auth")>()), getServerSession: async () => request.session }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "user-agent": "vitest" }) }));

const { authOptions } = await import("./options");
const { authorizeApi, currentUser, requirePage } = await import("./guard");

const options = authOptions({ ip: "198.51.100.4", userAgent: "vitest" });
const admin = testContext({ email: "root@example.test", role: "admin" });

/** Signs in through the credentials provider and next-auth's jwt and session callbacks, as a real sign-in does. */
async function signIn(email: string, password: string): Promise<{ token: JWT; session: Session }> {
  const credentials = options.providers.find((p) => p.id === "credentials") as unknown as {
    options: { authorize: (c: Record<string, string>, req: { headers: Record<string, string> }) => Promise<Record<string, unknown>> };
  };
  const user = await credentials.options.authorize({ email, password }, { headers: {} });
  const token = await options.callbacks!.jwt!({ token: { email }, user: user as never, account: { provider: "credentials" } as never });
  const session = await options.callbacks!.session!({
    session: { user: {}, expires: "" } as never,
    token,
    user: undefined as never,
    newSession: undefined,
    trigger: "update",
  });
  return { token, session: session as Session };
}

/** The guard's view of a request carrying this session. */
async function as(session: Session | null) {
  request.session = session;
  return currentUser();
}

async function localUser(email: string, role: "analyst" | "admin" = "analyst") {
  const password = `${email.split("@")[0]}-correct-horse-9`;
  const u = await createUser({ ctx: admin, input: createUserInput.parse({ email, role, password }) });
  return { ...u, password };
}

beforeEach(() => {
  request.session = null;
});

describe("ending sessions (session version)", () => {
  it("a session carries the user's version from sign-in; the guard accepts it while it is current", async () => {
    const u = await localUser("vera@example.test");
    const { token, session } = await signIn(u.email, u.password);
    expect(token.sv).toBe(0);
    expect(session.user.sessionVersion).toBe(0);
    expect(await as(session)).toMatchObject({ id: u.id, role: "analyst" });
    // A cookie from before sessions carried a version (or a forged one without it) is not a session.
    expect(await as({ ...session, user: { ...session.user, sessionVersion: undefined } })).toBeNull();
  });

  it("a password change ends the sessions signed in before it; a new sign-in works", async () => {
    const u = await localUser("pat@example.test");
    const before = await signIn(u.email, u.password);
    await updateUser({ ctx: admin, id: u.id, input: updateUserInput.parse({ password: "a-brand-new-passphrase-7" }) });
    expect(await as(before.session)).toBeNull();
    await expectAppError(authorizeApi("GET /api/v1/me"), "UNAUTHENTICATED");
    const after = await signIn(u.email, "a-brand-new-passphrase-7");
    expect(await as(after.session)).toMatchObject({ id: u.id });
  });

  it("disabling ends the sessions, and enabling the account again does not bring them back", async () => {
    const u = await localUser("dora@example.test");
    const { session } = await signIn(u.email, u.password);
    await updateUser({ ctx: admin, id: u.id, input: updateUserInput.parse({ disabled: true }) });
    expect(await as(session)).toBeNull();
    await updateUser({ ctx: admin, id: u.id, input: updateUserInput.parse({ disabled: false }) });
    expect(await as(session)).toBeNull();
  });

  it("a role change ends the sessions (pages redirect to sign-in); renaming does not", async () => {
    const u = await localUser("rolf@example.test");
    const { session } = await signIn(u.email, u.password);
    await updateUser({ ctx: admin, id: u.id, input: updateUserInput.parse({ name: "Rolf R." }) });
    expect(await as(session)).toMatchObject({ id: u.id, name: "Rolf R." });
    await updateUser({ ctx: admin, id: u.id, input: updateUserInput.parse({ role: "auditor" }) });
    expect(await as(session)).toBeNull();
    await expect(requirePage("/sessions")).rejects.toThrow(/NEXT_REDIRECT/);
  });

  it("sign-out ends every session of the user and is audited; an ended session cannot sign the user out again", async () => {
    const u = await localUser("sid@example.test");
    const laptop = await signIn(u.email, u.password);
    const phone = await signIn(u.email, u.password);
    await options.events!.signOut!({ token: laptop.token, session: undefined as never });
    expect(await as(laptop.session)).toBeNull();
    expect(await as(phone.session)).toBeNull();
    const audit = await db().auditLog.findMany({ where: { actorId: u.id, action: "auth.sign_out" } });
    expect(audit).toHaveLength(1);
    expect(audit[0].ip).toBe("198.51.100.4");

    const fresh = await signIn(u.email, u.password);
    // A copy of the old cookie signing out again changes nothing: the fresh session stands.
    await options.events!.signOut!({ token: phone.token, session: undefined as never });
    expect(await as(fresh.session)).toMatchObject({ id: u.id });
    expect(await db().auditLog.count({ where: { actorId: u.id, action: "auth.sign_out" } })).toBe(1);
  });

  it("single sign-on: a role changed by the identity provider ends the older sessions", async () => {
    const u = await db().user.create({ data: { email: "sso@example.test", role: "analyst", authProvider: "oidc", oidcSubject: "sub-1" } });
    const sso = (role: string) =>
      options.callbacks!.signIn!({
        user: { id: "sub-1" },
        account: { provider: "oidc", providerAccountId: "sub-1", type: "oauth" },
        profile: { sub: "sub-1", email: "sso@example.test", sessionproof_role: role } as never,
      });
    expect(await sso("analyst")).toBe(true);
    expect((await db().user.findUniqueOrThrow({ where: { id: u.id } })).sessionVersion).toBe(0);
    expect(await sso("auditor")).toBe(true);
    expect((await db().user.findUniqueOrThrow({ where: { id: u.id } })).sessionVersion).toBe(1);
  });
});
