-- AlterTable
ALTER TABLE "finding" ADD COLUMN     "eventIds" BIGINT[],
ADD COLUMN     "fingerprint" TEXT NOT NULL,
ADD COLUMN     "firstSeenAt" TIMESTAMPTZ(3) NOT NULL,
ADD COLUMN     "lastSeenAt" TIMESTAMPTZ(3) NOT NULL,
ADD COLUMN     "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateTable
CREATE TABLE "finding_activity" (
    "id" BIGSERIAL NOT NULL,
    "findingId" UUID NOT NULL,
    "actorId" UUID,
    "action" TEXT NOT NULL,
    "reason" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "finding_activity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "governance_check" (
    "id" UUID NOT NULL,
    "tenantId" TEXT NOT NULL DEFAULT 'default',
    "eventId" BIGINT NOT NULL,
    "platform" TEXT NOT NULL,
    "time" TIMESTAMPTZ(3) NOT NULL,
    "action" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "identityId" UUID,
    "sessionId" UUID,
    "actorName" TEXT,
    "targetName" TEXT,
    "approvalId" UUID,
    "approvalRef" TEXT,
    "approved" BOOLEAN,
    "grantId" UUID,
    "insideWindow" BOOLEAN,
    "minutesOutside" INTEGER,
    "grantBroader" BOOLEAN,
    "usedPrivilege" TEXT,
    "policyDecisionId" UUID,
    "policyResult" TEXT,
    "status" TEXT NOT NULL,
    "reasons" JSONB NOT NULL,
    "checkedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "governance_check_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "finding_activity_findingId_at_idx" ON "finding_activity"("findingId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "governance_check_eventId_key" ON "governance_check"("eventId");

-- CreateIndex
CREATE INDEX "governance_check_tenantId_time_idx" ON "governance_check"("tenantId", "time");

-- CreateIndex
CREATE INDEX "governance_check_status_idx" ON "governance_check"("status");

-- CreateIndex
CREATE INDEX "governance_check_sessionId_idx" ON "governance_check"("sessionId");

-- CreateIndex
CREATE INDEX "finding_identityId_idx" ON "finding"("identityId");

-- CreateIndex
CREATE UNIQUE INDEX "finding_tenantId_fingerprint_key" ON "finding"("tenantId", "fingerprint");

-- AddForeignKey
ALTER TABLE "finding_activity" ADD CONSTRAINT "finding_activity_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "finding"("id") ON DELETE CASCADE ON UPDATE CASCADE;
