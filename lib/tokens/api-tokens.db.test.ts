import { describe, expect, it } from "vitest";
import { testContext } from "@/lib/context/testing";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { createUser } from "@/lib/users/create-user";
import { createUserInput } from "@/lib/users/create-user.types";
import { createApiTokenInput } from "./api-tokens.types";
import { authenticatePushToken, createApiToken, listApiTokens, revokeApiToken } from "./api-tokens";
import { hashToken } from "./token-format";

const platforms = ["okta", "github"];

async function admin() {
  const u = await createUser({
    input: createUserInput.parse({ email: `admin-${crypto.randomUUID()}@example.test`, role: "admin", password: "admin password 1" }),
    ctx: testContext(),
  });
  return testContext({ id: u.id, email: u.email, role: u.role });
}

describe("push API tokens", () => {
  it("are shown once, stored only as a hash, scoped to one source, and authenticate until revoked", async () => {
    const ctx = await admin();
    const { token, apiToken } = await createApiToken({
      input: createApiTokenInput.parse({ name: "okta stream", platform: "okta" }),
      ctx,
      knownPlatforms: platforms,
    });
    expect(token).toMatch(/^sp_push_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    const row = await db().apiToken.findUniqueOrThrow({ where: { id: apiToken.id } });
    expect(row.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(JSON.stringify(await listApiTokens())).not.toContain(token);
    expect(apiToken).toMatchObject({ sourceName: "okta", platform: "okta", revokedAt: null });

    const auth = await authenticatePushToken({ authorization: `Bearer ${token}` });
    expect(auth.source).toMatchObject({ platform: "okta", name: "okta" });
    expect((await db().apiToken.findUniqueOrThrow({ where: { id: apiToken.id } })).lastUsedAt).not.toBeNull();

    await revokeApiToken({ id: apiToken.id, ctx });
    await expect(authenticatePushToken({ authorization: `Bearer ${token}` })).rejects.toThrow(/revoked/);
    const audit = await db().auditLog.findMany({ where: { resourceId: apiToken.id }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["api_token.created", "api_token.revoked"]);
  });

  it("refuse missing, malformed, unknown and expired tokens with a message each", async () => {
    const ctx = await admin();
    await expect(authenticatePushToken({ authorization: null })).rejects.toThrow(/Authorization: Bearer/);
    await expect(authenticatePushToken({ authorization: "Bearer nope" })).rejects.toThrow(/not a Sessionproof push token/);
    await expect(authenticatePushToken({ authorization: `Bearer sp_push_00000000_${"a".repeat(43)}` })).rejects.toThrow(
      /Unknown API token/,
    );
    const { token, apiToken } = await createApiToken({
      input: createApiTokenInput.parse({ name: "gh", platform: "github", expiresInDays: 1 }),
      ctx,
      knownPlatforms: platforms,
    });
    await db().apiToken.update({ where: { id: apiToken.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const err = await authenticatePushToken({ authorization: `Bearer ${token}` }).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe("UNAUTHENTICATED");
    expect(err.message).toMatch(/expired/);
  });

  it("refuse an unknown platform and a source of another platform", async () => {
    const ctx = await admin();
    await expect(
      createApiToken({ input: createApiTokenInput.parse({ name: "x", platform: "myspace" }), ctx, knownPlatforms: platforms }),
    ).rejects.toThrow(/Unknown platform/);
    await createApiToken({
      input: createApiTokenInput.parse({ name: "a", platform: "okta", sourceName: "okta-eu" }),
      ctx,
      knownPlatforms: platforms,
    });
    await expect(
      createApiToken({
        input: createApiTokenInput.parse({ name: "b", platform: "github", sourceName: "okta-eu" }),
        ctx,
        knownPlatforms: platforms,
      }),
    ).rejects.toThrow(/delivers okta, not github/);
  });
});
