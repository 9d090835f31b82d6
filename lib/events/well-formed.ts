// PostgreSQL's JSON functions refuse two things JavaScript strings can hold: a lone UTF-16 surrogate (a truncated
// emoji in a user agent) and U+0000. One such string stored in an event made every query that reads event JSON
// fail, for every user, until the row was edited by hand. Normalized events therefore hold only well-formed text:
// each lone surrogate and each NUL becomes U+FFFD (the replacement character). The raw record keeps the original
// bytes verbatim; only the normalized copy is repaired, and the event says so in extra.text_repaired.

const NUL = "\u0000";

/** The string as well-formed Unicode without NUL (the same string when there was nothing to repair). */
export function wellFormedText(s: string): string {
  const fixed = s.isWellFormed() ? s : s.toWellFormed();
  return fixed.includes(NUL) ? fixed.replaceAll(NUL, "\uFFFD") : fixed;
}

const needsRepair = (s: string) => !s.isWellFormed() || s.includes(NUL);

/**
 * Repairs every string (values and keys) inside a JSON-like value in place, and returns how many it changed.
 * Dates and other non-plain objects are left alone. The walk costs a check per string, nothing when all is well.
 */
export function repairStringsInPlace(value: unknown, depth = 0): number {
  if (depth > 64 || value === null || typeof value !== "object") return 0;
  let repaired = 0;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) repaired += repairAt(value, i, depth);
    return repaired;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return 0;
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    repaired += repairAt(obj, key, depth);
    if (needsRepair(key)) {
      const fixedKey = wellFormedText(key);
      obj[fixedKey] = obj[key];
      delete obj[key];
      repaired++;
    }
  }
  return repaired;
}

/** Repairs the string at container[key], or the strings inside the object there; returns how many it changed. */
function repairAt<K extends number | string>(container: Record<K, unknown>, key: K, depth: number): number {
  const v = container[key];
  if (typeof v !== "string") return repairStringsInPlace(v, depth + 1);
  if (!needsRepair(v)) return 0;
  container[key] = wellFormedText(v);
  return 1;
}
