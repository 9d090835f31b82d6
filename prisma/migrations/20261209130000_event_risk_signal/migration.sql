-- Vendor risk signals (lib/risk/rules.ts, rule vendor-risk-signal): the rule looks for events whose stored JSON
-- carries a vendor verdict ("risk": {"signal": ...}), nearly none of them. Without an index it read every event's
-- text on each risk run (about 10 s per million events); this partial index holds only the events with a signal, and
-- its condition is the rule's own text test (data is stored as json text, so the test costs one substring search per
-- inserted row).
CREATE INDEX "event_risk_signal_idx" ON "event" ("tenantId") WHERE strpos(data::text, '"signal":') > 0;
