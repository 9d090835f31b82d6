import { pool } from "@/lib/db";
import { vendorRetentionSummary } from "@/lib/sources/registry";
import { AUDIT_PLATFORM } from "@/lib/audit/flush-audit-to-ledger";
import { DEFAULT_TENANT } from "@/lib/context/request-context";

import type { SourceRetention } from "./types";

export type { SourceRetention } from "./types";

// One row per source with its policy and how many raw records it holds and has purged (counted in SQL).
export async function listRetention(): Promise<SourceRetention[]> {
  const r = await pool().query<{
    sourceId: string;
    name: string;
    platform: string;
    days: number | null;
    rawRecords: string;
    purged: string;
    oldest: Date | null;
  }>(
    `SELECT s.id::text AS "sourceId", s.name, s.platform, p.days,
            COALESCE(c.n, 0)::text AS "rawRecords", COALESCE(c.purged, 0)::text AS purged, c.oldest
       FROM source s
       LEFT JOIN retention_policy p ON p."sourceId" = s.id
       LEFT JOIN LATERAL (
         SELECT count(*) AS n, count(*) FILTER (WHERE r."purgedAt" IS NOT NULL) AS purged, min(r."receivedAt") AS oldest
           FROM raw_record r WHERE r."sourceId" = s.id
       ) c ON true
      WHERE s."tenantId" = $1
      ORDER BY s.platform = $2, s.name`,
    [DEFAULT_TENANT, AUDIT_PLATFORM],
  );
  return r.rows.map((x) => {
    // The vendor's figure for orientation: the platform's shortest-kept log type (lib/sources/<platform>/retention.ts).
    const vendor = vendorRetentionSummary(x.platform);
    return {
      sourceId: x.sourceId,
      name: x.name,
      platform: x.platform,
      days: x.days,
      vendorDays: vendor?.days ?? null,
      vendorLogType: vendor?.logTypeLabel ?? null,
      vendorTier: vendor?.tier ?? null,
      vendorDoc: vendor?.doc ?? null,
      vendorNote: vendor?.note ?? null,
      rawRecords: Number(x.rawRecords),
      purged: Number(x.purged),
      oldestReceivedAt: x.oldest?.toISOString() ?? null,
      isAuditTrail: x.platform === AUDIT_PLATFORM,
    };
  });
}
