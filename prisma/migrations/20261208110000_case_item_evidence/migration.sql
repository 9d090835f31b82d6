-- A case cites sessions, identities and findings, which are derived rows: a later correlation run re-assigns
-- event."sessionId" and event."identityId" (and rebuilds findings), so the events behind a cited session could move
-- to another session, and with them out of the case's legal hold and out of its export, while the case is held.
-- What a case item covers is therefore pinned when it is cited: case_item_evidence keeps the event ids and raw
-- record ids the item named at that moment (a trigger on case_item fills it, whoever inserts the item). A hold on
-- the case covers the pinned records and whatever the item names now (never less than when it was cited), and the
-- export ships the pinned events. The pins of an item live and die with it: they cannot be changed, and they cannot
-- be removed while the case is held (the app's role may only read and add them: lib/db/app-role.ts).
CREATE TABLE "case_item_evidence" (
  "caseItemId" UUID NOT NULL,
  "caseId" UUID NOT NULL,
  "eventId" BIGINT NOT NULL,
  "rawRecordId" BIGINT NOT NULL,
  CONSTRAINT "case_item_evidence_pkey" PRIMARY KEY ("caseItemId", "eventId")
);
CREATE INDEX "case_item_evidence_caseId_idx" ON "case_item_evidence"("caseId");
CREATE INDEX "case_item_evidence_rawRecordId_idx" ON "case_item_evidence"("rawRecordId");
ALTER TABLE "case_item_evidence" ADD CONSTRAINT "case_item_evidence_caseItemId_fkey"
  FOREIGN KEY ("caseItemId") REFERENCES "case_item"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The events a case item names now (the same reading as sessionproof_held_raw_records):
--   session -> the session's events; event -> that event; identity -> the identity's events;
--   finding -> finding."eventIds" and its session's events; lineage_snapshot -> an identity root's events.
-- Ids are text in case_item; each kind checks its id's shape before the cast. plpgsql, so that it is never inlined
-- into a caller's query: the kind and id are constants of each call, and a branch for another kind never runs.
CREATE FUNCTION sessionproof_case_item_events(item_type text, ref_id text, snap jsonb)
RETURNS TABLE ("eventId" bigint, "rawRecordId" bigint)
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_custom_plan
AS $$
BEGIN
  RETURN QUERY
  SELECT e.id, e."rawRecordId" FROM event e
   WHERE item_type = 'session' AND ref_id ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
     AND e."sessionId" = ref_id::uuid
  UNION
  SELECT e.id, e."rawRecordId" FROM event e
   WHERE item_type = 'event' AND ref_id ~ '^[0-9]{1,18}$' AND e.id = ref_id::bigint
  UNION
  SELECT e.id, e."rawRecordId" FROM event e
   WHERE item_type = 'identity' AND ref_id ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
     AND e."identityId" = ref_id::uuid
  UNION
  SELECT e.id, e."rawRecordId" FROM event e
   WHERE item_type = 'lineage_snapshot' AND snap->'root'->>'type' = 'identity'
     AND snap->'root'->>'id' ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
     AND e."identityId" = (snap->'root'->>'id')::uuid
  UNION
  SELECT e.id, e."rawRecordId" FROM finding f JOIN event e ON e.id = ANY (f."eventIds")
   WHERE item_type = 'finding' AND ref_id ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
     AND f.id = ref_id::uuid
  UNION
  SELECT e.id, e."rawRecordId" FROM finding f JOIN event e ON e."sessionId" = f."sessionId"
   WHERE item_type = 'finding' AND ref_id ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
     AND f.id = ref_id::uuid;
END;
$$;

CREATE FUNCTION sessionproof_pin_case_item() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO case_item_evidence ("caseItemId", "caseId", "eventId", "rawRecordId")
  SELECT NEW.id, NEW."caseId", x."eventId", x."rawRecordId"
    FROM sessionproof_case_item_events(NEW."itemType", NEW."refId", NEW.snapshot::jsonb) x
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END;
$$;

CREATE TRIGGER case_item_pin_evidence AFTER INSERT ON "case_item"
  FOR EACH ROW EXECUTE FUNCTION sessionproof_pin_case_item();

-- Items cited before this migration: pinned to what they name today.
INSERT INTO case_item_evidence ("caseItemId", "caseId", "eventId", "rawRecordId")
SELECT i.id, i."caseId", x."eventId", x."rawRecordId"
  FROM case_item i CROSS JOIN LATERAL sessionproof_case_item_events(i."itemType", i."refId", i.snapshot::jsonb) x
ON CONFLICT DO NOTHING;

-- Pins are never rewritten; they go with their item (the cascade of an item's removal), never while its case is held.
CREATE FUNCTION sessionproof_case_item_evidence_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM legal_hold h WHERE h."caseId" = OLD."caseId" AND h."releasedAt" IS NULL) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'the evidence pinned by a case item cannot be changed, nor removed while case % is under a legal hold (% refused)',
    OLD."caseId", TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER case_item_evidence_kept BEFORE UPDATE OR DELETE ON "case_item_evidence"
  FOR EACH ROW EXECUTE FUNCTION sessionproof_case_item_evidence_kept();
CREATE TRIGGER case_item_evidence_no_truncate BEFORE TRUNCATE ON "case_item_evidence"
  FOR EACH STATEMENT EXECUTE FUNCTION sessionproof_refuse_ledger_change();

-- What a hold covers: as before, plus every record a held case's items pinned when they were cited.
CREATE OR REPLACE FUNCTION sessionproof_held_raw_records(candidates bigint[] DEFAULT NULL)
RETURNS TABLE ("holdId" uuid, "rawRecordId" bigint)
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_custom_plan
AS $$
BEGIN
  RETURN QUERY
  WITH
  h AS MATERIALIZED (SELECT h.id, h."caseId", h."sourceId", h."rangeStart", h."rangeEnd" FROM legal_hold h WHERE h."releasedAt" IS NULL),
  ci AS MATERIALIZED (SELECT h.id AS "holdId", c."itemType", c."refId", c.snapshot FROM h JOIN case_item c ON c."caseId" = h."caseId"),
  ci_session AS MATERIALIZED (
    SELECT ci."holdId", ci."refId"::uuid AS id FROM ci
     WHERE ci."itemType" = 'session' AND ci."refId" ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'),
  ci_event AS MATERIALIZED (SELECT ci."holdId", ci."refId"::bigint AS id FROM ci WHERE ci."itemType" = 'event' AND ci."refId" ~ '^[0-9]{1,18}$'),
  ci_identity AS MATERIALIZED (
    SELECT ci."holdId", ci."refId"::uuid AS id FROM ci
     WHERE ci."itemType" = 'identity' AND ci."refId" ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
    UNION
    SELECT ci."holdId", (ci.snapshot->'root'->>'id')::uuid FROM ci
     WHERE ci."itemType" = 'lineage_snapshot' AND ci.snapshot->'root'->>'type' = 'identity'
       AND ci.snapshot->'root'->>'id' ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'),
  ci_finding AS MATERIALIZED (
    SELECT x."holdId", f."sessionId", f."eventIds"
      FROM (SELECT ci."holdId", ci."refId"::uuid AS id FROM ci
             WHERE ci."itemType" = 'finding' AND ci."refId" ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$') x
      JOIN finding f ON f.id = x.id)
  SELECT x."holdId", e."rawRecordId" FROM ci_session x JOIN event e ON e."sessionId" = x.id
   WHERE candidates IS NULL OR e."rawRecordId" = ANY (candidates)
  UNION SELECT x."holdId", e."rawRecordId" FROM ci_event x JOIN event e ON e.id = x.id
   WHERE candidates IS NULL OR e."rawRecordId" = ANY (candidates)
  UNION SELECT x."holdId", e."rawRecordId" FROM ci_identity x JOIN event e ON e."identityId" = x.id
   WHERE candidates IS NULL OR e."rawRecordId" = ANY (candidates)
  UNION SELECT x."holdId", e."rawRecordId" FROM ci_finding x JOIN event e ON e.id = ANY (x."eventIds")
   WHERE candidates IS NULL OR e."rawRecordId" = ANY (candidates)
  UNION SELECT x."holdId", e."rawRecordId" FROM ci_finding x JOIN event e ON e."sessionId" = x."sessionId"
   WHERE candidates IS NULL OR e."rawRecordId" = ANY (candidates)
  UNION SELECT h.id, p."rawRecordId" FROM h JOIN case_item_evidence p ON p."caseId" = h."caseId"
   WHERE candidates IS NULL OR p."rawRecordId" = ANY (candidates)
  UNION SELECT h.id, e."rawRecordId" FROM h JOIN event e ON e."sourceId" = h."sourceId"
         AND (h."rangeStart" IS NULL OR e.time >= h."rangeStart") AND (h."rangeEnd" IS NULL OR e.time <= h."rangeEnd")
   WHERE candidates IS NULL OR e."rawRecordId" = ANY (candidates)
  UNION SELECT h.id, r.id FROM h JOIN raw_record r ON r."sourceId" = h."sourceId"
         AND (h."rangeStart" IS NULL OR r."receivedAt" >= h."rangeStart") AND (h."rangeEnd" IS NULL OR r."receivedAt" <= h."rangeEnd")
         AND NOT EXISTS (SELECT 1 FROM event e WHERE e."rawRecordId" = r.id)
   WHERE candidates IS NULL OR r.id = ANY (candidates);
END;
$$;

-- Pinned to this schema, temporary tables last (see migration legal_hold_in_database).
DO $$
DECLARE
  fn text;
BEGIN
  FOREACH fn IN ARRAY ARRAY[
    'sessionproof_held_raw_records(bigint[])', 'sessionproof_case_item_events(text, text, jsonb)', 'sessionproof_pin_case_item()',
    'sessionproof_case_item_evidence_kept()'
  ] LOOP
    EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', fn, current_schema());
  END LOOP;
END;
$$;
