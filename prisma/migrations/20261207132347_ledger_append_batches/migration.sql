-- The ledger's promises against a privileged database user (docs/ledger-threat-model.md): checkpoints numbered and
-- chained (note version 2 signs seq, the previous note's hash and the number of append batches), every append
-- signed as a batch that commits to each leaf hash and to the hash of each record's normalized events, and each
-- event's own content hash.

-- AlterTable: existing checkpoints (note version 1) are numbered in id order; their seq is not signed.
ALTER TABLE "ledger_checkpoint" ADD COLUMN     "batches" BIGINT,
ADD COLUMN     "noteVersion" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "previousHash" BYTEA,
ADD COLUMN     "seq" BIGINT;

-- The triggers refuse every UPDATE of a checkpoint; this one-time numbering runs as the table's owner.
ALTER TABLE "ledger_checkpoint" DISABLE TRIGGER USER;
UPDATE "ledger_checkpoint" c SET "seq" = n.seq FROM (SELECT id, row_number() OVER (ORDER BY id) AS seq FROM "ledger_checkpoint") n WHERE n.id = c.id;
ALTER TABLE "ledger_checkpoint" ENABLE TRIGGER USER;
ALTER TABLE "ledger_checkpoint" ALTER COLUMN "seq" SET NOT NULL;

-- AlterTable: NULL for events stored before (a nullable column without default: no table rewrite).
ALTER TABLE "event" ADD COLUMN     "dataHash" BYTEA;

-- CreateTable
CREATE TABLE "ledger_batch" (
    "seq" BIGINT NOT NULL,
    "firstLeaf" BIGINT NOT NULL,
    "count" INTEGER NOT NULL,
    "afterCheckpoint" BIGINT NOT NULL,
    "entriesRoot" BYTEA NOT NULL,
    "entries" BYTEA NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "signature" BYTEA NOT NULL,
    "keyFingerprint" TEXT NOT NULL,

    CONSTRAINT "ledger_batch_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE UNIQUE INDEX "ledger_batch_firstLeaf_key" ON "ledger_batch"("firstLeaf");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_checkpoint_seq_key" ON "ledger_checkpoint"("seq");

-- Append-only, like the leaves it describes (sessionproof_refuse_ledger_change is in the init migration).
CREATE TRIGGER ledger_batch_no_update BEFORE UPDATE OR DELETE ON "ledger_batch"
  FOR EACH ROW EXECUTE FUNCTION sessionproof_refuse_ledger_change();
CREATE TRIGGER ledger_batch_no_truncate BEFORE TRUNCATE ON "ledger_batch"
  FOR EACH STATEMENT EXECUTE FUNCTION sessionproof_refuse_ledger_change();
