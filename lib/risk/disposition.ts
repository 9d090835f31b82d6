// What a finding stands for now, from its status, its dismissal type, the approval and expiry of a risk acceptance and
// whether its condition still holds. One SQL expression, so the findings list, the counts and the compliance status
// cannot disagree:
// - resolved: the rule no longer produces it (its condition does not hold in the current data): not open;
// - open: not dismissed;
// - pending_approval: dismissed as risk accepted, not yet approved by a second person: still counts as open;
// - exception: risk accepted and approved, before its expiry: listed as an exception, never as evidence;
// - expired: a risk acceptance past its expiry: counts as open again;
// - false_positive: dismissed as a false positive: leaves the population.
export const DISPOSITIONS = ["open", "pending_approval", "exception", "expired", "false_positive", "resolved"] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

export const DISPOSITION_LABEL: Record<Disposition, string> = {
  open: "Open",
  pending_approval: "Risk accepted, awaiting approval",
  exception: "Exception (risk accepted)",
  expired: "Risk acceptance expired",
  false_positive: "False positive",
  resolved: "Resolved",
};

/** The dispositions that count as open findings against a control. */
export const COUNTS_AS_OPEN: readonly Disposition[] = ["open", "pending_approval", "expired"];
/** COUNTS_AS_OPEN as a SQL list, for `disposition IN (...)`. */
export const COUNTS_AS_OPEN_SQL = COUNTS_AS_OPEN.map((d) => `'${d}'`).join(", ");

/** The disposition of the finding aliased `f`, with `now` a SQL expression for the present time (a parameter or now()). */
export function dispositionSql(f: string, now = "now()"): string {
  return `(CASE WHEN ${f}.evidence::jsonb ? 'resolvedAt' THEN 'resolved'
      WHEN ${f}.status = 'open' THEN 'open'
      WHEN ${f}."dismissalType" = 'risk_accepted' AND ${f}."riskApprovedAt" IS NULL THEN 'pending_approval'
      WHEN ${f}."dismissalType" = 'risk_accepted' AND ${f}."riskExpiresAt" <= ${now} THEN 'expired'
      WHEN ${f}."dismissalType" = 'risk_accepted' THEN 'exception'
      ELSE 'false_positive' END)`;
}
