import { pool } from "@/lib/db";
import { DEFAULT_TENANT } from "@/lib/context/request-context";
import { describeTiers, logTypeOf, shortestDays, type LogTypeRetention } from "@/lib/sources/vendor-retention";
import { retentionPlatforms, retentionReads, vendorRetention } from "@/lib/sources/registry";
import { getRequiredRetention } from "./get-required-retention";
import { stampedCache } from "./stamped-cache";
import type { LogRetentionReport, LogRetentionRow, LogRetentionStatus, PlatformRetentionVerdict } from "./log-retention.types";

// Retention per platform and log type: the vendor's retention (lib/sources/<platform>/retention.ts), Sessionproof's own
// policy (retention_policy per source; none = kept forever) and the data actually held (oldest and newest event of the
// log type), against the required retention (setting coverage.requiredRetentionDays). Retention is about what is held
// now, so it is measured over everything held, never over an audit period.
//
// A log type is (strictest first):
//   gap            Sessionproof's policy purges before the required days, or ingestion stopped: the newest event held
//                  is older than the vendor keeps, so what came after it may already be gone at the vendor;
//   unknown        the vendor documents no retention, so a stall cannot be ruled out;
//   short_history  the history held does not reach back the required days yet (the first ingest was recent);
//   sufficient     kept at least the required days: policy long enough, history reaching back, ingestion current;
//   not_ingested   no event of this log type is held (listed, not judged: nothing is kept, nothing is claimed).
// Vendor days are the shortest tier (the license in force is not known here). A platform is sufficient only when
// every log type it has data for is; the control counts platforms, and one platform does not make it sufficient.

const DAY = 86_400_000;

// One grouped scan. Event names and the feed shape are read from event.data only for the platforms whose log
// types need them (each platform's profile says so: `retentionReads`; parsing the stored json is most of a scan's
// cost); the others group by platform and class.
const { eventName: NEEDS_NAME, shape: NEEDS_SHAPE } = retentionReads();
const HELD_SQL = `
  SELECT platform, "classUid",
         CASE WHEN platform = ANY($2::text[]) THEN COALESCE("eventName", data->>'event_name') END AS event_name,
         CASE WHEN platform = ANY($3::text[]) THEN data->'extra'->>'shape' END AS shape,
         min(time) AS oldest, max(time) AS newest, count(*) AS events
    FROM event WHERE "tenantId" = $1
   GROUP BY 1, 2, 3, 4`;

// Sessionproof's policy per platform: the shortest among its sources (a source without a policy keeps forever).
const POLICY_SQL = `
  SELECT s.platform, bool_or(p.days IS NULL) AS some_forever, min(p.days) AS min_days
    FROM source s LEFT JOIN retention_policy p ON p."sourceId" = s.id
   WHERE s."tenantId" = $1 GROUP BY s.platform`;

type Held = { oldest: Date; newest: Date; events: number };
type HeldRow = {
  platform: string;
  classUid: number;
  event_name: string | null;
  shape: string | null;
  oldest: Date;
  newest: Date;
  events: string;
};

/** The verdict for one log type (pure; see the header for the rules). */
export function judgeLogType({
  vendorDays,
  ourDays,
  requiredDays,
  held,
  now,
}: {
  vendorDays: number | null;
  ourDays: number | null;
  requiredDays: number;
  held: { oldest: string; newest: string } | null;
  now: Date;
}): { status: LogRetentionStatus; reason: string } {
  if (!held) return { status: "not_ingested", reason: "No events of this log type are held: ingest it to keep its evidence." };
  if (ourDays !== null && ourDays < requiredDays)
    return {
      status: "gap",
      reason: `Sessionproof's retention policy purges raw records after ${ourDays} days, fewer than the ${requiredDays} required: raise the policy on the Retention page.`,
    };
  const staleDays = Math.floor((now.getTime() - Date.parse(held.newest)) / DAY);
  if (vendorDays !== null && staleDays > vendorDays)
    return {
      status: "gap",
      reason: `The newest event held is ${staleDays} days old and the vendor keeps ${vendorDays}: what happened since may already be gone. Resume ingestion now.`,
    };
  if (vendorDays === null)
    return {
      status: "unknown",
      reason:
        "The vendor documents no retention for this log, so a gap in ingestion cannot be ruled out: ingest continuously and check the vendor's setting.",
    };
  const heldDays = Math.floor((now.getTime() - Date.parse(held.oldest)) / DAY);
  if (heldDays < requiredDays) {
    const reachedOn = new Date(Date.parse(held.oldest) + requiredDays * DAY).toISOString().slice(0, 10);
    return {
      status: "short_history",
      reason:
        vendorDays >= requiredDays
          ? `History held reaches back ${heldDays} of the ${requiredDays} required days; the vendor still keeps ${vendorDays}: backfill the rest from the vendor.`
          : `History held reaches back ${heldDays} of the ${requiredDays} required days and the vendor keeps only ${vendorDays}: the earlier days cannot be recovered; continuous ingestion reaches the requirement on ${reachedOn}.`,
    };
  }
  return {
    status: "sufficient",
    reason: `Held since ${held.oldest.slice(0, 10)} (${heldDays} days), kept ${ourDays === null ? "forever" : `${ourDays} days`} by Sessionproof, ingestion current.`,
  };
}

const STATUS_ORDER: Record<LogRetentionStatus, number> = { gap: 0, unknown: 1, short_history: 2, sufficient: 3, not_ingested: 4 };

export async function getLogRetention({ now = new Date() }: { now?: Date } = {}): Promise<LogRetentionReport> {
  const [requiredDays, heldRows, policyRows] = await Promise.all([
    getRequiredRetention(),
    // The grouping scans every event (and parses the JSON of some platforms'): cached until the events change.
    stampedCache<HeldRow[], (Omit<HeldRow, "oldest" | "newest"> & { oldest: string; newest: string })[]>(
      "log-retention",
      async (client) => (await client.query<HeldRow>(HELD_SQL, [DEFAULT_TENANT, NEEDS_NAME, NEEDS_SHAPE])).rows,
      (cached) => cached.map((r) => ({ ...r, oldest: new Date(r.oldest), newest: new Date(r.newest) })),
    ),
    pool()
      .query<{ platform: string; some_forever: boolean; min_days: number | null }>(POLICY_SQL, [DEFAULT_TENANT])
      .then((r) => r.rows),
  ]);

  // Fold the groups into log types (the first table entry that matches; events no entry describes: "unclassified").
  const held = new Map<string, Held>();
  for (const r of heldRows) {
    const table = vendorRetention(r.platform);
    if (table.length === 0) continue; // governance feeds and unknown platforms: no vendor log window
    const t = logTypeOf(table, { classUid: r.classUid, eventName: r.event_name, shape: r.shape });
    const key = `${r.platform}|${t?.id ?? "unclassified"}`;
    const h = held.get(key);
    const events = Number(r.events);
    held.set(
      key,
      h
        ? {
            oldest: h.oldest < r.oldest ? h.oldest : r.oldest,
            newest: h.newest > r.newest ? h.newest : r.newest,
            events: h.events + events,
          }
        : { oldest: r.oldest, newest: r.newest, events },
    );
  }
  const policy = new Map(policyRows.map((p) => [p.platform, p]));

  const rows: LogRetentionRow[] = [];
  const platforms: PlatformRetentionVerdict[] = [];
  for (const { platform, label } of retentionPlatforms()) {
    const p = policy.get(platform);
    // Kept by Sessionproof: the shortest policy among the platform's sources (the strict reading); forever only when
    // none of them has a policy.
    const ourDays = p && p.min_days !== null ? p.min_days : null;
    const types: (LogTypeRetention | null)[] = [...vendorRetention(platform)];
    if (held.has(`${platform}|unclassified`)) types.push(null);
    const mine = types.map((t): LogRetentionRow => {
      const h = held.get(`${platform}|${t?.id ?? "unclassified"}`) ?? null;
      const vendorDays = t ? shortestDays(t) : null;
      const heldIso = h ? { oldest: h.oldest.toISOString(), newest: h.newest.toISOString() } : null;
      const verdict = judgeLogType({ vendorDays, ourDays, requiredDays, held: heldIso, now });
      return {
        platform,
        platformLabel: label,
        logType: t?.id ?? "unclassified",
        logTypeLabel: t?.label ?? "Events no log type describes",
        vendorKeeps: t ? describeTiers(t.tiers) : "unknown",
        vendorDays,
        vendorDoc: t?.doc ?? null,
        vendorNote: t?.note ?? null,
        ourDays,
        weKeep: ourDays === null ? "forever (no policy)" : `${ourDays} days`,
        events: h?.events ?? 0,
        oldestEventTime: heldIso?.oldest ?? null,
        newestEventTime: heldIso?.newest ?? null,
        exportBy: h && vendorDays !== null ? new Date(h.newest.getTime() + vendorDays * DAY).toISOString() : null,
        ...verdict,
      };
    });
    rows.push(...mine);
    const judged = mine.filter((r) => r.status !== "not_ingested");
    if (judged.length === 0) continue; // no data held: the platform is not in scope
    const worst = judged.reduce((a, b) => (STATUS_ORDER[b.status] < STATUS_ORDER[a.status] ? b : a));
    platforms.push({
      platform,
      label,
      status: worst.status === "sufficient" ? "sufficient" : worst.status === "gap" ? "gap" : "partial",
      reason:
        worst.status === "sufficient"
          ? `Every log type held (${judged.length}) is kept the required ${requiredDays} days.`
          : `${worst.logTypeLabel}: ${worst.reason}`,
    });
  }
  return {
    generatedAt: now.toISOString(),
    requiredDays,
    rows,
    platforms,
    sufficientPlatforms: platforms.filter((p) => p.status === "sufficient").length,
  };
}
