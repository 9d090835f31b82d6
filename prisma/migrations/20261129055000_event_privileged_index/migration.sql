-- The privileged events of a tenant, for lib/governance/run-governance-checks.ts and the risk rules on privileged
-- changes (a few percent of the events: the index stays small, and a non-privileged insert only tests the predicate).
-- Partial: Prisma cannot express it, so it lives here (schema.prisma notes it next to Event's indexes).
CREATE INDEX "event_privileged_idx" ON "event"("tenantId") WHERE privileged;
