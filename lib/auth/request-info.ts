import { env } from "@/lib/env";
import { normalizeAddress, parseAddressRanges, type AddressRanges } from "./address-ranges";

// The caller's address and user agent, for throttling and the audit trail.
//
// The address must be one a client cannot choose. Next.js gives route handlers and pages the request headers only,
// never the socket (NextRequest.ip is gone since Next 15), and `next start` fills X-Forwarded-For with the socket
// address only when the request did not bring one, so that header alone is whatever the client wrote. Therefore:
//  - the web server's process stamps each request with its TCP peer address in the x-sessionproof-peer header,
//    replacing anything a client sent under that name (scripts/peer-address.mjs, preloaded by scripts/start.ts);
//  - X-Forwarded-For is read only when the peer is one of SESSIONPROOF_TRUSTED_PROXIES: then the client is the
//    right-most address in the chain that is not a trusted proxy (entries further left were written by the client
//    or proxies nobody vouches for);
//  - otherwise the client is the peer, and X-Forwarded-For is ignored.
// Without the stamp (a server not started through scripts/start.ts) the peer is unknown: with trusted proxies
// configured the chain is read as if the request came through them (the operator says only they reach the app),
// without them the address is null, and throttling counts such requests under one shared "unknown" address.

/** The request header that carries the TCP peer address, set by the server process itself. */
export const PEER_HEADER = "x-sessionproof-peer";
/** Set on globalThis by scripts/peer-address.mjs once it stamps every request; without it the header is not trusted. */
const PEER_STAMP = Symbol.for("sessionproof.peer-address-stamp");

/** The caller's address and user agent, as read from one request. */
export type ClientInfo = { ip: string | null; userAgent: string | null };

/** What the address is read from: the proxies to believe, and whether the server stamps the peer address. */
export type AddressPolicy = { trustedProxies: AddressRanges | null; peerStamped: boolean };

type HeaderBag = Headers | Record<string, string | string[] | undefined> | undefined;

function header(headers: HeaderBag, name: string): string | null {
  if (!headers) return null;
  if (headers instanceof Headers) return headers.get(name);
  const v = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(", ") : (v ?? null);
}

let cachedPolicy: AddressPolicy | undefined;
function currentPolicy(): AddressPolicy {
  cachedPolicy ??= (() => {
    const { ranges } = parseAddressRanges(env().SESSIONPROOF_TRUSTED_PROXIES);
    return { trustedProxies: ranges.size > 0 ? ranges : null, peerStamped: false };
  })();
  return { ...cachedPolicy, peerStamped: (globalThis as Record<symbol, unknown>)[PEER_STAMP] === PEER_HEADER };
}

export function clientIp(headers: HeaderBag, policy: AddressPolicy = currentPolicy()): string | null {
  const peer = policy.peerStamped ? normalizeAddress(header(headers, PEER_HEADER)) : null;
  const proxies = policy.trustedProxies;
  if (!proxies) return peer;
  if (peer !== null && !proxies.contains(peer)) return peer;
  const chain = (header(headers, "x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (let i = chain.length - 1; i >= 0; i--) {
    const hop = normalizeAddress(chain[i]);
    // An entry that is not an address was not written by a proxy this app trusts: the client is not known.
    if (hop === null) return null;
    if (!proxies.contains(hop)) return hop;
  }
  // Every hop is a trusted proxy (a request made from the proxy's own host): the left-most one is the client.
  return normalizeAddress(chain[0]) ?? peer;
}

export function userAgent(headers: HeaderBag): string | null {
  return header(headers, "user-agent");
}

export function clientInfo(headers: HeaderBag): ClientInfo {
  return { ip: clientIp(headers), userAgent: userAgent(headers) };
}
