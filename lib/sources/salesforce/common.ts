import { eventSkeleton, type EventCore, type NormalizedEvent } from "@/lib/events/schema";
import { emailShaped, field, type Rec, text } from "../util/fields";

export const SALESFORCE_PLATFORM = "salesforce";

/** Text of a record field (documented name, or its all-lowercase spelling). */
export function str(r: Rec | null, key: string): string | null {
  return r ? text(field(r, key)) : null;
}

/** A finite number from a number or a numeric string ("150", "150.0"); else null. */
export function num(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "string" && /^\s*-?\d+(?:\.\d+)?\s*$/.test(v)) return Number(v);
  return null;
}

/**
 * A user named in free text or an export column: "Jane Doe (jdoe@acme.com)" → name + login; a bare
 * email-shaped value is the login; anything else is a display name.
 */
export function splitUser(s: string | null): { name: string | null; login: string | null } {
  if (!s) return { name: null, login: null };
  const m = /^(.*?)\s*\(([^()\s]+@[^()\s]+)\)$/.exec(s);
  if (m) return { name: m[1].trim() || null, login: m[2] };
  if (emailShaped(s)) return { name: null, login: s };
  return { name: s, login: null };
}

// EventLogFile TIMESTAMP: yyyyMMddHHmmss.SSS in GMT (Salesforce's EventLogFile field reference).
const ELF_STAMP = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{1,9}))?$/;

/** An EventLogFile TIMESTAMP (yyyyMMddHHmmss.SSS, GMT), or null when the value is not in that form. */
export function elfStamp(v: string): Date | null {
  const m = ELF_STAMP.exec(v);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac] = m;
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, "0")) : 0;
  const t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const date = new Date(t);
  // Date.UTC rolls 2025-02-31 over to March: only a real calendar time is accepted.
  if (
    Number.isNaN(t) ||
    date.getUTCMonth() !== Number(mo) - 1 ||
    date.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  )
    return null;
  return date;
}

/** Shared event skeleton: every field null/empty, filled by the mappers. */
export function baseEvent(e: Omit<EventCore, "platform">): NormalizedEvent {
  return eventSkeleton({ platform: SALESFORCE_PLATFORM, ...e });
}

/** The person who acted through another user's identity (Login-As), kept beside the actor. */
export type Initiator = { external_id: string | null; login: string | null; name: string | null; via: "login_as" };

export function initiatorOf(externalId: string | null, login: string | null, name: string | null = null): Initiator | null {
  return externalId || login || name ? { external_id: externalId, login, name, via: "login_as" } : null;
}
