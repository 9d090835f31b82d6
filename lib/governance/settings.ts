import { z } from "zod";
import { db } from "@/lib/db";
import { supportedPlatformIds } from "@/lib/sources/registry";

// The governance checks' settings, kept in the `setting` table under one key so an administrator can tune them
// without a deploy (PUT /api/v1/governance/settings). A missing or invalid stored value falls back to the defaults
// below: a bad setting must not stop the checks.
export const GOVERNANCE_SETTINGS_KEY = "governance.settings";

const platformMap = z.record(
  z.string().refine((p) => supportedPlatformIds().includes(p), { message: `not a platform (one of ${supportedPlatformIds().join(", ")})` }),
  z.boolean(),
);

export const governanceSettingsSchema = z.object({
  /** How long an approval without a planned window authorizes actions after it was granted. */
  approvalValidityHours: z
    .number()
    .int("Enter a whole number of hours.")
    .min(1, "An approval must be valid for at least 1 hour.")
    .max(8760, "An approval can be valid for at most 8760 hours (a year).")
    .default(24),
  /** The most privileged actions one ticket may authorize; the ones after that are ticket_overused. */
  maxActionsPerTicket: z
    .number()
    .int("Enter a whole number of actions.")
    .min(1, "A ticket must authorize at least 1 action.")
    .max(100000, "At most 100000 actions per ticket.")
    .default(20),
  /** Clock-skew tolerance applied at both edges of every window (grant and approval), in seconds. */
  clockSkewSeconds: z
    .number()
    .int("Enter a whole number of seconds.")
    .min(0, "The clock-skew tolerance cannot be negative.")
    .max(3600, "The clock-skew tolerance can be at most 3600 seconds.")
    .default(120),
  /** Whether a platform with no entry in jitRequired requires a JIT grant for privileged actions. */
  jitRequiredByDefault: z.boolean().default(true),
  /** Per platform: a privileged action with no JIT grant there is standing privilege (true) or needs only the approval (false). */
  jitRequired: platformMap.default({}),
});

export type GovernanceSettings = z.infer<typeof governanceSettingsSchema>;

export const DEFAULT_GOVERNANCE_SETTINGS: GovernanceSettings = governanceSettingsSchema.parse({});

/** Whether privileged actions on the platform need a JIT grant. */
export function jitRequiredOn(settings: GovernanceSettings, platform: string): boolean {
  return settings.jitRequired[platform] ?? settings.jitRequiredByDefault;
}

/** A stored value merged over the defaults (the defaults when it is missing or invalid). */
export function governanceSettingsOf(value: unknown): GovernanceSettings {
  const parsed = governanceSettingsSchema.safeParse(value ?? {});
  return parsed.success ? parsed.data : DEFAULT_GOVERNANCE_SETTINGS;
}

/** The stored settings merged over the defaults. */
export async function getGovernanceSettings(): Promise<GovernanceSettings> {
  const row = await db().setting.findUnique({ where: { key: GOVERNANCE_SETTINGS_KEY } });
  return governanceSettingsOf(row?.value);
}
