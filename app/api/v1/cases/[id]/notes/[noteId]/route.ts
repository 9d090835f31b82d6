import { z } from "zod";
import { readJson, userRoute } from "@/lib/api/handler";
import { updateNote } from "@/lib/cases/update-note";
import { noteInput } from "@/lib/cases/types";

const params = z.object({ id: z.guid({ message: "not a case id" }), noteId: z.guid({ message: "not a note id" }) });

// PATCH /api/v1/cases/{id}/notes/{noteId} - reword a note (its author or an administrator)
export const PATCH = userRoute<{ id: string; noteId: string }>("PATCH /api/v1/cases/[id]/notes/[noteId]", async ({ req, ctx, params: p }) => {
  const { id, noteId } = params.parse(p);
  const input = noteInput.parse(await readJson(req));
  return updateNote({ ctx, caseId: id, noteId, input });
});
