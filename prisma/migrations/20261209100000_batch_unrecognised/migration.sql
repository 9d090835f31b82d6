-- A file no source recognises is recorded as a failed batch with no source (schema.prisma IngestBatch.sourceId).
ALTER TABLE "ingest_batch" ALTER COLUMN "sourceId" DROP NOT NULL;
