-- RFC 3161 timestamp responses for signed checkpoints (lib/export/checkpoint-timestamp.ts): asked of the timestamp
-- authority named by SESSIONPROOF_TSA_URL when a case is exported, kept so that a later export of the same checkpoint
-- reuses the token, and shipped in the package as proofs/checkpoint.tsr. A token verifies on its own (the TSA's
-- signature over the note's hash), so the table needs no protection beyond that: a changed token fails verification.
CREATE TABLE "checkpoint_timestamp" (
    "id" BIGSERIAL NOT NULL,
    "checkpointSeq" BIGINT NOT NULL,
    "tsaUrl" TEXT NOT NULL,
    "response" BYTEA NOT NULL,
    "genTime" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "checkpoint_timestamp_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "checkpoint_timestamp_checkpointSeq_tsaUrl_idx" ON "checkpoint_timestamp"("checkpointSeq", "tsaUrl");
