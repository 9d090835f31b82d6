import type { RiskSignal } from "@/lib/events/schema";

// The vendor risk signal (NormalizedEvent.risk) as every source writes it: one shape, keys in one order, reasons
// de-duplicated and capped, so the rule vendor-risk-signal reads every platform alike.

type Severity = RiskSignal["severity"];

/** The normalized risk field, or nothing: spread into an event (`...riskField(signal)`), absent when there is none. */
export function riskField(signal: RiskSignal | null): { risk?: RiskSignal } {
  return signal ? { risk: signal } : {};
}

export function riskSignal(s: {
  signal: string;
  label: string;
  severity: Severity;
  vendorLevel?: string | null;
  vendorState?: string | null;
  reasons?: readonly (string | null | undefined)[];
}): RiskSignal {
  const reasons = [...new Set((s.reasons ?? []).map((r) => r?.trim()).filter((r): r is string => !!r))].slice(0, 20);
  return {
    signal: s.signal,
    label: s.label,
    vendor_level: s.vendorLevel ?? null,
    vendor_state: s.vendorState ?? null,
    reasons,
    severity: s.severity,
  };
}

/**
 * A vendor's low / medium / high level (Okta LOW/MEDIUM/HIGH, Entra low/medium/high) as the finding severity of the
 * same name; null for any other value (none, hidden, unknownFutureValue), which the caller maps itself.
 */
export function severityOfLevel(level: string | null): Severity | null {
  const l = level?.toLowerCase();
  return l === "low" || l === "medium" || l === "high" ? l : null;
}
