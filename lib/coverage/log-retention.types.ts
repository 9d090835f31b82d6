import { z } from "zod";

// Retention per platform and log type (lib/coverage/log-retention.ts), as the Coverage page and the compliance fact
// coverage:retention read it. No server imports.

export const LOG_RETENTION_STATUSES = ["gap", "unknown", "short_history", "sufficient", "not_ingested"] as const;
export type LogRetentionStatus = (typeof LOG_RETENTION_STATUSES)[number];
export const LOG_RETENTION_LABEL: Record<LogRetentionStatus, string> = {
  gap: "Gap",
  unknown: "Vendor retention unknown",
  short_history: "History shorter than required",
  sufficient: "Sufficient",
  not_ingested: "Not ingested",
};

const row = z.object({
  platform: z.string(),
  platformLabel: z.string(),
  logType: z.string(),
  logTypeLabel: z.string(),
  /** The vendor's retention by tier, in words; vendorDays the shortest (null: not documented). */
  vendorKeeps: z.string(),
  vendorDays: z.number().nullable(),
  vendorDoc: z.string().nullable(),
  vendorNote: z.string().nullable(),
  /** Sessionproof's policy for the platform's sources (the shortest; null = kept forever). */
  ourDays: z.number().nullable(),
  weKeep: z.string(),
  events: z.number().int().min(0),
  oldestEventTime: z.string().nullable(),
  newestEventTime: z.string().nullable(),
  /** Newest event held + vendorDays: what came after it leaves the vendor then, so ingest again before it. */
  exportBy: z.string().nullable(),
  status: z.enum(LOG_RETENTION_STATUSES),
  reason: z.string(),
});
export type LogRetentionRow = z.infer<typeof row>;

const platformVerdict = z.object({
  platform: z.string(),
  label: z.string(),
  status: z.enum(["sufficient", "partial", "gap"]),
  reason: z.string(),
});
export type PlatformRetentionVerdict = z.infer<typeof platformVerdict>;

export const logRetentionReport = z.object({
  generatedAt: z.string(),
  requiredDays: z.number().int(),
  rows: z.array(row),
  /** The platforms with data held (in scope), each with its verdict. */
  platforms: z.array(platformVerdict),
  sufficientPlatforms: z.number().int().min(0),
});
export type LogRetentionReport = z.infer<typeof logRetentionReport>;
