import { userRoute } from "@/lib/api/handler";
import { created } from "@/lib/api/responses";
import { addNote } from "@/lib/cases/add-note";

// POST /api/v1/cases/{id}/notes - add a markdown note
export const POST = userRoute("POST /api/v1/cases/[id]/notes", async ({ ctx, params: { id }, body }) => {
  const note = await addNote({ ctx, caseId: id, input: body });
  return created(note, `/api/v1/cases/${id}/notes/${note.id}`);
});
