import { describe, expect, it } from "vitest";
import {
  actorUserId,
  DEFAULT_TENANT,
  forCli,
  osHost,
  osUser,
  forConnector,
  forSignIn,
  forToken,
  fromSessionUser,
  requireActorUserId,
  system,
} from "./request-context";

describe("request context constructors", () => {
  it("a signed-in user: their id, email, role, address and user agent, in the default tenant", () => {
    const ctx = fromSessionUser({ id: "u-1", email: "ana@example.test", role: "analyst", ip: "10.0.0.1", userAgent: "vitest" });
    expect(ctx).toEqual({
      tenantId: DEFAULT_TENANT,
      actor: { kind: "user", id: "u-1", email: "ana@example.test", role: "analyst", ip: "10.0.0.1", userAgent: "vitest" },
    });
    expect(actorUserId(ctx)).toBe("u-1");
  });

  it("a push token: named token:<name> in the audit trail, never a user", () => {
    const ctx = forToken({ id: "t-1", name: "okta stream" }, { ip: "203.0.113.9", userAgent: "curl/8" });
    expect(ctx.actor).toEqual({ kind: "token", id: "t-1", email: "token:okta stream", role: null, ip: "203.0.113.9", userAgent: "curl/8" });
    expect(actorUserId(ctx)).toBeNull();
    expect(() => requireActorUserId(ctx)).toThrow(/needs a user/);
  });

  it("the command line: the operating-system user and host, never a dashboard user", () => {
    const plain = forCli("root");
    expect(plain.actor).toMatchObject({ kind: "cli", id: null, email: "cli:root", role: null });
    expect(actorUserId(plain)).toBeNull();
    const onHost = forCli("alice", "build-01");
    expect(onHost.actor).toEqual({ kind: "cli", id: null, email: "cli:alice@build-01", role: null, ip: null, userAgent: null });
    expect(() => requireActorUserId(onHost)).toThrow(/needs a user/);
    expect(osUser()).toMatch(/\S/);
    expect(osHost()).toMatch(/\S/);
  });

  it("the system, a connector and a sign-in attempt", () => {
    expect(system()).toEqual({
      tenantId: DEFAULT_TENANT,
      actor: { kind: "system", id: null, email: "system", role: null, ip: null, userAgent: null },
    });
    expect(forConnector("okta").actor).toMatchObject({ kind: "connector", id: null, email: "connector:okta" });
    expect(forSignIn({ email: "x@example.test", ip: "10.0.0.2" }).actor).toMatchObject({
      kind: "user",
      id: null,
      email: "x@example.test",
      ip: "10.0.0.2",
    });
    expect(actorUserId(forConnector("okta"))).toBeNull();
    expect(actorUserId(system())).toBeNull();
  });
});
