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

/** The shortest tier of a log type in days (the strict reading: the license in force is not known); null when undocumented. */
export function shortestDays(t: LogTypeRetention): number | null {
  return t.tiers.length > 0 ? Math.min(...t.tiers.map((x) => x.days)) : null;
}

/**
 * One platform's vendor retention as a single figure, for the places that show one per platform (the coverage gaps,
 * the Retention page): the log type kept the shortest (its shortest tier), named and cited. Derived from the
 * platform's retention.ts table, never stated separately. `days` is null when no log type documents a retention (the
 * first log type is named then); `undocumented` lists the log types without a documented retention. Null for a
 * platform without a table (governance feeds, unknown platforms).
 */
export type VendorRetentionSummary = {
  logType: string;
  logTypeLabel: string;
  days: number | null;
  tier: string | null;
  /** The vendor page the figure comes from (the log type's `doc`). */
  doc: string;
  note: string;
  undocumented: string[];
};

export function summarizeRetention(table: readonly LogTypeRetention[]): VendorRetentionSummary | null {
  if (table.length === 0) return null;
  const documented = table.filter((t) => shortestDays(t) !== null);
  const pick = documented.length > 0 ? documented.reduce((a, b) => (shortestDays(b)! < shortestDays(a)! ? b : a)) : table[0];
  const days = shortestDays(pick);
  return {
    logType: pick.id,
    logTypeLabel: pick.label,
    days,
    tier: days === null ? null : pick.tiers.find((x) => x.days === days)!.tier,
    doc: pick.doc,
    note: pick.note,
    undocumented: table.filter((t) => shortestDays(t) === null).map((t) => t.label),
  };
}
