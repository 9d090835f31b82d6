-- DropIndex
DROP INDEX "session_tenantId_startedAt_idx";

-- CreateIndex
CREATE INDEX "session_tenantId_startedAt_id_idx" ON "session"("tenantId", "startedAt", "id");

-- CreateIndex
CREATE INDEX "session_tenantId_endedAt_id_idx" ON "session"("tenantId", "endedAt", "id");

-- CreateIndex
CREATE INDEX "session_tenantId_eventCount_id_idx" ON "session"("tenantId", "eventCount", "id");

-- CreateIndex
CREATE INDEX "session_tenantId_riskLevel_startedAt_idx" ON "session"("tenantId", "riskLevel", "startedAt");

-- CreateIndex
CREATE INDEX "session_initiatorIdentityId_idx" ON "session"("initiatorIdentityId");

-- CreateIndex
CREATE INDEX "session_credentialId_idx" ON "session"("credentialId");

-- Free text on the sessions list ("%text%" anywhere in the session key, the digest's actions and objects, or the
-- identity's name and email) at a million events: trigram GIN indexes. pg_trgm ships with PostgreSQL (contrib) and
-- is a trusted extension (PostgreSQL 13+), so the database owner can create it. Prisma cannot express these
-- (expression and operator-class indexes), hence SQL only; lib/sessions/list-sessions.ts repeats the expression
-- verbatim (SESSION_TEXT) so that the planner matches it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX "session_text_trgm_idx" ON "session" USING gin (
  ("sessionKey" || ' ' || coalesce((summary -> 'actions')::text, '') || ' ' || coalesce((summary -> 'objects')::text, '')) gin_trgm_ops
);
CREATE INDEX "identity_displayName_trgm_idx" ON "identity" USING gin ("displayName" gin_trgm_ops);
CREATE INDEX "identity_primaryEmail_trgm_idx" ON "identity" USING gin ("primaryEmail" gin_trgm_ops);

-- Sorting the sessions list by identity name walks identities in name order into their sessions
-- (lib/sessions/list-sessions.ts) instead of joining and sorting every session.
CREATE INDEX "identity_lower_name_idx" ON "identity" (lower("displayName"), "id");
