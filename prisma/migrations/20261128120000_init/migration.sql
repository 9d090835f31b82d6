-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('admin', 'analyst', 'compliance', 'auditor');

-- CreateEnum
CREATE TYPE "BatchStatus" AS ENUM ('pending', 'running', 'completed', 'failed');

-- CreateEnum
CREATE TYPE "IdentityKind" AS ENUM ('human', 'service_account', 'oauth_app', 'api_token', 'bot', 'ai_agent', 'workload', 'system', 'unknown');

-- CreateEnum
CREATE TYPE "CredentialKind" AS ENUM ('password', 'mfa', 'sso_session', 'saml_assertion', 'oauth_grant', 'oauth_app', 'access_token', 'refresh_token', 'api_token', 'aws_access_key', 'aws_session_key', 'sp_secret', 'sp_certificate', 'pat', 'ssh_key', 'jit_grant', 'unknown');

-- CreateEnum
CREATE TYPE "CaseStatus" AS ENUM ('open', 'investigating', 'pending_review', 'closed');

-- CreateEnum
CREATE TYPE "Severity" AS ENUM ('low', 'medium', 'high', 'critical');

-- CreateTable
CREATE TABLE "app_user" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "role" "Role" NOT NULL,
    "passwordHash" TEXT,
    "authProvider" TEXT NOT NULL DEFAULT 'local',
    "oidcSubject" TEXT,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "lastLoginAt" TIMESTAMPTZ(3),

    CONSTRAINT "app_user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "login_attempt" (
    "id" BIGSERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "succeeded" BOOLEAN NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "login_attempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_token" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "sourceId" UUID NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMPTZ(3),
    "expiresAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "api_token_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "setting" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "setting_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "tenantId" TEXT NOT NULL DEFAULT 'default',
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" UUID,
    "actorEmail" TEXT,
    "action" TEXT NOT NULL,
    "resourceType" TEXT,
    "resourceId" TEXT,
    "ip" TEXT,
    "userAgent" TEXT,
    "details" JSONB,
    "rawRecordId" BIGINT,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "source" (
    "id" UUID NOT NULL,
    "tenantId" TEXT NOT NULL DEFAULT 'default',
    "platform" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "source_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ingest_batch" (
    "id" UUID NOT NULL,
    "tenantId" TEXT NOT NULL DEFAULT 'default',
    "sourceId" UUID NOT NULL,
    "fileName" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "format" TEXT,
    "via" TEXT NOT NULL,
    "status" "BatchStatus" NOT NULL DEFAULT 'pending',
    "byteSize" BIGINT,
    "bytesRead" BIGINT NOT NULL DEFAULT 0,
    "readCount" INTEGER NOT NULL DEFAULT 0,
    "storedCount" INTEGER NOT NULL DEFAULT 0,
    "duplicateCount" INTEGER NOT NULL DEFAULT 0,
    "quarantinedCount" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "createdById" UUID,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ingest_batch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "raw_record" (
    "id" BIGSERIAL NOT NULL,
    "leafIndex" BIGINT NOT NULL,
    "tenantId" TEXT NOT NULL DEFAULT 'default',
    "sourceId" UUID NOT NULL,
    "batchId" UUID,
    "fileName" TEXT NOT NULL,
    "position" BIGINT NOT NULL,
    "contentHash" BYTEA NOT NULL,
    "leafHash" BYTEA NOT NULL,
    "payload" BYTEA,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "purgedAt" TIMESTAMPTZ(3),

    CONSTRAINT "raw_record_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_checkpoint" (
    "id" BIGSERIAL NOT NULL,
    "treeSize" BIGINT NOT NULL,
    "rootHash" BYTEA NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "signature" BYTEA NOT NULL,
    "keyFingerprint" TEXT NOT NULL,

    CONSTRAINT "ledger_checkpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "quarantined_record" (
    "id" BIGSERIAL NOT NULL,
    "tenantId" TEXT NOT NULL DEFAULT 'default',
    "sourceId" UUID NOT NULL,
    "batchId" UUID,
    "fileName" TEXT NOT NULL,
    "position" BIGINT NOT NULL,
    "raw" BYTEA NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reprocessedAt" TIMESTAMPTZ(3),
    "resolvedRawRecordId" BIGINT,

    CONSTRAINT "quarantined_record_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "job" (
    "id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "message" TEXT,
    "params" JSONB,
    "result" JSONB,
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "event" (
    "id" BIGSERIAL NOT NULL,
    "tenantId" TEXT NOT NULL DEFAULT 'default',
    "sourceId" UUID NOT NULL,
    "rawRecordId" BIGINT NOT NULL,
    "platform" TEXT NOT NULL,
    "time" TIMESTAMPTZ(3) NOT NULL,
    "classUid" INTEGER NOT NULL,
    "className" TEXT NOT NULL,
    "activity" TEXT NOT NULL,
    "nativeId" TEXT,
    "status" TEXT,
    "actorExternalId" TEXT,
    "actorName" TEXT,
    "actorType" TEXT,
    "identityId" UUID,
    "sessionKey" TEXT,
    "credentialKey" TEXT,
    "clientAppId" TEXT,
    "srcIp" TEXT,
    "userAgent" TEXT,
    "targetType" TEXT,
    "targetId" TEXT,
    "targetName" TEXT,
    "privileged" BOOLEAN NOT NULL DEFAULT false,
    "sessionId" UUID,
    "data" JSON NOT NULL,

    CONSTRAINT "event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "identity" (
    "id" UUID NOT NULL,
    "tenantId" TEXT NOT NULL DEFAULT 'default',
    "kind" "IdentityKind" NOT NULL,
    "displayName" TEXT NOT NULL,
    "primaryEmail" TEXT,
    "ownerIdentityId" UUID,
    "status" TEXT,
    "firstSeenAt" TIMESTAMPTZ(3),
    "lastSeenAt" TIMESTAMPTZ(3),
    "attributes" JSONB,

    CONSTRAINT "identity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "identity_alias" (
    "id" UUID NOT NULL,
    "identityId" UUID NOT NULL,
    "platform" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "aliasType" TEXT NOT NULL,
    "rule" TEXT,
    "evidence" JSONB,

    CONSTRAINT "identity_alias_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "credential" (
    "id" UUID NOT NULL,
    "tenantId" TEXT NOT NULL DEFAULT 'default',
    "kind" "CredentialKind" NOT NULL,
    "platform" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "identityId" UUID,
    "parentId" UUID,
    "parentRule" TEXT,
    "issuedAt" TIMESTAMPTZ(3),
    "expiresAt" TIMESTAMPTZ(3),
    "firstSeenAt" TIMESTAMPTZ(3),
    "lastUsedAt" TIMESTAMPTZ(3),
    "evidence" JSONB,

    CONSTRAINT "credential_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session" (
    "id" UUID NOT NULL,
    "tenantId" TEXT NOT NULL DEFAULT 'default',
    "platform" TEXT NOT NULL,
    "sessionKey" TEXT NOT NULL,
    "keyType" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "identityId" UUID,
    "initiatorIdentityId" UUID,
    "credentialId" UUID,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "endedAt" TIMESTAMPTZ(3) NOT NULL,
    "eventCount" INTEGER NOT NULL DEFAULT 0,
    "srcIps" TEXT[],
    "riskScore" INTEGER NOT NULL DEFAULT 0,
    "riskLevel" TEXT,
    "summary" JSONB,

    CONSTRAINT "session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session_link" (
    "id" UUID NOT NULL,
    "fromSessionId" UUID NOT NULL,
    "toSessionId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "matchedFields" JSONB NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "session_link_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approval" (
    "id" UUID NOT NULL,
    "tenantId" TEXT NOT NULL DEFAULT 'default',
    "sourceId" UUID,
    "system" TEXT NOT NULL,
    "ticketKey" TEXT NOT NULL,
    "status" TEXT,
    "requester" TEXT,
    "approver" TEXT,
    "approvedAt" TIMESTAMPTZ(3),
    "windowStart" TIMESTAMPTZ(3),
    "windowEnd" TIMESTAMPTZ(3),
    "scope" TEXT,
    "linkedIdentities" TEXT[],
    "linkedItems" TEXT[],
    "rawRecordId" BIGINT,

    CONSTRAINT "approval_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "access_grant" (
    "id" UUID NOT NULL,
    "tenantId" TEXT NOT NULL DEFAULT 'default',
    "sourceId" UUID,
    "externalId" TEXT NOT NULL,
    "system" TEXT NOT NULL,
    "principal" TEXT NOT NULL,
    "identityId" UUID,
    "privilege" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "grantedAt" TIMESTAMPTZ(3) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),
    "approvedBy" TEXT,
    "ticketKey" TEXT,
    "rawRecordId" BIGINT,

    CONSTRAINT "access_grant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policy_decision" (
    "id" UUID NOT NULL,
    "tenantId" TEXT NOT NULL DEFAULT 'default',
    "sourceId" UUID,
    "engine" TEXT NOT NULL,
    "decisionId" TEXT NOT NULL,
    "time" TIMESTAMPTZ(3) NOT NULL,
    "policy" TEXT,
    "subject" TEXT,
    "action" TEXT,
    "result" TEXT NOT NULL,
    "input" JSONB,
    "eventId" BIGINT,
    "rawRecordId" BIGINT,

    CONSTRAINT "policy_decision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "finding" (
    "id" UUID NOT NULL,
    "tenantId" TEXT NOT NULL DEFAULT 'default',
    "ruleId" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "sessionId" UUID,
    "identityId" UUID,
    "evidence" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "dismissedReason" TEXT,
    "dismissedById" UUID,
    "dismissedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "finding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "case" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "tenantId" TEXT NOT NULL DEFAULT 'default',
    "title" TEXT NOT NULL,
    "description" TEXT,
    "severity" "Severity" NOT NULL DEFAULT 'medium',
    "status" "CaseStatus" NOT NULL DEFAULT 'open',
    "assigneeId" UUID,
    "tags" TEXT[],
    "createdById" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "closedAt" TIMESTAMPTZ(3),

    CONSTRAINT "case_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "case_item" (
    "id" UUID NOT NULL,
    "caseId" UUID NOT NULL,
    "itemType" TEXT NOT NULL,
    "refId" TEXT NOT NULL,
    "snapshot" JSONB,
    "annotation" TEXT,
    "addedById" UUID NOT NULL,
    "addedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "case_item_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "case_note" (
    "id" UUID NOT NULL,
    "caseId" UUID NOT NULL,
    "authorId" UUID NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "case_note_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "case_task" (
    "id" UUID NOT NULL,
    "caseId" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "done" BOOLEAN NOT NULL DEFAULT false,
    "assigneeId" UUID,
    "dueAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMPTZ(3),

    CONSTRAINT "case_task_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "case_activity" (
    "id" BIGSERIAL NOT NULL,
    "caseId" UUID NOT NULL,
    "actorId" UUID NOT NULL,
    "action" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "case_activity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "retention_policy" (
    "id" UUID NOT NULL,
    "sourceId" UUID NOT NULL,
    "days" INTEGER NOT NULL,
    "updatedById" UUID,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "retention_policy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "legal_hold" (
    "id" UUID NOT NULL,
    "caseId" UUID,
    "sourceId" UUID,
    "rangeStart" TIMESTAMPTZ(3),
    "rangeEnd" TIMESTAMPTZ(3),
    "reason" TEXT NOT NULL,
    "placedById" UUID NOT NULL,
    "placedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "releasedById" UUID,
    "releasedAt" TIMESTAMPTZ(3),
    "releaseReason" TEXT,

    CONSTRAINT "legal_hold_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "app_user_email_key" ON "app_user"("email");

-- CreateIndex
CREATE UNIQUE INDEX "app_user_oidcSubject_key" ON "app_user"("oidcSubject");

-- CreateIndex
CREATE INDEX "login_attempt_key_at_idx" ON "login_attempt"("key", "at");

-- CreateIndex
CREATE UNIQUE INDEX "api_token_tokenHash_key" ON "api_token"("tokenHash");

-- CreateIndex
CREATE INDEX "audit_log_tenantId_at_idx" ON "audit_log"("tenantId", "at");

-- CreateIndex
CREATE INDEX "audit_log_actorId_at_idx" ON "audit_log"("actorId", "at");

-- CreateIndex
CREATE INDEX "audit_log_action_at_idx" ON "audit_log"("action", "at");

-- CreateIndex
CREATE UNIQUE INDEX "source_tenantId_name_key" ON "source"("tenantId", "name");

-- CreateIndex
CREATE INDEX "ingest_batch_sourceId_startedAt_idx" ON "ingest_batch"("sourceId", "startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "raw_record_leafIndex_key" ON "raw_record"("leafIndex");

-- CreateIndex
CREATE INDEX "raw_record_tenantId_receivedAt_idx" ON "raw_record"("tenantId", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "raw_record_sourceId_contentHash_key" ON "raw_record"("sourceId", "contentHash");

-- CreateIndex
CREATE INDEX "ledger_checkpoint_treeSize_idx" ON "ledger_checkpoint"("treeSize");

-- CreateIndex
CREATE INDEX "quarantined_record_tenantId_createdAt_idx" ON "quarantined_record"("tenantId", "createdAt");

-- CreateIndex
CREATE INDEX "quarantined_record_batchId_idx" ON "quarantined_record"("batchId");

-- CreateIndex
CREATE INDEX "job_type_createdAt_idx" ON "job"("type", "createdAt");

-- CreateIndex
CREATE INDEX "event_tenantId_time_idx" ON "event"("tenantId", "time");

-- CreateIndex
CREATE INDEX "event_identityId_time_idx" ON "event"("identityId", "time");

-- CreateIndex
CREATE INDEX "event_sessionKey_idx" ON "event"("sessionKey");

-- CreateIndex
CREATE INDEX "event_credentialKey_idx" ON "event"("credentialKey");

-- CreateIndex
CREATE INDEX "event_targetType_targetId_idx" ON "event"("targetType", "targetId");

-- CreateIndex
CREATE INDEX "event_sessionId_time_idx" ON "event"("sessionId", "time");

-- CreateIndex
CREATE INDEX "event_rawRecordId_idx" ON "event"("rawRecordId");

-- CreateIndex
CREATE INDEX "identity_tenantId_kind_idx" ON "identity"("tenantId", "kind");

-- CreateIndex
CREATE INDEX "identity_primaryEmail_idx" ON "identity"("primaryEmail");

-- CreateIndex
CREATE INDEX "identity_alias_identityId_idx" ON "identity_alias"("identityId");

-- CreateIndex
CREATE UNIQUE INDEX "identity_alias_platform_aliasType_externalId_key" ON "identity_alias"("platform", "aliasType", "externalId");

-- CreateIndex
CREATE INDEX "credential_parentId_idx" ON "credential"("parentId");

-- CreateIndex
CREATE INDEX "credential_identityId_idx" ON "credential"("identityId");

-- CreateIndex
CREATE UNIQUE INDEX "credential_tenantId_platform_kind_externalId_key" ON "credential"("tenantId", "platform", "kind", "externalId");

-- CreateIndex
CREATE INDEX "session_tenantId_startedAt_idx" ON "session"("tenantId", "startedAt");

-- CreateIndex
CREATE INDEX "session_identityId_startedAt_idx" ON "session"("identityId", "startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "session_tenantId_platform_sessionKey_key" ON "session"("tenantId", "platform", "sessionKey");

-- CreateIndex
CREATE INDEX "session_link_toSessionId_idx" ON "session_link"("toSessionId");

-- CreateIndex
CREATE UNIQUE INDEX "session_link_fromSessionId_toSessionId_kind_key" ON "session_link"("fromSessionId", "toSessionId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "approval_tenantId_system_ticketKey_key" ON "approval"("tenantId", "system", "ticketKey");

-- CreateIndex
CREATE INDEX "access_grant_principal_grantedAt_idx" ON "access_grant"("principal", "grantedAt");

-- CreateIndex
CREATE UNIQUE INDEX "access_grant_tenantId_system_externalId_key" ON "access_grant"("tenantId", "system", "externalId");

-- CreateIndex
CREATE INDEX "policy_decision_tenantId_time_idx" ON "policy_decision"("tenantId", "time");

-- CreateIndex
CREATE UNIQUE INDEX "policy_decision_tenantId_engine_decisionId_key" ON "policy_decision"("tenantId", "engine", "decisionId");

-- CreateIndex
CREATE INDEX "finding_tenantId_ruleId_idx" ON "finding"("tenantId", "ruleId");

-- CreateIndex
CREATE INDEX "finding_sessionId_idx" ON "finding"("sessionId");

-- CreateIndex
CREATE UNIQUE INDEX "case_number_key" ON "case"("number");

-- CreateIndex
CREATE UNIQUE INDEX "case_item_caseId_itemType_refId_key" ON "case_item"("caseId", "itemType", "refId");

-- CreateIndex
CREATE INDEX "case_activity_caseId_at_idx" ON "case_activity"("caseId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "retention_policy_sourceId_key" ON "retention_policy"("sourceId");

-- AddForeignKey
ALTER TABLE "api_token" ADD CONSTRAINT "api_token_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_token" ADD CONSTRAINT "api_token_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ingest_batch" ADD CONSTRAINT "ingest_batch_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "quarantined_record" ADD CONSTRAINT "quarantined_record_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "quarantined_record" ADD CONSTRAINT "quarantined_record_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "ingest_batch"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event" ADD CONSTRAINT "event_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "identity"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event" ADD CONSTRAINT "event_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "session"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "identity" ADD CONSTRAINT "identity_ownerIdentityId_fkey" FOREIGN KEY ("ownerIdentityId") REFERENCES "identity"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "identity_alias" ADD CONSTRAINT "identity_alias_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "identity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "credential" ADD CONSTRAINT "credential_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "identity"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "credential" ADD CONSTRAINT "credential_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "credential"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session" ADD CONSTRAINT "session_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "identity"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session" ADD CONSTRAINT "session_initiatorIdentityId_fkey" FOREIGN KEY ("initiatorIdentityId") REFERENCES "identity"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session" ADD CONSTRAINT "session_credentialId_fkey" FOREIGN KEY ("credentialId") REFERENCES "credential"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session_link" ADD CONSTRAINT "session_link_fromSessionId_fkey" FOREIGN KEY ("fromSessionId") REFERENCES "session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session_link" ADD CONSTRAINT "session_link_toSessionId_fkey" FOREIGN KEY ("toSessionId") REFERENCES "session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "access_grant" ADD CONSTRAINT "access_grant_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "identity"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finding" ADD CONSTRAINT "finding_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "session"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case" ADD CONSTRAINT "case_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case" ADD CONSTRAINT "case_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_item" ADD CONSTRAINT "case_item_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_note" ADD CONSTRAINT "case_note_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_note" ADD CONSTRAINT "case_note_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_task" ADD CONSTRAINT "case_task_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_activity" ADD CONSTRAINT "case_activity_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_activity" ADD CONSTRAINT "case_activity_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "retention_policy" ADD CONSTRAINT "retention_policy_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "legal_hold" ADD CONSTRAINT "legal_hold_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "case"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "legal_hold" ADD CONSTRAINT "legal_hold_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "source"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Ledger immutability (not expressible in schema.prisma). The raw records and signed checkpoints form an
-- append-only Merkle log: rows may never be deleted, and a raw record may change only by the retention purge,
-- which clears payload and sets purgedAt while every hash, position and link stays as it was.
CREATE FUNCTION sessionproof_refuse_ledger_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger table % is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE FUNCTION sessionproof_raw_record_purge_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.payload IS NULL AND OLD.payload IS NOT NULL AND NEW."purgedAt" IS NOT NULL AND OLD."purgedAt" IS NULL
     AND (NEW.id, NEW."leafIndex", NEW."tenantId", NEW."sourceId", NEW."batchId", NEW."fileName", NEW.position,
          NEW."contentHash", NEW."leafHash", NEW."receivedAt")
     IS NOT DISTINCT FROM
         (OLD.id, OLD."leafIndex", OLD."tenantId", OLD."sourceId", OLD."batchId", OLD."fileName", OLD.position,
          OLD."contentHash", OLD."leafHash", OLD."receivedAt")
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'raw_record is append-only: only the retention purge of a payload is allowed'
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER raw_record_no_delete BEFORE DELETE ON "raw_record"
  FOR EACH ROW EXECUTE FUNCTION sessionproof_refuse_ledger_change();
CREATE TRIGGER raw_record_purge_only BEFORE UPDATE ON "raw_record"
  FOR EACH ROW EXECUTE FUNCTION sessionproof_raw_record_purge_only();
CREATE TRIGGER raw_record_no_truncate BEFORE TRUNCATE ON "raw_record"
  FOR EACH STATEMENT EXECUTE FUNCTION sessionproof_refuse_ledger_change();
CREATE TRIGGER ledger_checkpoint_no_update BEFORE UPDATE OR DELETE ON "ledger_checkpoint"
  FOR EACH ROW EXECUTE FUNCTION sessionproof_refuse_ledger_change();
CREATE TRIGGER ledger_checkpoint_no_truncate BEFORE TRUNCATE ON "ledger_checkpoint"
  FOR EACH STATEMENT EXECUTE FUNCTION sessionproof_refuse_ledger_change();
