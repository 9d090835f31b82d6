// The caller's address and user agent, for throttling and the audit trail. x-forwarded-for is set by the Next
// server for direct connections; behind a proxy, its first entry is the client the proxy saw.
/** The caller's address and user agent, as read from one request. */
export type ClientInfo = { ip: string | null; userAgent: string | null };

type HeaderBag = Headers | Record<string, string | string[] | undefined> | undefined;

function header(headers: HeaderBag, name: string): string | null {
  if (!headers) return null;
  if (headers instanceof Headers) return headers.get(name);
  const v = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
}

export function clientIp(headers: HeaderBag): string | null {
  const xff = header(headers, "x-forwarded-for");
  if (xff) return xff.split(",")[0].trim() || null;
  return header(headers, "x-real-ip");
}

export function userAgent(headers: HeaderBag): string | null {
  return header(headers, "user-agent");
}

export function clientInfo(headers: HeaderBag): ClientInfo {
  return { ip: clientIp(headers), userAgent: userAgent(headers) };
}
