-- CreateTable
CREATE TABLE "analysis_run" (
    "id" BIGSERIAL NOT NULL,
    "tenantId" TEXT NOT NULL DEFAULT 'default',
    "status" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "requestedBy" TEXT,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),
    "eventsThroughId" BIGINT NOT NULL,
    "eventsThroughAt" TIMESTAMPTZ(3),
    "eventCount" BIGINT NOT NULL,
    "appVersion" TEXT NOT NULL,
    "logicHash" TEXT NOT NULL,
    "summary" JSONB,
    "error" TEXT,

    CONSTRAINT "analysis_run_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "analysis_run_tenantId_status_id_idx" ON "analysis_run"("tenantId", "status", "id");
