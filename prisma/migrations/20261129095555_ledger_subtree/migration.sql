-- CreateTable
CREATE TABLE "ledger_subtree" (
    "level" INTEGER NOT NULL,
    "start" BIGINT NOT NULL,
    "hash" BYTEA NOT NULL,

    CONSTRAINT "ledger_subtree_pkey" PRIMARY KEY ("level","start")
);

-- Append-only, as the leaves it is computed from (sessionproof_refuse_ledger_change is in the init migration).
CREATE TRIGGER ledger_subtree_no_update BEFORE UPDATE OR DELETE ON "ledger_subtree"
  FOR EACH ROW EXECUTE FUNCTION sessionproof_refuse_ledger_change();
CREATE TRIGGER ledger_subtree_no_truncate BEFORE TRUNCATE ON "ledger_subtree"
  FOR EACH STATEMENT EXECUTE FUNCTION sessionproof_refuse_ledger_change();
