import type { VendorRetentionSummary } from "@/lib/sources/vendor-retention";
import type { PlatformCapability, PlatformRetention } from "./types";

const DAY_MS = 86_400_000;

/** Adds whole days in UTC (retention windows are counted in days from the event time). */
function addDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * DAY_MS).toISOString();
}

/**
 * The retention horizon of one platform. With vendor retention R, data of day D leaves the vendor at D + R: the
 * newest data ingested here must be exported before newest + R, and continuous export must run at least every R
 * days. When R is shorter than the required days, only continuous export keeps the required history.
 * R is the platform's shortest-kept log type (`vendor`, from its lib/sources/<platform>/retention.ts table through
 * vendorRetentionSummary); a governance feed has no vendor window, a platform without a table an unknown one.
 */
export function computeRetention({
  kind,
  vendor,
  requiredDays,
  oldest,
  newest,
}: {
  kind: PlatformCapability["kind"];
  vendor: VendorRetentionSummary | null;
  requiredDays: number;
  oldest: string | null;
  newest: string | null;
}): PlatformRetention {
  const days = vendor?.days ?? null;
  const vendorStatus: PlatformRetention["vendorStatus"] =
    kind === "governance" && !vendor ? "not_applicable" : days === null ? "unknown" : "documented";
  const heldDays = oldest && newest ? Math.floor((Date.parse(newest) - Date.parse(oldest)) / DAY_MS) : null;
  const vendorShort = days === null ? null : days < requiredDays;
  const status: PlatformRetention["status"] =
    vendorStatus === "not_applicable" ? "not_applicable" : days === null ? "unknown" : vendorShort ? "export_needed" : "ok";
  return {
    vendorDays: days,
    vendorStatus,
    logType: vendor?.logType ?? null,
    logTypeLabel: vendor?.logTypeLabel ?? null,
    vendorTier: vendor?.tier ?? null,
    vendorNote: vendorNote(vendorStatus, vendor),
    citation: vendor?.doc ?? null,
    requiredDays,
    oldestEventTime: oldest,
    newestEventTime: newest,
    heldDays,
    historyCoversRequired: heldDays === null ? null : heldDays >= requiredDays,
    exportBy: newest && days !== null ? addDays(newest, days) : null,
    vendorShort,
    status,
  };
}

function vendorNote(status: PlatformRetention["vendorStatus"], v: VendorRetentionSummary | null): string {
  if (status === "not_applicable") return "A governance feed: its records stay in their system of record, so no vendor log window applies.";
  if (!v) return "No retention data for this platform.";
  const undocumented = v.undocumented.filter((l) => l !== v.logTypeLabel);
  const also = undocumented.length > 0 ? ` No retention is documented for: ${undocumented.join(", ")}.` : "";
  return (v.days === null ? `${v.logTypeLabel}: no retention documented. ${v.note}` : `${v.logTypeLabel}, ${v.tier}: ${v.note}`) + also;
}
