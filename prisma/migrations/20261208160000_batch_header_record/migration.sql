-- CSV header rows are evidence: each batch's header row is appended to the ledger as its own raw record, and the
-- batch points at it (its rows point at the batch through raw_record."batchId"). The file's SHA-256 is kept for
-- the evidence package's provenance. Batches ingested before this keep their header text only (ingest_batch.header);
-- the evidence package says so for them (docs/evidence-package.md, CSV headers).
ALTER TABLE "ingest_batch" ADD COLUMN "headerRawRecordId" BIGINT;
ALTER TABLE "ingest_batch" ADD COLUMN "fileSha256" TEXT;
