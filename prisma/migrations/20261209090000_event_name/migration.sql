-- data.event_name as a column (see schema.prisma): ingest writes it; existing rows are filled from their data.
ALTER TABLE "event" ADD COLUMN "eventName" TEXT;
UPDATE "event" SET "eventName" = data->>'event_name' WHERE data->>'event_name' IS NOT NULL;
