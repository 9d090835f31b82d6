// Client-side fetch for the dashboard's own API: JSON in and out, and errors carried as ApiError with the
// server's message and field messages, so that forms can show them next to the right input.
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

export async function apiFetch<T>(url: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, {
    ...init,
    headers: { "content-type": "application/json", accept: "application/json", ...(init.headers ?? {}) },
  });
  if (res.ok) return (await res.json()) as T;
  let body: { error?: { code?: string; message?: string; fields?: Record<string, string[]> } } = {};
  try {
    body = await res.json();
  } catch {
    // not JSON: fall through to the generic message
  }
  const message = body.error?.message ?? FALLBACK[res.status] ?? `The server answered ${res.status}.`;
  throw new ApiError(res.status, body.error?.code ?? "UNKNOWN", message, body.error?.fields);
}
