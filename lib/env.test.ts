import { describe, expect, it } from "vitest";
import { EnvError, oidcConfigured, parseEnv } from "./env";

describe("parseEnv", () => {
  it("accepts an empty environment with defaults", () => {
    const e = parseEnv({});
    expect(e.PORT).toBe(3000);
    expect(e.SESSIONPROOF_DATA_DIR).toBe("./data");
    expect(e.DATABASE_URL).toBeUndefined();
    expect(oidcConfigured(e)).toBe(false);
  });

  it("names the variable and the problem", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL: must be a postgresql:\/\/ connection URL/);
    expect(() => parseEnv({ SESSIONPROOF_ADMIN_EMAIL: "a@b.co", SESSIONPROOF_ADMIN_PASSWORD: "short" })).toThrow(
      /SESSIONPROOF_ADMIN_PASSWORD: must be at least 12 characters/,
    );
    expect(() => parseEnv({ NEXTAUTH_SECRET: "tiny" })).toThrow(EnvError);
  });

  it("requires the OIDC settings together, and the admin settings together", () => {
    expect(() => parseEnv({ SESSIONPROOF_OIDC_ISSUER: "https://idp.example.test" })).toThrow(/needs all three/);
    expect(() => parseEnv({ SESSIONPROOF_ADMIN_EMAIL: "a@b.co" })).toThrow(/set both/);
    const e = parseEnv({
      SESSIONPROOF_OIDC_ISSUER: "https://idp.example.test",
      SESSIONPROOF_OIDC_CLIENT_ID: "id",
      SESSIONPROOF_OIDC_CLIENT_SECRET: "secret",
    });
    expect(oidcConfigured(e)).toBe(true);
    expect(e.SESSIONPROOF_OIDC_ROLE_CLAIM).toBe("sessionproof_role");
  });

  it("takes the schema owner's URL only beside DATABASE_URL, the app's own role", () => {
    expect(() => parseEnv({ SESSIONPROOF_OWNER_DATABASE_URL: "postgresql://owner@db/sp" })).toThrow(
      /SESSIONPROOF_OWNER_DATABASE_URL: set DATABASE_URL too/,
    );
    expect(() => parseEnv({ DATABASE_URL: "postgresql://app@db/sp", SESSIONPROOF_OWNER_DATABASE_URL: "owner" })).toThrow(
      /SESSIONPROOF_OWNER_DATABASE_URL: must be a postgresql:\/\/ connection URL/,
    );
    const e = parseEnv({ DATABASE_URL: "postgresql://app@db/sp", SESSIONPROOF_OWNER_DATABASE_URL: "postgresql://owner@db/sp" });
    expect(e.SESSIONPROOF_OWNER_DATABASE_URL).toBe("postgresql://owner@db/sp");
  });
});
