import type { NormalizedEvent } from "@/lib/events/schema";
import { getSource } from "./registry";
import { NormalizeError, type NormalizeContext, type Source } from "./types";

/**
 * One parsed record through its batch's source. A record the source recognises as another platform's (its
 * NormalizeError names the platform it belongs to, e.g. Microsoft 365 audit records inside an export of Entra
 * ID logs) is handed to that platform's source once, so a mixed export loses nothing; if that source refuses it
 * too, the refusal says both. The raw record stays in the batch's source; its events carry their own platform.
 */
export function normalizeRecord(source: Source, record: unknown, ctx: NormalizeContext): NormalizedEvent[] {
  try {
    return source.normalize(record, ctx);
  } catch (err) {
    if (!(err instanceof NormalizeError) || !err.belongsTo || err.belongsTo === source.platform) throw err;
    const other = getSource(err.belongsTo);
    if (!other) throw err;
    try {
      return other.normalize(record, ctx);
    } catch (again) {
      if (again instanceof NormalizeError)
        throw new NormalizeError(`${err.message}; and the ${other.platform} source refused it: ${again.message}`);
      throw again;
    }
  }
}
