import { ipOrNull, text } from "./fields";

// The unspecified address is what some exports write when they have no client address (Snowflake's elided
// failures, placeholder rows): it names no source, so two unrelated events must never share it as their IP.
const UNSPECIFIED = new Set(["0.0.0.0", "::", "0:0:0:0:0:0:0:0"]);

export type SourceIpOptions = {
  /**
   * "drop" where the platform writes a loopback address (127.0.0.0/8, ::1) for an action that ran inside its
   * own service (Microsoft 365 server-side actions, Entra, Okta, Google Workspace): a placeholder, not where
   * anyone was. Dropping also reads IPv6 in every spelling (zone index, long form, IPv4-mapped), so no loopback
   * or unspecified address gets through. "keep" where a loopback address is what the platform recorded.
   */
  loopback: "keep" | "drop";
};

/**
 * A record's client IP for src_endpoint.ip: an IP address in text form, else null. Placeholders ("null", "",
 * "unknown", "Salesforce.com IP", "Internal") are not addresses, and neither is the unspecified address. The
 * written value stays in the raw record.
 */
export function sourceIp(v: unknown, { loopback }: SourceIpOptions): string | null {
  const ip = ipOrNull(text(v));
  if (ip === null || UNSPECIFIED.has(ip)) return null;
  return loopback === "drop" && isLoopbackOrUnspecified(ip) ? null : ip;
}

function isLoopbackOrUnspecified(ip: string): boolean {
  if (ip.startsWith("127.")) return true;
  if (!ip.includes(":")) return false;
  const l = ip.toLowerCase().replace(/%.*$/, "");
  return /^[0:]*$/.test(l) || /^[0:]*:0*1$/.test(l) || /^::ffff:(0\.0\.0\.0|127\.)/.test(l);
}
