import { requireActorUserId, type RequestContext } from "@/lib/context/request-context";
import { AppError } from "@/lib/errors";
import { activity, inCaseTx, lockCase, touchCase } from "./shared";
import type { ChangeResult, NoteInput } from "./types";

// Edits a note. Only its author (or an administrator) may reword it: a note is that person's statement, and
// the history keeps every earlier wording.
export async function updateNote({
  ctx,
  caseId,
  noteId,
  input: v,
}: {
  ctx: RequestContext;
  caseId: string;
  noteId: string;
  input: NoteInput;
}): Promise<ChangeResult> {
  return inCaseTx(async (tx) => {
    await lockCase(tx, caseId);
    const note = await tx.caseNote.findFirst({ where: { id: noteId, caseId } });
    if (!note) throw new AppError("NOT_FOUND", "No such note in this case. Reload the case.");
    if (note.authorId !== requireActorUserId(ctx) && ctx.actor.role !== "admin") {
      throw new AppError("FORBIDDEN", "Only the note's author or an administrator can edit it. Add your own note instead.");
    }
    if (note.body === v.body) return { id: note.id, changed: false };
    const updated = await tx.caseNote.update({ where: { id: note.id }, data: { body: v.body } });
    await touchCase(tx, caseId);
    await activity(tx, ctx, caseId, "note_updated", { noteId: note.id, body: note.body }, { noteId: note.id, body: updated.body });
    return { id: note.id, changed: true };
  });
}
