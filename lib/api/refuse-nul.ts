import { AppError } from "@/lib/errors";

// PostgreSQL text cannot hold U+0000: a NUL in a search term, a case title or an id used to fail deep inside a
// query as a 500. The request is refused at the door instead, naming each field that holds one.

const MESSAGE = "contains the NUL character (U+0000), which cannot be stored or searched; remove it";

function walk(value: unknown, at: string, fields: Record<string, string[]>, depth = 0): void {
  if (typeof value === "string") {
    if (value.includes("\u0000")) fields[at || "_"] = [MESSAGE];
  } else if (Array.isArray(value)) {
    if (depth < 32) value.forEach((v, i) => walk(v, at ? `${at}.${i}` : String(i), fields, depth + 1));
  } else if (value && typeof value === "object" && depth < 32) {
    for (const [k, v] of Object.entries(value)) {
      const key = at ? `${at}.${k}` : k;
      if (k.includes("\u0000")) fields[key.replace(/\u0000/g, "\\u0000")] = [MESSAGE];
      walk(v, key, fields, depth + 1);
    }
  }
}

/** Throws a 422 naming every path parameter, query parameter and JSON body field that holds a NUL. */
export function refuseNul(parts: { params?: unknown; query?: unknown; body?: unknown }): void {
  const fields: Record<string, string[]> = {};
  for (const [part, value] of Object.entries(parts)) {
    const before = Object.keys(fields).length;
    walk(value, "", fields);
    // Name the part when the value itself (not a field of it) is the culprit.
    if (Object.keys(fields).length > before && fields._) {
      fields[part] = fields._;
      delete fields._;
    }
  }
  if (Object.keys(fields).length) {
    throw new AppError("VALIDATION", "The request contains the NUL character (U+0000); see fields for where.", fields);
  }
}
