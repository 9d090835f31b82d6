import type { Role } from "@/lib/auth/permissions";
import { DEFAULT_TENANT, type ActorKind, type RequestContext } from "./request-context";

/** For tests: a user context with only the fields a test cares about (no user row needed when `id` is absent). */
export function testContext(
  who: {
    id?: string | null;
    email?: string | null;
    role?: Role | null;
    ip?: string | null;
    userAgent?: string | null;
    kind?: ActorKind;
  } = {},
): RequestContext {
  return {
    tenantId: DEFAULT_TENANT,
    actor: {
      kind: who.kind ?? "user",
      id: who.id ?? null,
      email: who.email ?? null,
      role: who.role ?? null,
      ip: who.ip ?? null,
      userAgent: who.userAgent ?? null,
    },
  };
}
