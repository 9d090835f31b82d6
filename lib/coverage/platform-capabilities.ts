import { platformCapabilities } from "@/lib/sources/registry";
import type { PlatformCapability, PlatformRetention } from "./types";

// What each platform documents it can provide per evidence field, and how to keep its log past the vendor's window.
// Each platform states it in its profile (lib/sources/<platform>/profile.ts, `capabilities`), transcribed from the
// project's reference notes (shared/reference/saas-log-fields.md: the matrix and the per-platform sections, which cite
// the vendor documentation); platform-capabilities.test.ts compares the two when the notes exist. How long the vendor
// keeps the log is not here: it lives per log type, cited, in lib/sources/<platform>/retention.ts. Governance feeds
// (Jira issues, the PAM grant feed, OPA decision logs) are not in those notes: their rows describe the documented input
// shapes of their sources. Order: audit-log platforms, then governance feeds, each in registry order.
export const PLATFORM_CAPABILITIES: readonly PlatformCapability[] = platformCapabilities();

const BY_PLATFORM = new Map(PLATFORM_CAPABILITIES.map((p) => [p.platform, p]));

export function platformCapability(platform: string): PlatformCapability | null {
  return BY_PLATFORM.get(platform) ?? null;
}

/** The recommendation for a retention gap, in plain words; `r` names the shortest-kept log type (computeRetention). */
export function retentionRecommendation(cap: PlatformCapability, r: PlatformRetention): string {
  if (r.vendorStatus === "not_applicable") return `No vendor log window applies; ${cap.exportHow}.`;
  const log = r.logTypeLabel ? ` of its ${r.logTypeLabel}` : "";
  if (r.vendorDays === null)
    return `${cap.label}'s own retention${log} is not documented: ${cap.exportHow}, to keep ${r.requiredDays} days.`;
  return `${cap.label} keeps ${r.vendorDays} days${log} (${r.vendorTier}): ${cap.exportHow}, to keep ${r.requiredDays} days.`;
}
