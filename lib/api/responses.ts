// The response shapes every route shares: one list shape (lib/list-result.ts, with its schema), one "created"
// answer, one file download.

import type { ListResult } from "@/lib/list-result";

export type { ListResult } from "@/lib/list-result";

/** A list returned whole: every item, counted. */
export function wholeList<T>(items: T[]): ListResult<T> & { total: number } {
  return { items, total: items.length };
}

const NO_STORE = { "Cache-Control": "no-store" };

/** 201 Created with the new resource as JSON, and its URL in Location when it has one. */
export function created(body: unknown, location?: string | null): Response {
  const headers: Record<string, string> = { ...NO_STORE };
  if (location) headers.Location = location;
  return Response.json(body, { status: 201, headers });
}

/**
 * A file for the browser: Content-Disposition with both an ASCII fallback and the UTF-8 name (RFC 6266 /
 * RFC 8187 filename*), never cached, never sniffed into something executable. `inline` opens it in the browser
 * (a printable report) instead of saving it.
 */
export function download(
  body: BodyInit | null,
  {
    fileName,
    contentType,
    inline = false,
    headers,
  }: { fileName: string; contentType: string; inline?: boolean; headers?: Record<string, string> },
): Response {
  return new Response(body, {
    headers: {
      "Content-Type": contentType,
      "Content-Disposition": contentDisposition(fileName, inline),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
      ...headers,
    },
  });
}

/** `attachment; filename="ascii"; filename*=UTF-8''percent-encoded` (the fallback drops quotes, backslashes and non-ASCII). */
export function contentDisposition(fileName: string, inline = false): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${inline ? "inline" : "attachment"}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
