import { NextResponse, type NextRequest } from "next/server";

// Runs before every request. Not an authorization boundary (each page and route handler checks its own
// permission in lib/auth/guard.ts); it sets the per-request Content-Security-Policy nonce and refuses
// requests that try to pass as Next's internal subrequests (CVE-2025-29927).
export function proxy(request: NextRequest) {
  if (request.headers.has("x-middleware-subrequest")) return refuse("Request refused.");
  // A NUL in the address reaches page queries as a search term or an id, and PostgreSQL text cannot hold it (a 500).
  if (/%00/.test(request.nextUrl.pathname + request.nextUrl.search)) {
    return refuse("The address contains an encoded NUL character (%00); remove it.");
  }
  const nonce = btoa(crypto.randomUUID());
  const dev = process.env.NODE_ENV === "development";
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // React and recharts set style attributes; inline styles cannot carry script.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(request.nextUrl.protocol === "https:" ? ["upgrade-insecure-requests"] : []),
  ].join("; ");

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  // The real path and query, for requirePage's sign-in return address (a page only knows its route pattern).
  // Set here, it overrides any x-sp-return a client might send.
  requestHeaders.set("x-sp-return", request.nextUrl.pathname + request.nextUrl.search);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  if (request.nextUrl.protocol === "https:") {
    response.headers.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
  }
  return response;
}

function refuse(message: string): NextResponse {
  return new NextResponse(JSON.stringify({ error: { code: "BAD_REQUEST", message } }), {
    status: 400,
    headers: { "content-type": "application/json" },
  });
}

// Ingest routes are left out: Next buffers the body of every request a proxy sees and cuts it at
// proxyClientMaxBodySize (10 MB by default), so a larger upload would reach the route handler truncated. Those
// routes stream multi-GB files and answer JSON, which needs no CSP nonce; they check their own permission.
export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico|api/v1/ingest/).*)" }],
};
