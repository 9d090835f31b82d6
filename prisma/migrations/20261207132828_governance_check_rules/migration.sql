-- AlterTable
ALTER TABLE "governance_check" ADD COLUMN     "checks" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "statuses" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- Checks written before the named rules: their statuses in the new vocabulary, until the next analysis run rebuilds
-- them with every rule (a missing JIT grant was "no_grant"; it is standing privilege where the platform requires JIT,
-- which is the default).
UPDATE "governance_check" SET
  "statuses" = CASE "status"
    WHEN 'ok' THEN ARRAY[]::TEXT[]
    WHEN 'unapproved' THEN ARRAY['unapproved']
    WHEN 'outside_window' THEN ARRAY['outside_window']
    WHEN 'no_grant' THEN ARRAY['standing_privilege']
    WHEN 'unapproved_outside_window' THEN ARRAY['unapproved', 'outside_window']
    WHEN 'unapproved_no_grant' THEN ARRAY['unapproved', 'standing_privilege']
    ELSE ARRAY["status"] END,
  "status" = CASE "status"
    WHEN 'no_grant' THEN 'standing_privilege'
    WHEN 'unapproved_outside_window' THEN 'unapproved'
    WHEN 'unapproved_no_grant' THEN 'unapproved'
    ELSE "status" END;
