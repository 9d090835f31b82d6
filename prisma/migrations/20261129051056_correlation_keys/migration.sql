-- CreateTable
CREATE TABLE "correlation_key" (
    "key" BIGINT NOT NULL,
    "eventId" BIGINT NOT NULL,

    CONSTRAINT "correlation_key_pkey" PRIMARY KEY ("key","eventId")
);

-- CreateTable
CREATE TABLE "correlation_state" (
    "tenantId" TEXT NOT NULL,
    "keyedThrough" BIGINT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "correlation_state_pkey" PRIMARY KEY ("tenantId")
);
