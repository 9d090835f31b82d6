-- The audit entries not yet appended to the ledger, for lib/audit/flush-audit-to-ledger.ts, which now runs before
-- every checkpoint (so after every ingest batch): without it each flush scanned the whole audit_log. Partial:
-- Prisma cannot express it (schema.prisma notes it next to AuditLog); it holds only the few pending rows.
CREATE INDEX "audit_log_unflushed_idx" ON "audit_log"("id") WHERE "rawRecordId" IS NULL;
