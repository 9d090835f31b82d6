-- Key provenance (issue 16): fingerprints become the bare hex SHA-256 of the public key's DER SPKI, and the ledger
-- keeps every public key it was ever signed with, each later one vouched for by a rotation statement signed with
-- the key before it (lib/ledger/ledger-keys.ts).

-- Stored fingerprints were "SHA256:<hex>". The fingerprint is not part of any signed note before version 3, so
-- rewriting the label changes nothing that was signed. The triggers refuse every UPDATE of these rows; this
-- one-time rewrite runs as the tables' owner.
ALTER TABLE "ledger_checkpoint" DISABLE TRIGGER USER;
UPDATE "ledger_checkpoint" SET "keyFingerprint" = lower(substr("keyFingerprint", 8)) WHERE "keyFingerprint" LIKE 'SHA256:%';
ALTER TABLE "ledger_checkpoint" ENABLE TRIGGER USER;
ALTER TABLE "ledger_batch" DISABLE TRIGGER USER;
UPDATE "ledger_batch" SET "keyFingerprint" = lower(substr("keyFingerprint", 8)) WHERE "keyFingerprint" LIKE 'SHA256:%';
ALTER TABLE "ledger_batch" ENABLE TRIGGER USER;

-- CreateTable
CREATE TABLE "ledger_key" (
    "seq" INTEGER NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "publicKeyPem" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "afterCheckpoint" BIGINT NOT NULL,
    "rotationNote" TEXT,
    "previousKeySignature" BYTEA,
    "newKeySignature" BYTEA,

    CONSTRAINT "ledger_key_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE UNIQUE INDEX "ledger_key_fingerprint_key" ON "ledger_key"("fingerprint");

-- Append-only, like the checkpoints the keys sign (sessionproof_refuse_ledger_change is in the init migration).
CREATE TRIGGER ledger_key_no_update BEFORE UPDATE OR DELETE ON "ledger_key"
  FOR EACH ROW EXECUTE FUNCTION sessionproof_refuse_ledger_change();
CREATE TRIGGER ledger_key_no_truncate BEFORE TRUNCATE ON "ledger_key"
  FOR EACH STATEMENT EXECUTE FUNCTION sessionproof_refuse_ledger_change();
