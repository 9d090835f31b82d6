import { userRoute } from "@/lib/api/handler";
import { download } from "@/lib/api/responses";
import { AppError } from "@/lib/errors";
import { recordView } from "@/lib/audit/record-view";
import { getEventRawRecord } from "@/lib/sessions/get-event-raw-record";

// GET /api/v1/events/{id}/raw - the event's raw record, whole and byte for byte, as a file (the session page shows
// only the start of a long one)
export const GET = userRoute("GET /api/v1/events/[id]/raw", async ({ ctx, params: { id } }) => {
  const rec = await getEventRawRecord({ eventId: id });
  if (!rec) throw new AppError("NOT_FOUND", "No such event. It may belong to data that was ingested elsewhere.");
  if (!rec.payload)
    throw new AppError("NOT_FOUND", "The payload of this raw record was purged by retention; its leaf hash stays in the ledger.");
  await recordView({ ctx, type: "raw_record", id: rec.rawRecordId });
  const base = rec.fileName.replace(/\.gz$/i, "").replace(/[/\\]/g, "_");
  return download(new Uint8Array(rec.payload), {
    fileName: `${base}#${rec.position}.raw`,
    contentType: "application/octet-stream",
  });
});
