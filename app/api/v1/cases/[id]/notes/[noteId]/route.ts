import { userRoute } from "@/lib/api/handler";
import { updateNote } from "@/lib/cases/update-note";

// PATCH /api/v1/cases/{id}/notes/{noteId} - reword a note (its author or an administrator)
export const PATCH = userRoute("PATCH /api/v1/cases/[id]/notes/[noteId]", async ({ ctx, params: { id, noteId }, body }) =>
  updateNote({ ctx, caseId: id, noteId, input: body }),
);
