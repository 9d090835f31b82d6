-- Legal holds enforced by the database itself, not only by the purge job: whoever connects with the app's
-- credentials and writes the purge statement by hand is refused for a held record, and cannot delete or rewrite
-- the hold, or take the evidence out of a held case, to get around it. (The app's role owns none of these
-- tables, so it cannot disable or replace the triggers either: lib/db/app-role.ts.)

-- What a legal hold covers: ("holdId", "rawRecordId") pairs for every active hold, or, given candidate raw record
-- ids, only the pairs of those records (the trigger below and the purge ask about a chunk of records at a time).
-- The one definition: lib/retention/held-raw-records.ts reads it too.
--   case hold: the raw records its evidence cites:
--     session item  -> the raw records of the session's events
--     event item    -> that event's raw record
--     identity item -> the raw records of that identity's events
--     finding item  -> the raw records of finding.eventIds and of its session's events
--     lineage_snapshot item -> when its root is an identity, that identity's events (the snapshot itself is kept
--                      in case_item; a credential root holds nothing more)
--   source hold: the raw records of that source whose event time lies in [rangeStart, rangeEnd] (an open end is
--     unbounded); a record without events (quarantine resolutions, the audit trail) counts by its receivedAt.
-- refIds are text; each kind is cast in its own MATERIALIZED CTE after its WHERE, so a malformed id never reaches a
-- cast. Custom plans: with candidates the planner starts from their events (an index probe per record), without
-- them from the holds; a generic plan would be the wrong one for one of the two.
CREATE FUNCTION sessionproof_held_raw_records(candidates bigint[] DEFAULT NULL)
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
  UNION SELECT h.id, e."rawRecordId" FROM h JOIN event e ON e."sourceId" = h."sourceId"
         AND (h."rangeStart" IS NULL OR e.time >= h."rangeStart") AND (h."rangeEnd" IS NULL OR e.time <= h."rangeEnd")
   WHERE candidates IS NULL OR e."rawRecordId" = ANY (candidates)
  UNION SELECT h.id, r.id FROM h JOIN raw_record r ON r."sourceId" = h."sourceId"
         AND (h."rangeStart" IS NULL OR r."receivedAt" >= h."rangeStart") AND (h."rangeEnd" IS NULL OR r."receivedAt" <= h."rangeEnd")
         AND NOT EXISTS (SELECT 1 FROM event e WHERE e."rawRecordId" = r.id)
   WHERE candidates IS NULL OR r.id = ANY (candidates);
END;
$$;

-- The purge clears a payload (the one change raw_record_purge_only allows); this refuses the whole statement when
-- any record it cleared is under an active hold. Per statement over the cleared rows, so a purge chunk costs one
-- set-based check, not one per row.
CREATE FUNCTION sessionproof_raw_record_not_held() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  held record;
BEGIN
  SELECT x."rawRecordId", x."holdId" INTO held
    FROM sessionproof_held_raw_records(ARRAY(SELECT p.id FROM purged p WHERE p.payload IS NULL)) x
   ORDER BY x."rawRecordId", x."holdId" LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'raw record % is under legal hold %: its payload cannot be purged until the hold is released', held."rawRecordId", held."holdId"
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER raw_record_not_held AFTER UPDATE ON "raw_record"
  REFERENCING NEW TABLE AS purged
  FOR EACH STATEMENT EXECUTE FUNCTION sessionproof_raw_record_not_held();

-- A hold is kept for good: it is released (once, with a reason), never deleted or rewritten.
CREATE FUNCTION sessionproof_legal_hold_release_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND OLD."releasedAt" IS NULL AND NEW."releasedAt" IS NOT NULL AND btrim(COALESCE(NEW."releaseReason", '')) <> ''
     AND (NEW.id, NEW."caseId", NEW."sourceId", NEW."rangeStart", NEW."rangeEnd", NEW.reason, NEW."placedById", NEW."placedAt")
     IS NOT DISTINCT FROM
         (OLD.id, OLD."caseId", OLD."sourceId", OLD."rangeStart", OLD."rangeEnd", OLD.reason, OLD."placedById", OLD."placedAt")
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'legal_hold rows are kept: a hold can only be released, once and with a reason (% refused)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER legal_hold_release_only BEFORE UPDATE OR DELETE ON "legal_hold"
  FOR EACH ROW EXECUTE FUNCTION sessionproof_legal_hold_release_only();
CREATE TRIGGER legal_hold_no_truncate BEFORE TRUNCATE ON "legal_hold"
  FOR EACH STATEMENT EXECUTE FUNCTION sessionproof_refuse_ledger_change();

-- The evidence of a case under an active hold stays in the case (taking it out would end the hold's cover);
-- its annotation may still change.
CREATE FUNCTION sessionproof_case_item_kept_under_hold() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (TG_OP = 'DELETE'
      OR (NEW."caseId", NEW."itemType", NEW."refId", NEW.snapshot)
         IS DISTINCT FROM (OLD."caseId", OLD."itemType", OLD."refId", OLD.snapshot))
     AND EXISTS (SELECT 1 FROM legal_hold h WHERE h."caseId" = OLD."caseId" AND h."releasedAt" IS NULL)
  THEN
    RAISE EXCEPTION 'case % is under a legal hold: its evidence cannot be removed or changed until the hold is released', OLD."caseId"
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;

CREATE TRIGGER case_item_kept_under_hold BEFORE UPDATE OR DELETE ON "case_item"
  FOR EACH ROW EXECUTE FUNCTION sessionproof_case_item_kept_under_hold();

-- These functions run with the caller's privileges and name tables without a schema. Without a fixed search_path
-- the caller's temporary schema comes first, and a temporary table named legal_hold (any role may create one)
-- would stand in for the real one. Pin every trigger function to the schema the migration runs in, temporary
-- tables last.
DO $$
DECLARE
  fn text;
BEGIN
  FOREACH fn IN ARRAY ARRAY[
    'sessionproof_held_raw_records(bigint[])', 'sessionproof_raw_record_not_held()', 'sessionproof_legal_hold_release_only()',
    'sessionproof_case_item_kept_under_hold()', 'sessionproof_refuse_ledger_change()', 'sessionproof_raw_record_purge_only()',
    'analytics_change_log()'
  ] LOOP
    EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', fn, current_schema());
  END LOOP;
END;
$$;
