import { z } from "zod";

// The thresholds a measured population must meet for a control to show "sufficient evidence" (lib/compliance/
// thresholds.ts reads and keeps them). Percentages are whole numbers. No server imports: the route contracts use it.

const pct = (what: string, def: number) =>
  z.coerce
    .number()
    .int(`${what}: enter a whole percentage.`)
    .min(1, `${what}: a threshold of at least 1% is needed.`)
    .max(100, `${what}: a threshold cannot exceed 100%.`)
    .default(def);

export const complianceThresholdsInput = z.object({
  /** The smallest population (actions, identities, events) that can make a control sufficient: one row never does. */
  minPopulation: z.coerce
    .number()
    .int("Minimum population: enter a whole number.")
    .min(2, "Minimum population: at least 2, since one row never makes a control sufficient.")
    .max(1_000_000)
    .default(10),
  privilegedApprovedPct: pct("Privileged actions approved", 95),
  privilegedInJitPct: pct("Privileged actions inside a JIT window", 95),
  nhiOwnedPct: pct("Non-human identities with an owner", 95),
  fieldFillPct: pct("Evidence field fill rate", 90),
  joinedPct: pct("Events joined to sessions and identities", 90),
  /** Platforms whose retention meets the requirement: every platform by default (one platform does not satisfy it). */
  retentionPlatformsPct: pct("Platforms meeting the required retention", 100),
  /** Platforms whose newest event is at most freshDays old. */
  freshPlatformsPct: pct("Platforms delivering recent logs", 100),
  freshDays: z.coerce.number().int("Recent logs: enter whole days.").min(1).max(365).default(7),
  ledgerPct: pct("Records held and covered by a signed checkpoint", 99),
  identifiedPct: pct("Identities and sessions resolved", 95),
});
export type ComplianceThresholds = z.infer<typeof complianceThresholdsInput>;

/** The thresholds as the API answers them (every one set; the schema's output). */
export const complianceThresholds = complianceThresholdsInput;

// GET /api/v1/compliance/settings
export const getComplianceThresholdsContract = { response: complianceThresholds };

/** The form's fields, in order, with the words the settings form shows (labels and hints; units). */
export const THRESHOLD_FIELDS: readonly { key: keyof ComplianceThresholds; label: string; unit: "%" | "rows" | "days"; hint: string }[] = [
  {
    key: "minPopulation",
    label: "Minimum population",
    unit: "rows",
    hint: "The fewest rows that can make a control sufficient (at least 2).",
  },
  {
    key: "privilegedApprovedPct",
    label: "Privileged actions approved",
    unit: "%",
    hint: "Share of privileged actions with a valid approval.",
  },
  { key: "privilegedInJitPct", label: "Privileged actions inside a JIT window", unit: "%", hint: "Share inside a time-bound grant." },
  { key: "nhiOwnedPct", label: "Non-human identities with an owner", unit: "%", hint: "Share of NHIs (and AI agents) with a named owner." },
  {
    key: "fieldFillPct",
    label: "Evidence field fill rate",
    unit: "%",
    hint: "Share of events carrying a session id, IP, credential id, …",
  },
  { key: "joinedPct", label: "Events joined to sessions and identities", unit: "%", hint: "Share of events correlated." },
  {
    key: "retentionPlatformsPct",
    label: "Platforms meeting the required retention",
    unit: "%",
    hint: "100% by default: one platform does not satisfy it.",
  },
  { key: "freshPlatformsPct", label: "Platforms delivering recent logs", unit: "%", hint: "Share of platforms with recent events." },
  {
    key: "freshDays",
    label: "Recent logs: within",
    unit: "days",
    hint: "How recent the newest event of a platform must be (1 to 365 days).",
  },
  { key: "ledgerPct", label: "Records held and under a signed checkpoint", unit: "%", hint: "Share of raw records held and checkpointed." },
  {
    key: "identifiedPct",
    label: "Identities and sessions resolved",
    unit: "%",
    hint: "Share of identities of a known kind and sessions with an identity.",
  },
];
