import { NextResponse, type NextRequest } from "next/server";
import { AppError, toErrorBody } from "@/lib/errors";
import { authorizeApi, type SessionUser } from "@/lib/auth/guard";
import type { ApiKey } from "@/lib/auth/routes";

type Ctx<P> = { req: NextRequest; user: SessionUser | null; params: P };

// Every route handler goes through here: the permission check for its route key, and one place where thrown
// errors become JSON ({error:{code,message,fields}}) with the status from lib/errors.
export function apiRoute<P = Record<string, never>>(key: ApiKey, fn: (ctx: Ctx<P>) => Promise<unknown>) {
  return async (req: NextRequest, context: { params: Promise<P> }): Promise<Response> => {
    try {
      const user = await authorizeApi(key);
      const params = context?.params ? await context.params : ({} as P);
      const result = await fn({ req, user, params });
      if (result instanceof Response) return result;
      return NextResponse.json(result ?? null, { headers: { "Cache-Control": "no-store" } });
    } catch (err) {
      const { status, body } = toErrorBody(err);
      if (status >= 500) console.error(`[api] ${key} failed:`, err);
      return NextResponse.json(body, { status, headers: { "Cache-Control": "no-store" } });
    }
  };
}

/** Like apiRoute, for routes that need a signed-in user: the user is never null inside fn. */
export function userRoute<P = Record<string, never>>(
  key: ApiKey,
  fn: (ctx: Ctx<P> & { user: SessionUser }) => Promise<unknown>,
) {
  return apiRoute<P>(key, async (ctx) => {
    if (!ctx.user) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
    return fn({ ...ctx, user: ctx.user });
  });
}

export async function readJson(req: NextRequest): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    throw new AppError("BAD_REQUEST", "The request body is not valid JSON.");
  }
}
