import os from "node:os";
import type { Role } from "@/lib/auth/permissions";

// Who is acting, built once where a request or job enters the system (the route wrapper, the page guard, the CLI,
// background jobs) and handed to every function that changes data. The audit trail,
// case history and created-by columns all read the actor from here, so every entry point records it the same way.

/**
 * The one tenant. Sessionproof is single-tenant: every query that filters or writes a "tenantId" column uses this
 * constant, and no function takes a tenant as a parameter. The columns stay in the schema as the future distribution
 * key (and lead the indexes); making tenants real is described in docs/architecture.md (Tenancy).
 */
export const DEFAULT_TENANT = "default";

export type ActorKind = "user" | "token" | "cli" | "system" | "connector";

export type Actor = {
  kind: ActorKind;
  /** The user's id (kind "user"), the push token's id (kind "token"), else null (the command line is no user row). */
  id: string | null;
  /** What the audit trail shows: the user's email, `token:<name>`, `cli:<os user>@<host>`, `connector:<name>` or "system". */
  email: string | null;
  /** The user's role when the actor is a user, for checks inside lib/ (e.g. an admin may edit others' notes). */
  role: Role | null;
  ip: string | null;
  userAgent: string | null;
};

/** `tenantId` is the constant's literal type, so no context can name another tenant. */
export type RequestContext = { tenantId: typeof DEFAULT_TENANT; actor: Actor };

type UserLike = { id: string; email: string; role: Role; ip?: string | null; userAgent?: string | null };

const make = (actor: Actor): RequestContext => ({ tenantId: DEFAULT_TENANT, actor });

/** A signed-in user (lib/auth/guard.ts currentUser), with the request's address and user agent. */
export function fromSessionUser(user: UserLike): RequestContext {
  return make({ kind: "user", id: user.id, email: user.email, role: user.role, ip: user.ip ?? null, userAgent: user.userAgent ?? null });
}

/** A sign-in attempt, before any session exists: the person is known by email, and by id once found. */
export function forSignIn(who: { id?: string | null; email: string; ip?: string | null; userAgent?: string | null }): RequestContext {
  return make({ kind: "user", id: who.id ?? null, email: who.email, role: null, ip: who.ip ?? null, userAgent: who.userAgent ?? null });
}

/** A push API token delivering for its source; the request's address and user agent come from its headers. */
export function forToken(
  token: { id: string; name: string },
  request: { ip?: string | null; userAgent?: string | null } = {},
): RequestContext {
  return make({
    kind: "token",
    id: token.id,
    email: `token:${token.name}`,
    role: null,
    ip: request.ip ?? null,
    userAgent: request.userAgent ?? null,
  });
}

/**
 * A command-line run by an operating-system user on a host: recorded as such (`cli:<os user>@<host>`, no user row).
 * The command line never acts as a dashboard user: whoever can run it reads the database directly, so a user name
 * it claimed would prove nothing. Case history and created-by columns keep the label (lib/cases/shared.ts caseActor).
 */
export function forCli(osUser: string, host?: string): RequestContext {
  return make({ kind: "cli", id: null, email: `cli:${osUser}${host ? `@${host}` : ""}`, role: null, ip: null, userAgent: null });
}

/** The system itself: background runs nobody asked for (correlation after an ingest, start-up work). */
export function system(): RequestContext {
  return make({ kind: "system", id: null, email: "system", role: null, ip: null, userAgent: null });
}

/** A pull connector job fetching from a vendor's API. */
export function forConnector(name: string): RequestContext {
  return make({ kind: "connector", id: null, email: `connector:${name}`, role: null, ip: null, userAgent: null });
}

/** The operating-system user running this process, for forCli. */
export function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    // no passwd entry for this uid (a container started with an arbitrary uid)
    return process.env.USER ?? process.env.USERNAME ?? `uid-${process.getuid?.() ?? "unknown"}`;
  }
}

/** This machine's host name, for forCli. */
export function osHost(): string {
  return os.hostname() || "unknown-host";
}

/**
 * The user behind the actor, for columns that reference a user (audit_log.actorId, createdById, case history):
 * a signed-in user; null for the command line, tokens, connectors and the system.
 */
export function actorUserId(ctx: RequestContext): string | null {
  return ctx.actor.kind === "user" ? ctx.actor.id : null;
}

/** Like actorUserId, for changes that must be made by a user (case history points at a user row). */
export function requireActorUserId(ctx: RequestContext): string {
  const id = actorUserId(ctx);
  if (!id) throw new Error(`This change needs a user as its actor, not ${ctx.actor.kind} (${ctx.actor.email ?? "anonymous"}).`);
  return id;
}
