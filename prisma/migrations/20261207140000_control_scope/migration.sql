-- CreateTable
CREATE TABLE "control_scope" (
    "tenantId" TEXT NOT NULL DEFAULT 'default',
    "framework" TEXT NOT NULL,
    "controlId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "scopedById" UUID,
    "scopedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "control_scope_pkey" PRIMARY KEY ("tenantId","framework","controlId")
);
