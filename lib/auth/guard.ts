import { getServerSession } from "next-auth";
import { forbidden, redirect } from "next/navigation";
import { headers } from "next/headers";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { authOptions } from "./options";
import { can, type Permission, type Role } from "./permissions";
import { canOpenPage } from "./nav";
import { API_ACCESS, type Access, type ApiKey, type PageKey } from "./routes";
import { clientIp, userAgent } from "./request-info";
import { sameOriginPath } from "./callback-url";
import { fromSessionUser, type RequestContext } from "@/lib/context/request-context";

export type SessionUser = {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  ip: string | null;
  userAgent: string | null;
};

// The signed-in user as the database knows them now: a disabled account or a changed role takes effect on
// the next request, not when the session cookie expires. A session signed in before the user's session version
// moved on (sign-out, password change, disabling, role change) has ended, whatever its cookie says.
export async function currentUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions());
  const id = session?.user?.id;
  if (!id) return null;
  const user = await db().user.findUnique({ where: { id } });
  if (!user || !sessionIsCurrent(user, session.user.sessionVersion)) return null;
  const h = await headers();
  return { id: user.id, email: user.email, name: user.name, role: user.role, ip: clientIp(h), userAgent: userAgent(h) };
}

/** Whether a session signed in with `sessionVersion` still stands for this user (a token without one never does). */
function sessionIsCurrent(user: { disabled: boolean; sessionVersion: number }, sessionVersion: number | undefined): boolean {
  return !user.disabled && sessionVersion === user.sessionVersion;
}

function check(user: SessionUser | null, access: Access): SessionUser | null {
  if (access === "public" || access === "token") return user;
  if (!user) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
  if (!can(user.role, access as Permission)) {
    throw new AppError("FORBIDDEN", "Your role does not allow this. Ask an administrator if you need access.");
  }
  return user;
}

/** For route handlers: the permission comes from the route table by key; throws AppError on refusal. */
export async function authorizeApi(key: ApiKey): Promise<SessionUser | null> {
  const access: Access = API_ACCESS[key];
  // Token routes authenticate their bearer token themselves (lib/tokens/api-tokens.ts).
  if (access === "public" || access === "token") return null;
  return check(await currentUser(), access);
}

/**
 * Where sign-in should send a signed-out visitor back to: the exact path and query they asked for (set by proxy.ts
 * as x-sp-return), not the page's route pattern ("/sessions/[id]" is not a URL). Only same-site paths are kept;
 * without a usable path the page key serves when it has no dynamic segment, else the sessions list.
 */
export function signInReturnPath(requested: string | null | undefined, key: string): string {
  return sameOriginPath(requested) ?? (key.includes("[") ? "/sessions" : key);
}

/** The sign-in page's URL for a signed-out visitor of this request, with the way back (see signInReturnPath). */
export async function signInUrl(key = "/sessions"): Promise<string> {
  return `/login?callbackUrl=${encodeURIComponent(signInReturnPath((await headers()).get("x-sp-return"), key))}`;
}

/**
 * For pages: redirects to sign-in when signed out, renders app/forbidden.tsx (HTTP 403) when refused. The user
 * comes with the request context that lib/ functions which change or record something take.
 */
export async function requirePage(key: PageKey): Promise<SessionUser & { ctx: RequestContext }> {
  const user = await currentUser();
  if (!user) redirect(await signInUrl(key));
  // The same check decides which sidebar links a role sees (lib/auth/nav.ts).
  if (!canOpenPage(user.role, key)) forbidden();
  return { ...user, ctx: fromSessionUser(user) };
}
