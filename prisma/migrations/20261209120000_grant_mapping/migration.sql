-- Issue 14 §5: a declared field mapping for the grant export of a PAM / JIT tool without a reader (lib/grant-mappings).
CREATE TABLE "grant_mapping" (
    "id" UUID NOT NULL,
    "tenantId" TEXT NOT NULL DEFAULT 'default',
    "name" TEXT NOT NULL,
    "definition" JSONB NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "grant_mapping_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "grant_mapping_tenantId_name_key" ON "grant_mapping"("tenantId", "name");
ALTER TABLE "grant_mapping" ADD CONSTRAINT "grant_mapping_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;
