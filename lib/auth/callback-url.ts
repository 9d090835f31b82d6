// Where a visitor may be sent after sign-in: a path on this site, never another origin. The check parses the value
// as a browser would (WHATWG URL) instead of looking at its first characters, because browsers read "\" as "/" and
// drop tabs and newlines: "/\evil.example" and "/<TAB>/evil.example" are "//evil.example", another host, to them.
const BASE = "http://sessionproof.invalid";

/** The same-origin path (path, query, fragment) that `raw` leads to, or null when it leads anywhere else. */
export function sameOriginPath(raw: string | null | undefined): string | null {
  if (typeof raw !== "string" || !raw.startsWith("/")) return null;
  // Backslashes and control characters have no place in a path this app produces; what a browser makes of them
  // differs from what a server sees, so such values are refused rather than repaired.
  if (/[\\\u0000-\u001f\u007f]/.test(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw, BASE);
  } catch {
    return null;
  }
  if (url.origin !== BASE) return null;
  const path = url.pathname + url.search + url.hash;
  // Dot segments can leave "//" in front once resolved ("/.//evil.example" becomes "//evil.example").
  if (path.startsWith("//")) return null;
  return path;
}

/** The after-sign-in path for a callbackUrl given by the client, or `fallback`. */
export function safeCallbackPath(raw: string | null | undefined, fallback = "/sessions"): string {
  return sameOriginPath(raw) ?? fallback;
}

/**
 * next-auth's redirect callback: it hands over the callbackUrl a client posted (a path or an absolute URL). Only a
 * path on this origin survives; anything else goes to the fallback page on this origin.
 */
export function authRedirect({ url, baseUrl }: { url: string; baseUrl: string }, fallback = "/sessions"): string {
  let candidate: string | null = url;
  if (!url.startsWith("/")) {
    try {
      const absolute = new URL(url);
      candidate = absolute.origin === new URL(baseUrl).origin ? absolute.pathname + absolute.search + absolute.hash : null;
    } catch {
      candidate = null;
    }
  }
  return `${new URL(baseUrl).origin}${safeCallbackPath(candidate, fallback)}`;
}
