// The vendor's own retention per log type, kept per platform in lib/sources/<platform>/retention.ts (exported with
// the source definition, read through the registry by lib/coverage/log-retention.ts), each entry citing the vendor
// page it comes from. Which events belong to a log type is decided on three things every event has: its OCSF class,
// its event name and the `extra.shape` a source writes when one platform has several feeds (Salesforce, M365,
// Atlassian).

/** What an event says about the log it came from (grouped in SQL; no event row reaches JS). */
export type LogTypeProbe = { classUid: number; eventName: string | null; shape: string | null };

/** One license or plan level and how long the vendor keeps the log at it. */
export type RetentionTier = { tier: string; days: number };

export type LogTypeRetention = {
  /** Stable id within the platform: "eventlogfile", "sign-in". */
  id: string;
  label: string;
  /**
   * The vendor's retention by license or plan, shortest first; [] when the vendor documents none. Verdicts assume the
   * shortest (the license in force is not known here): the strict reading.
   */
  tiers: readonly RetentionTier[];
  /** Whether an event belongs to this log type; the first matching entry of the platform wins. */
  match: (e: LogTypeProbe) => boolean;
  /** The vendor documentation page the figures come from. */
  doc: string;
  note: string;
};

export const anyEvent = () => true;
export const shapeIs =
  (...shapes: string[]) =>
  (e: LogTypeProbe) =>
    e.shape !== null && shapes.includes(e.shape);

/** The log type of an event: the first entry that matches, else null (an event no entry describes). */
export function logTypeOf(table: readonly LogTypeRetention[], e: LogTypeProbe): LogTypeRetention | null {
  return table.find((t) => t.match(e)) ?? null;
}

/** "1 day (Event Monitoring off) / 30 days (Event Monitoring)", or "not documented". */
export function describeTiers(tiers: readonly RetentionTier[]): string {
  if (tiers.length === 0) return "not documented";
  return tiers.map((t) => `${t.days} day${t.days === 1 ? "" : "s"} (${t.tier})`).join(" / ");
}
