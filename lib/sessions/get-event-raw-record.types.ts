import { z } from "zod";

// GET /api/v1/events/{id}/raw: the event's raw record, whole and byte for byte, as a file.
export const getEventRawRecordContract = {
  params: z.object({ id: z.string().regex(/^[1-9][0-9]{0,17}$/, "not an event id") }),
  download: ["application/octet-stream"],
} as const;
