import { activity, inCaseTx, lockCase, touchCase } from "./shared";
import { noteInput, type CaseActor } from "./types";

// A markdown note on a case, by the signed-in analyst. The page renders it without raw HTML.
export async function addNote({ actor, caseId, input, tenantId = "default" }: { actor: CaseActor; caseId: string; input: { body: string }; tenantId?: string }) {
  const v = noteInput.parse(input);
  return inCaseTx(async (tx) => {
    await lockCase(tx, caseId, tenantId);
    const note = await tx.caseNote.create({ data: { caseId, authorId: actor.id, body: v.body } });
    await touchCase(tx, caseId);
    await activity(tx, actor, caseId, "note_added", undefined, { noteId: note.id, body: note.body });
    return { id: note.id, body: note.body, createdAt: note.createdAt.toISOString() };
  });
}
