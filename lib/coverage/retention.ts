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
 */
export function computeRetention({
  cap,
  requiredDays,
  oldest,
  newest,
}: {
  cap: Pick<PlatformCapability, "retention">;
  requiredDays: number;
  oldest: string | null;
  newest: string | null;
}): PlatformRetention {
  const r = cap.retention;
  const heldDays = oldest && newest ? Math.floor((Date.parse(newest) - Date.parse(oldest)) / DAY_MS) : null;
  const vendorShort = r.days === null ? null : r.days < requiredDays;
  const status: PlatformRetention["status"] =
    r.status === "not_applicable" ? "not_applicable" : r.days === null ? "unknown" : vendorShort ? "export_needed" : "ok";
  return {
    vendorDays: r.days,
    vendorStatus: r.status,
    vendorNote: r.note,
    citation: r.citation,
    requiredDays,
    oldestEventTime: oldest,
    newestEventTime: newest,
    heldDays,
    historyCoversRequired: heldDays === null ? null : heldDays >= requiredDays,
    exportBy: newest && r.days !== null ? addDays(newest, r.days) : null,
    vendorShort,
    status,
  };
}
