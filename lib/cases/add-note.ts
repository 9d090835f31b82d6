import type { RequestContext } from "@/lib/context/request-context";
import { caseActor } from "./case-activity";
import { activity, inCaseTx, lockCase, touchCase } from "./shared";
import type { AddedNote } from "./add-note.types";
import type { NoteInput } from "./types";

// A markdown note on a case, by the signed-in analyst. The page renders it without raw HTML.
export async function addNote({ ctx, caseId, input: v }: { ctx: RequestContext; caseId: string; input: NoteInput }): Promise<AddedNote> {
  return inCaseTx(async (tx) => {
    await lockCase(tx, caseId);
    const author = caseActor(ctx);
    const note = await tx.caseNote.create({ data: { caseId, authorId: author.id, authorLabel: author.label, body: v.body } });
    await touchCase(tx, caseId);
    await activity(tx, ctx, caseId, "note_added", undefined, { noteId: note.id, body: note.body });
    return { id: note.id, body: note.body, createdAt: note.createdAt.toISOString() };
  });
}
