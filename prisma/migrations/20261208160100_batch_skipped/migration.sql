-- Records a vendor delivers beside its events that hold none (a CloudTrail digest file, an API page without items)
-- are skipped, not stored or quarantined: the batch counts them and says why (lib/ingest/ingest-stream.ts).
-- read = stored + duplicate + quarantined + skipped.
ALTER TABLE "ingest_batch" ADD COLUMN "skippedCount" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "ingest_batch" ADD COLUMN "note" TEXT;
