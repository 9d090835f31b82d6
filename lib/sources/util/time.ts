import { NormalizeError } from "../types";

// Event times as the vendors (and the exports that copy them) write them:
//  - ISO-8601 with Z or an offset: "2024-08-13T15:58:20.353Z", "2021-11-18T09:41:02-08:00"
//  - space-separated, no zone, up to nanoseconds: "2020-11-25 21:27:03.496000000" (Panther, Azure exports).
//    Those exports write UTC, so a time without a zone is read as UTC.
//  - epoch numbers: GitHub @timestamp / created_at are milliseconds. A number below 1e11 is taken as seconds
//    (1e11 ms is 1973; 1e11 s is year 5138), so both readings cannot be confused for real audit data.
const STAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:[.,](\d+))?\s*(Z|z|UTC|[+-]\d{2}(?::?\d{2})?)?$/;

const ISO_ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

function fromEpoch(n: number): Date | null {
  if (!Number.isFinite(n) || n < 0) return null;
  const ms = n >= 1e11 ? n : n * 1000;
  const d = new Date(Math.trunc(ms));
  return Number.isNaN(d.getTime()) ? null : d;
}

export function tryParseTime(v: unknown): Date | null {
  if (typeof v === "number") return fromEpoch(v);
  if (typeof v !== "string") return null;
  const s = v.trim();
  if (s === "") return null;
  // Fast path: full ISO-8601 with an explicit zone (the common case), which Date.parse reads exactly.
  if (s.length >= 20 && s.charCodeAt(10) === 0x54 /* T */ && ISO_ZONED.test(s)) {
    const ms = Date.parse(s);
    if (!Number.isNaN(ms)) return new Date(ms);
  }
  if (/^\d+(?:\.\d+)?$/.test(s)) return fromEpoch(Number(s));
  const m = STAMP.exec(s);
  if (m) {
    const [, date, hm, frac, zone] = m;
    const time = hm.length === 5 ? `${hm}:00` : hm;
    const ms = frac ? `.${frac.slice(0, 3).padEnd(3, "0")}` : "";
    let z = !zone || zone === "z" || zone === "UTC" ? "Z" : zone;
    if (/^[+-]\d{2}$/.test(z)) z = `${z}:00`;
    else if (/^[+-]\d{4}$/.test(z)) z = `${z.slice(0, 3)}:${z.slice(3)}`;
    const d = new Date(`${date}T${time}${ms}${z}`);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}

// US-style times as the Azure portal writes them (Azure Monitor / Log Analytics CSV exports, in the portal's display
// zone, UTC unless changed): "1/9/2007 9:41:00 AM", "12/7/2026, 5:09:40.123 PM". Month first; only with AM/PM, the
// sign of the en-US form (a 24-hour "1/9/2007 21:41" could be day-first and is not read).
const US_STAMP = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*([AaPp][Mm])(?:\s*(?:UTC|GMT|Z))?$/;

/** A US-style (M/D/YYYY h:mm:ss AM) time read as UTC, or null. */
export function tryParseUsTime(v: unknown): Date | null {
  if (typeof v !== "string") return null;
  const m = US_STAMP.exec(v.trim());
  if (!m) return null;
  const [, mo, day, y, hh, mi, ss, frac, ampm] = m;
  const h = Number(hh);
  if (h < 1 || h > 12) return null;
  const hour = (h % 12) + (/p/i.test(ampm) ? 12 : 0);
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, "0")) : 0;
  const d = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(day), hour, Number(mi), Number(ss ?? 0), ms));
  // Date.UTC rolls 2/30 over into March: refuse dates that do not exist.
  if (d.getUTCMonth() !== Number(mo) - 1 || d.getUTCDate() !== Number(day) || Number(mi) > 59 || Number(ss ?? 0) > 59) return null;
  return d;
}

/**
 * The event time, or a NormalizeError naming the field: an event without a readable time cannot be placed.
 * `usDates`: also read the Azure portal's US-style form (tryParseUsTime).
 */
export function parseTime(v: unknown, fieldName: string, opts: { usDates?: boolean } = {}): Date {
  if (v === undefined || v === null || v === "") throw new NormalizeError(`no event time (${fieldName} is missing)`);
  const d = tryParseTime(v) ?? (opts.usDates ? tryParseUsTime(v) : null);
  if (!d) throw new NormalizeError(`unreadable event time in ${fieldName}: ${JSON.stringify(v).slice(0, 80)}`);
  return d;
}
