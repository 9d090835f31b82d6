-- AlterTable
ALTER TABLE "finding" ADD COLUMN     "dismissalType" TEXT,
ADD COLUMN     "dismissedEventIds" BIGINT[] DEFAULT ARRAY[]::BIGINT[],
ADD COLUMN     "riskApprovedAt" TIMESTAMPTZ(3),
ADD COLUMN     "riskApprovedById" UUID,
ADD COLUMN     "riskExpiresAt" TIMESTAMPTZ(3);

-- Dismissals made before dismissal types existed: each was a reviewer's "this is not a problem", i.e. a false
-- positive, covering the occurrences the finding named at the time.
UPDATE "finding" SET "dismissalType" = 'false_positive', "dismissedEventIds" = "eventIds" WHERE status = 'dismissed';
