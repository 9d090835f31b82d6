// Reading vendor records defensively: every field may be missing, null, of another type, or (in some
// exports, e.g. Panther's copies) spelled with other letter case. These helpers never throw.

export type Rec = Record<string, unknown>;

export function isRec(v: unknown): v is Rec {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

// Some exports lower-case every key (Panther's copies: `eventtype`, `authenticationcontext`, `calleripaddress`).
// A miss on the documented name is retried with the all-lowercase spelling: one extra property lookup.
const lowered = new Map<string, string>();
function lower(key: string): string {
  let l = lowered.get(key);
  if (l === undefined) {
    l = key.toLowerCase();
    lowered.set(key, l);
  }
  return l;
}

/** A field by its documented name, or by its all-lowercase spelling (e.g. Okta `authenticationcontext`). */
export function field(o: unknown, key: string): unknown {
  if (!isRec(o)) return undefined;
  const exact = o[key];
  if (exact !== undefined) return exact;
  const l = lower(key);
  return l === key || !Object.hasOwn(o, l) ? undefined : o[l];
}

/** A nested field by path: at(o, "authenticationContext", "externalSessionId"). */
export function at(o: unknown, ...path: string[]): unknown {
  let cur = o;
  for (const p of path) {
    cur = field(cur, p);
    if (cur === undefined || cur === null) return cur;
  }
  return cur;
}

/** A nested object, or null. */
export function recAt(o: unknown, ...path: string[]): Rec | null {
  const v = at(o, ...path);
  return isRec(v) ? v : null;
}

/** A nested array, or []. */
export function listAt(o: unknown, ...path: string[]): unknown[] {
  const v = at(o, ...path);
  return Array.isArray(v) ? v : [];
}

// Placeholder strings vendors (and exports) write instead of leaving a field out.
const PLACEHOLDERS = new Set(["", "null", "NULL", "None", "undefined"]);

/** Text of a scalar: trimmed non-empty string, or a finite number/boolean as text; else null. */
export function text(v: unknown): string | null {
  if (typeof v === "string") {
    const t = v.trim();
    return PLACEHOLDERS.has(t) ? null : t;
  }
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : null;
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "boolean") return String(v);
  return null;
}

/** Text at a path. */
export function textAt(o: unknown, ...path: string[]): string | null {
  return text(at(o, ...path));
}

/** Like text(), but also drops "unknown"-style placeholders: for keys that must never join unrelated events. */
export function keyText(v: unknown): string | null {
  const t = text(v);
  if (t === null) return null;
  const l = t.toLowerCase();
  return l === "unknown" || l === "n/a" || l === "-" ? null : t;
}

/** true/false from booleans and the vendors' "true"/"false"/"Yes"/"No" strings; else null. */
export function boolish(v: unknown): boolean | null {
  if (typeof v === "boolean") return v;
  if (typeof v === "string") {
    const l = v.trim().toLowerCase();
    if (l === "true" || l === "yes") return true;
    if (l === "false" || l === "no") return false;
  }
  return null;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
export function emailShaped(s: string | null): string | null {
  return s !== null && EMAIL.test(s) ? s : null;
}

const IPV4 = /^(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^[0-9a-fA-F:]*:[0-9a-fA-F:.]*(?:%[\w.-]+)?$/;
/** The value if it is an IP address (v4 or v6, text form); null otherwise. */
export function ipOrNull(s: string | null): string | null {
  if (s === null) return null;
  if (IPV4.test(s)) return s;
  if (s.includes(":") && s.length <= 64 && IPV6.test(s)) return s;
  return null;
}

export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/** A JSON-safe copy of an arbitrary value (drops undefined, functions, non-finite numbers, cycles). */
function toJson(v: unknown, depth = 0): Json | undefined {
  if (v === null) return null;
  switch (typeof v) {
    case "string":
    case "boolean":
      return v;
    case "number":
      return Number.isFinite(v) ? v : null;
    case "bigint":
      return v.toString();
    case "object": {
      if (depth > 32) return null;
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
      if (Array.isArray(v)) return v.map((x) => toJson(x, depth + 1) ?? null);
      const out: { [k: string]: Json } = {};
      for (const [k, x] of Object.entries(v as Rec)) {
        const j = toJson(x, depth + 1);
        if (j !== undefined) out[k] = j;
      }
      return out;
    }
    default:
      return undefined;
  }
}

/**
 * Builds `extra`: keeps only present values (null/undefined/"" dropped). Plain objects and arrays (from
 * JSON.parse) are kept by reference, not walked twice: the event schema's check walks them; anything else is
 * copied into a JSON-safe form.
 */
export function extraOf(entries: Record<string, unknown>): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const k in entries) {
    const v = entries[k];
    if (v === undefined || v === null || v === "") continue;
    const t = typeof v;
    if (t === "string" || t === "boolean" || (t === "number" && Number.isFinite(v))) out[k] = v as Json;
    else if (t === "object" && (Array.isArray(v) || Object.getPrototypeOf(v) === Object.prototype))
      out[k] = v as Json; // from JSON.parse; the event schema checks it
    else {
      const j = toJson(v);
      if (j !== undefined && j !== null) out[k] = j;
    }
  }
  return out;
}
