-- AlterTable
ALTER TABLE "ingest_batch" ADD COLUMN     "header" TEXT;
