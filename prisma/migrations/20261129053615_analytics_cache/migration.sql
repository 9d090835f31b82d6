-- CreateTable
CREATE TABLE "analytics_change" (
    "id" BIGSERIAL NOT NULL,
    "tableName" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "analytics_change_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "analytics_cache" (
    "tenantId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "stamp" TEXT NOT NULL,
    "value" JSON NOT NULL,
    "computedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "analytics_cache_pkey" PRIMARY KEY ("tenantId","name")
);

-- One analytics_change row per write statement (not per row: an ingest batch costs one insert) on the tables the
-- cached analytics read. Transactional: the row becomes visible when the writer commits, with its data.
CREATE FUNCTION analytics_change_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO analytics_change ("tableName") VALUES (TG_TABLE_NAME);
  RETURN NULL;
END $$;

CREATE TRIGGER event_analytics_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "event"
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_change_log();
CREATE TRIGGER identity_analytics_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "identity"
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_change_log();
CREATE TRIGGER governance_check_analytics_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "governance_check"
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_change_log();
CREATE TRIGGER policy_decision_analytics_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "policy_decision"
  FOR EACH STATEMENT EXECUTE FUNCTION analytics_change_log();
