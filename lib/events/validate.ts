import type { z } from "zod";
import { NormalizedEventSchema, type NormalizedEvent } from "./schema";

// A fast yes/no check derived from a zod schema, for the ingest hot path. zod's parse builds a new object and
// an issue list for every nested schema, which costs several microseconds per event; this walks the same
// schema definition once, at start-up, into plain predicates. The zod schema stays the single source of truth:
// the predicate is generated from it, a test checks both agree on random events, and when the predicate says
// no, zod itself is run to say why. Any schema node this does not know is checked by zod.

type Check = (v: unknown) => boolean;
type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  element?: z.ZodType;
  entries?: Record<string, unknown>;
  values?: unknown[];
  fn?: (v: unknown) => unknown;
  checks?: {
    _zod: { def: { check: string; minimum?: number; maximum?: number; format?: string; pattern?: RegExp; fn?: (v: unknown) => unknown } };
  }[];
};

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

function fallback(schema: z.ZodType): Check {
  return (v) => schema.safeParse(v).success;
}

/** Checks attached to a node (length limits, regex formats, refinements), or null if one is not understood. */
function compileChecks(def: Def): Check[] | null {
  const out: Check[] = [];
  for (const c of def.checks ?? []) {
    const d = c._zod.def;
    switch (d.check) {
      case "min_length": {
        const min = d.minimum ?? 0;
        out.push((v) => (v as { length: number }).length >= min);
        break;
      }
      case "max_length": {
        const max = d.maximum ?? Infinity;
        out.push((v) => (v as { length: number }).length <= max);
        break;
      }
      case "string_format":
        if (d.format !== "regex" || !(d.pattern instanceof RegExp)) return null;
        {
          const re = d.pattern;
          out.push((v) => {
            re.lastIndex = 0;
            return re.test(v as string);
          });
        }
        break;
      case "custom": {
        const fn = d.fn;
        if (typeof fn !== "function") return null;
        out.push((v) => {
          const r = fn(v);
          return !!r && !(r instanceof Promise);
        });
        break;
      }
      default:
        return null;
    }
  }
  return out;
}

function compileCheck(schema: z.ZodType): Check {
  const def = defOf(schema);
  const checks = compileChecks(def);
  if (checks === null) return fallback(schema);
  let base: Check | null = null;
  switch (def.type) {
    case "string": {
      // The common cases in one closure each (a call per check adds up over ~80 fields per event).
      const only = def.checks?.length === 1 ? def.checks[0]._zod.def : null;
      if (only?.check === "min_length") {
        const min = only.minimum ?? 0;
        return (v) => typeof v === "string" && v.length >= min;
      }
      if (
        only?.check === "string_format" &&
        only.format === "regex" &&
        only.pattern instanceof RegExp &&
        !only.pattern.global &&
        !only.pattern.sticky
      ) {
        const re = only.pattern;
        return (v) => typeof v === "string" && re.test(v);
      }
      base = (v) => typeof v === "string";
      break;
    }
    case "number":
      base = (v) => typeof v === "number" && Number.isFinite(v);
      break;
    case "boolean":
      base = (v) => typeof v === "boolean";
      break;
    case "date":
      base = (v) => v instanceof Date && !Number.isNaN(v.getTime());
      break;
    case "literal": {
      const values = def.values ?? [];
      base = (v) => values.includes(v);
      break;
    }
    case "enum": {
      const allowed = new Set(Object.values(def.entries ?? {}));
      base = (v) => allowed.has(v);
      break;
    }
    case "custom": {
      const fn = def.fn;
      if (typeof fn !== "function") return fallback(schema);
      base = (v) => !!fn(v);
      break;
    }
    case "nullable": {
      const inner = compileCheck(def.innerType!);
      base = (v) => v === null || inner(v);
      break;
    }
    case "optional": {
      const inner = compileCheck(def.innerType!);
      base = (v) => v === undefined || inner(v);
      break;
    }
    case "array": {
      const el = compileCheck(def.element!);
      base = (v) => {
        if (!Array.isArray(v)) return false;
        for (let i = 0; i < v.length; i++) if (!el(v[i])) return false;
        return true;
      };
      break;
    }
    case "object": {
      const keys = Object.keys(def.shape ?? {});
      const fields = keys.map((k) => [k, compileCheck(def.shape![k])] as const);
      const known = new Set(keys);
      const strict = def.catchall !== undefined && defOf(def.catchall).type === "never";
      if (def.catchall !== undefined && !strict) return fallback(schema);
      const names = fields.map((f) => f[0]);
      const preds = fields.map((f) => f[1]);
      const n = names.length;
      base = (v) => {
        if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
        const o = v as Record<string, unknown>;
        for (let i = 0; i < n; i++) if (!preds[i](o[names[i]])) return false;
        if (strict) for (const k in o) if (!known.has(k)) return false;
        return true;
      };
      break;
    }
    default:
      return fallback(schema);
  }
  const b = base;
  if (checks.length === 0) return b;
  if (checks.length === 1) {
    const c0 = checks[0];
    return (v) => b(v) && c0(v);
  }
  return (v) => {
    if (!b(v)) return false;
    for (const c of checks) if (!c(v)) return false;
    return true;
  };
}

const isNormalizedEvent = compileCheck(NormalizedEventSchema);

/** True when `e` satisfies NormalizedEventSchema (fast path; same answer as NormalizedEventSchema.safeParse). */
export function isValidEvent(e: unknown): e is NormalizedEvent {
  return isNormalizedEvent(e);
}

/** The event itself when valid (no copy), else zod's detailed error. */
export function validateEvent(e: unknown): { ok: true; event: NormalizedEvent } | { ok: false; error: z.ZodError } {
  if (isValidEvent(e)) return { ok: true, event: e };
  const r = NormalizedEventSchema.safeParse(e);
  return r.success ? { ok: true, event: r.data } : { ok: false, error: r.error };
}
