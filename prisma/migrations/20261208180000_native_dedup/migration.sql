-- Issue 14 §6: the same event twice is one event (lib/ingest/native-dedup.ts).

-- Semantic dedup looks each chunk's platform-native ids up in one set-based query through this index.
CREATE INDEX "event_native_key_idx" ON "event" ("platform", "nativeId", "time") WHERE "nativeId" IS NOT NULL;

-- What a batch counted as duplicate, and the record it duplicates.
CREATE TABLE "ingest_duplicate" (
    "id" BIGSERIAL NOT NULL,
    "batchId" UUID NOT NULL,
    "position" BIGINT NOT NULL,
    "kind" TEXT NOT NULL,
    "rawRecordId" BIGINT,
    "originalId" BIGINT NOT NULL,
    "nativeId" TEXT,

    CONSTRAINT "ingest_duplicate_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "ingest_duplicate_batchId_position_idx" ON "ingest_duplicate"("batchId", "position");
CREATE INDEX "ingest_duplicate_originalId_idx" ON "ingest_duplicate"("originalId");

-- Quarantine is idempotent: the same bytes of the same source are quarantined once.
ALTER TABLE "quarantined_record" ADD COLUMN "rawHash" BYTEA;
UPDATE "quarantined_record" SET "rawHash" = sha256("raw") WHERE "rawHash" IS NULL;
CREATE INDEX "quarantined_record_sourceId_rawHash_idx" ON "quarantined_record"("sourceId", "rawHash");
