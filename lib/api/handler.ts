import { NextResponse, type NextRequest } from "next/server";
import { AppError, toErrorBody } from "@/lib/errors";
import { authorizeApi, type SessionUser } from "@/lib/auth/guard";
import type { ApiKey } from "@/lib/auth/routes";
import { clientIp, userAgent } from "@/lib/auth/request-info";
import { fromSessionUser, type RequestContext } from "@/lib/context/request-context";

/** The caller's address and user agent, read once here (token routes build their context from it). */
export type ClientInfo = { ip: string | null; userAgent: string | null };

type Ctx<P> = { req: NextRequest; user: SessionUser | null; ctx: RequestContext | null; client: ClientInfo; params: P };

// Every route handler goes through here: the permission check for its route key, and one place where thrown
// errors become JSON ({error:{code,message,fields}}) with the status from lib/errors.
export function apiRoute<P = Record<string, never>>(key: ApiKey, fn: (ctx: Ctx<P>) => Promise<unknown>) {
  return async (req: NextRequest, context: { params: Promise<P> }): Promise<Response> => {
    try {
      const user = await authorizeApi(key);
      const params = context?.params ? await context.params : ({} as P);
      const client = { ip: clientIp(req.headers), userAgent: userAgent(req.headers) };
      const result = await fn({ req, user, ctx: user ? fromSessionUser(user) : null, client, params });
      if (result instanceof Response) return result;
      return NextResponse.json(result ?? null, { headers: { "Cache-Control": "no-store" } });
    } catch (err) {
      const { status, body } = toErrorBody(err);
      if (status >= 500) console.error(`[api] ${key} failed:`, err);
      return NextResponse.json(body, { status, headers: { "Cache-Control": "no-store" } });
    }
  };
}

/** Like apiRoute, for routes that need a signed-in user: the user and its request context are never null inside fn. */
export function userRoute<P = Record<string, never>>(
  key: ApiKey,
  fn: (ctx: Ctx<P> & { user: SessionUser; ctx: RequestContext }) => Promise<unknown>,
) {
  return apiRoute<P>(key, async (c) => {
    if (!c.user || !c.ctx) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
    return fn({ ...c, user: c.user, ctx: c.ctx });
  });
}

export async function readJson(req: NextRequest): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    throw new AppError("BAD_REQUEST", "The request body is not valid JSON.");
  }
}
