import { ipOrNull, text } from "./fields";

// The unspecified address is what some exports write when they have no client address (Snowflake's elided
// failures, placeholder rows): it names no source, so two unrelated events must never share it as their IP.
const UNSPECIFIED = new Set(["0.0.0.0", "::", "0:0:0:0:0:0:0:0"]);

/**
 * A record's client IP for src_endpoint.ip: an IP address in text form, else null. Placeholders ("null", "",
 * "unknown", "Salesforce.com IP", "Internal") are not addresses, and neither is the unspecified address.
 */
export function sourceIp(v: unknown): string | null {
  const ip = ipOrNull(text(v));
  return ip === null || UNSPECIFIED.has(ip) ? null : ip;
}
