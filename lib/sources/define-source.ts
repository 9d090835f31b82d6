import { z } from "zod";
import type { NormalizedEvent } from "@/lib/events/schema";
import { validateEvent } from "@/lib/events/validate";
import { repairStringsInPlace } from "@/lib/events/well-formed";
import type { PlatformProfile } from "./define-platform";
import { NormalizeError, type DetectProbe, type NormalizeContext, type Source } from "./types";

export type SourceDefinition = {
  /** Everything known about the platform apart from reading its records (<platform>/profile.ts, definePlatform). */
  profile: PlatformProfile;
  formats: readonly string[];
  detect(probe: DetectProbe): number;
  /** Maps one record; may return events typed as NormalizedEvent without having validated them. */
  normalize(record: unknown, ctx: NormalizeContext): NormalizedEvent[];
};

/** Prefix of the reason when a source produced an event the schema refuses (a source bug, or odd input). */
export const INVALID_EVENT_REASON = "normalized event failed validation";

/**
 * Builds a Source whose normalize() output is checked against NormalizedEventSchema (through the fast
 * predicate derived from it, lib/events/validate.ts), so every event that reaches the database has the
 * documented shape, with every string well-formed (lone surrogates and NUL replaced). A failed check becomes a NormalizeError (the record is quarantined with zod's message
 * instead of storing a malformed event).
 */
export function defineSource(def: SourceDefinition): Source {
  const { profile } = def;
  return {
    profile,
    platform: profile.platform,
    label: profile.label,
    formats: def.formats,
    privileged: profile.privileged,
    callerNamedActor: profile.callerNamedActor,
    retention: profile.retention,
    detect: (probe) => {
      const s = def.detect(probe);
      return Number.isFinite(s) ? Math.min(1, Math.max(0, s)) : 0;
    },
    normalize(record, ctx) {
      const events = def.normalize(record, ctx);
      for (const e of events) {
        // Stored JSON must be text PostgreSQL can read back (lib/events/well-formed.ts); the raw record keeps the bytes.
        const repaired = repairStringsInPlace(e);
        if (repaired > 0) e.extra = { ...e.extra, text_repaired: repaired };
        const r = validateEvent(e);
        if (!r.ok) throw new NormalizeError(`${INVALID_EVENT_REASON}: ${z.prettifyError(r.error).replace(/\s*\n\s*/g, "; ")}`);
      }
      return events;
    },
  };
}

/** Mean of per-record scores over the probe's records (0 when there are none). */
export function meanScore(records: unknown[], score: (r: unknown) => number): number {
  if (records.length === 0) return 0;
  let sum = 0;
  for (const r of records) sum += score(r);
  return sum / records.length;
}
