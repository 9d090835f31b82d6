import { NextResponse, type NextRequest } from "next/server";
import type { z } from "zod";
import { AppError, toErrorBody } from "@/lib/errors";
import { authorizeApi, type SessionUser } from "@/lib/auth/guard";
import { API_ACCESS, type ApiKey } from "@/lib/auth/routes";
import { env } from "@/lib/env";
import { assertJsonBody, assertSameOriginRequest } from "./csrf";
import { refuseNul } from "./refuse-nul";
import { clientIp, userAgent } from "@/lib/auth/request-info";
import { fromSessionUser, type RequestContext } from "@/lib/context/request-context";
import { contractOf, type ContractOf, type RouteContract } from "./contracts";

/** The caller's address and user agent, read once here (token routes build their context from it). */
type ClientInfo = { ip: string | null; userAgent: string | null };

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;
type Part<C, K extends keyof RouteContract> = C extends { [P in K]: infer S } ? Parsed<S> : undefined;

/**
 * What a route handler may answer: for a route whose contract declares a `response`, data of that schema's type
 * (or a Response from created() / download()), so that a handler cannot drift from its declared answer without
 * a type error; a download route answers with a Response.
 */
export type RouteReply<K extends ApiKey> =
  ContractOf<K> extends { response: infer S extends z.ZodType }
    ? z.input<S> | Response
    : ContractOf<K> extends { download: readonly string[] }
      ? Response
      : unknown;

/** What a route handler gets: the request, who calls (user and context), and its input parsed by its contract. */
export type RouteArgs<K extends ApiKey> = {
  req: NextRequest;
  user: SessionUser | null;
  ctx: RequestContext | null;
  client: ClientInfo;
  params: Part<ContractOf<K>, "params">;
  query: Part<ContractOf<K>, "query">;
  body: Part<ContractOf<K>, "body">;
  headers: Part<ContractOf<K>, "headers">;
};

async function readJson(req: NextRequest): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    throw new AppError("BAD_REQUEST", "The request body is not valid JSON.");
  }
}

/**
 * Parses the request by the route's contract (lib/api/contracts.ts), once: path params, search params, the JSON
 * body, headers. A ZodError from any of them becomes the one 422 shape (lib/errors.ts toErrorBody).
 */
async function parseRequest(contract: RouteContract, req: NextRequest, rawParams: unknown) {
  const query = Object.fromEntries(new URL(req.url).searchParams);
  const json = contract.body ? await readJson(req) : undefined;
  refuseNul({ params: rawParams, query, body: json });
  return {
    params: contract.params ? contract.params.parse(rawParams ?? {}) : undefined,
    query: contract.query ? contract.query.parse(query) : undefined,
    body: contract.body ? contract.body.parse(json) : undefined,
    headers: contract.headers ? contract.headers.parse(Object.fromEntries(req.headers)) : undefined,
  };
}

// Every route handler goes through here: the permission check for its route key, the request parsed by the
// route's contract, and one place where thrown errors become JSON ({error:{code,message,fields}}) with the status
// from lib/errors. A handler answers with data (200 JSON), or a Response from created() / download().
export function apiRoute<K extends ApiKey>(key: K, fn: (args: RouteArgs<K>) => Promise<RouteReply<K>>) {
  return async (req: NextRequest, context: { params: Promise<unknown> }): Promise<Response> => {
    try {
      const contract = contractOf(key);
      // Cookie-authenticated changes must come from this app's pages (lib/api/csrf.ts); bearer-token routes carry
      // no cookie and are exempt.
      if (API_ACCESS[key] !== "token" && API_ACCESS[key] !== "public") {
        assertSameOriginRequest({
          method: req.method,
          headers: req.headers,
          requestOrigin: req.nextUrl.origin,
          appOrigin: env().NEXTAUTH_URL ?? null,
        });
        if (contract.body) assertJsonBody(req.headers);
      }
      // Authorization first: a caller without access learns nothing about what the route would accept.
      const user = await authorizeApi(key);
      const input = await parseRequest(contract, req, context?.params ? await context.params : {});
      const client = { ip: clientIp(req.headers), userAgent: userAgent(req.headers) };
      const result = await fn({ req, user, ctx: user ? fromSessionUser(user) : null, client, ...input } as RouteArgs<K>);
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
export function userRoute<K extends ApiKey>(
  key: K,
  fn: (args: RouteArgs<K> & { user: SessionUser; ctx: RequestContext }) => Promise<RouteReply<K>>,
) {
  return apiRoute<K>(key, async (a) => {
    if (!a.user || !a.ctx) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
    return fn({ ...a, user: a.user, ctx: a.ctx });
  });
}
