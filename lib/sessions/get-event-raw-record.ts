import { pool } from "@/lib/db";

export type EventRawRecord = { rawRecordId: string; fileName: string; position: number; payload: Buffer | null };

/** The whole raw record of an event (the session page shows only its first RAW_PREVIEW_BYTES); null when there is no such event. */
export async function getEventRawRecord({ eventId }: { eventId: string }): Promise<EventRawRecord | null> {
  const r = await pool().query<{ id: string; fileName: string; position: string; payload: Buffer | null }>(
    `SELECT r.id::text AS id, r."fileName", r.position::text AS position, r.payload
       FROM event e JOIN raw_record r ON r.id = e."rawRecordId" WHERE e.id = $1::bigint`,
    [eventId],
  );
  const row = r.rows[0];
  return row ? { rawRecordId: row.id, fileName: row.fileName, position: Number(row.position), payload: row.payload } : null;
}
