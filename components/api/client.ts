import { z } from "zod";

// The one low-level fetch for the dashboard's own API. JSON in and out; every answer is parsed with the schema
// the caller passes, so a component gets data of the shape it was written for or a clear error, never a
// silently wrong object. Failures carry the server's { error: { code, message, fields } } as an ApiError so
// that forms can show the message, and the field messages next to the right input.
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields?: Record<string, string[]>;
  constructor(status: number, code: string, message: string, fields?: Record<string, string[]>) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

const FALLBACK: Record<number, string> = {
  401: "Your session has ended. Sign in again.",
  403: "Your role does not allow this.",
  404: "Not found.",
  429: "Too many requests. Wait a moment and try again.",
};

/** Checks a successful answer against the schema; a mismatch is an ApiError with code BAD_RESPONSE. */
export function parseResponse<S extends z.ZodType>(url: string, schema: S, status: number, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const path = url.split("?")[0];
  const first = parsed.error.issues[0];
  const where = first ? `${first.path.length ? first.path.join(".") : "the answer"}: ${first.message}` : "unknown shape";
  // The full list helps whoever debugs it; the user gets one line.
  console.error(`Unexpected answer from ${path}`, parsed.error.issues);
  throw new ApiError(
    status,
    "BAD_RESPONSE",
    `The server's answer to ${path} is not what this page expects (${where}). Reload the page; if it persists, report it.`,
  );
}

/** The ApiError for a failed answer: the server's message and field messages, else a message per status. */
export function errorFromBody(status: number, body: unknown): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown; fields?: unknown } } | null)?.error;
  const message = typeof error?.message === "string" ? error.message : (FALLBACK[status] ?? `The server answered ${status}.`);
  const code = typeof error?.code === "string" ? error.code : "UNKNOWN";
  const fields = error?.fields && typeof error.fields === "object" ? (error.fields as Record<string, string[]>) : undefined;
  return new ApiError(status, code, message, fields);
}

export async function apiFetch<S extends z.ZodType>(url: string, schema: S, init: RequestInit = {}): Promise<z.output<S>> {
  const res = await fetch(url, {
    ...init,
    headers: { "content-type": "application/json", accept: "application/json", ...(init.headers ?? {}) },
  });
  let body: unknown = undefined;
  let json = true;
  try {
    body = await res.json();
  } catch {
    json = false;
  }
  if (!res.ok) throw errorFromBody(res.status, json ? body : null);
  if (!json)
    throw new ApiError(
      res.status,
      "BAD_RESPONSE",
      `The server's answer to ${url.split("?")[0]} is not JSON. Reload the page and try again.`,
    );
  return parseResponse(url, schema, res.status, body);
}

/** RequestInit for a JSON body. */
export function send(method: "POST" | "PUT" | "PATCH" | "DELETE", body?: unknown): RequestInit {
  return body === undefined ? { method } : { method, body: JSON.stringify(body) };
}

/** One line for the user: the API's message, or a plain word for a lost connection. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  // fetch rejects with a TypeError when the request never got an answer.
  if (err instanceof TypeError) return "The request failed. Check your connection and try again.";
  return err instanceof Error ? err.message : String(err);
}

/** The message followed by every field message, for forms that do not show them beside each input. */
export function errorSummary(err: unknown): string {
  const fields = err instanceof ApiError && err.fields ? Object.values(err.fields).flat().join(" ") : "";
  return fields ? `${errorMessage(err)} ${fields}` : errorMessage(err);
}

/**
 * The items of a list answer, for a caller that wants them as an array: the route's own list schema (from its
 * contract, lib/list-result.ts ListResult) parses the answer, then only the items are kept.
 */
export function itemsOf<S extends z.ZodType<{ items: unknown[] }>>(list: S) {
  return list.transform((r) => r.items as z.output<S>["items"]);
}
