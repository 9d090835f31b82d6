import { z } from "zod";
import { db } from "@/lib/db";

// Risk rule thresholds, kept in the `setting` table under one key so an admin can tune them without a deploy.
// Anything missing or invalid falls back to the defaults below (a bad setting must not stop the rules).
export const RISK_SETTINGS_KEY = "risk.thresholds";

const RiskSettingsSchema = z.object({
  /** Long-lived credentials older than this many days must have been rotated. */
  maxCredentialAgeDays: z.number().int().min(1).max(3650).default(90),
  /** An NHI unused for this many days (relative to the newest event) should have been disabled. */
  dormantDays: z.number().int().min(1).max(3650).default(30),
  /** Reads by one OAuth integration within one hour that count as a bulk read. */
  bulkReadThreshold: z.number().int().min(1).default(100),
  /** Granted scopes per used scope above which an NHI is over-privileged. */
  scopeRatio: z.number().min(1).default(3),
  /** Below this many granted scopes the ratio is not meaningful. */
  minGrantedScopes: z.number().int().min(1).default(5),
  /** Distinct platforms or client applications from which one NHI counts as shared across environments. */
  crossEnvironmentMin: z.number().int().min(2).default(2),
  /** Whether policy requires MFA for human sign-ins (weak-authentication fires for humans only then). */
  requireMfaForHumans: z.boolean().default(true),
  /** Prior sessions an NHI needs before a never-seen network counts as "new". */
  networkBaselineSessions: z.number().int().min(1).default(2),
});

export type RiskSettings = z.infer<typeof RiskSettingsSchema>;

export const DEFAULT_RISK_SETTINGS: RiskSettings = RiskSettingsSchema.parse({});

/** The configured thresholds merged over the defaults. */
export async function getRiskSettings(): Promise<RiskSettings> {
  const row = await db().setting.findUnique({ where: { key: RISK_SETTINGS_KEY } });
  const parsed = RiskSettingsSchema.safeParse(row?.value ?? {});
  return parsed.success ? parsed.data : DEFAULT_RISK_SETTINGS;
}
