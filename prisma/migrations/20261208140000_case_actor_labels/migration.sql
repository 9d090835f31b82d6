-- A case, its items, notes and history entries can be made by an actor that is not a user row: the command line
-- (the operating-system user and host, e.g. "cli:alice@build-01"). The user columns become optional and each table
-- keeps the actor's label as it was recorded (lib/cases/shared.ts caseActor); a signed-in user keeps both.
ALTER TABLE "case" ALTER COLUMN "createdById" DROP NOT NULL, ADD COLUMN "createdByLabel" TEXT;
ALTER TABLE "case_item" ALTER COLUMN "addedById" DROP NOT NULL, ADD COLUMN "addedByLabel" TEXT;
ALTER TABLE "case_note" ALTER COLUMN "authorId" DROP NOT NULL, ADD COLUMN "authorLabel" TEXT;
ALTER TABLE "case_activity" ALTER COLUMN "actorId" DROP NOT NULL, ADD COLUMN "actorLabel" TEXT;
