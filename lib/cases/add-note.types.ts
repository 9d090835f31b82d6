import { z } from "zod";
import { caseIdParams } from "./get-case.types";
import { noteInput } from "./types";

/** What POST /api/v1/cases/{id}/notes answers (201). */
export const addedNote = z.object({ id: z.string(), body: z.string(), createdAt: z.string() });
export type AddedNote = z.infer<typeof addedNote>;

export const addNoteContract = { params: caseIdParams, body: noteInput, response: addedNote, created: true } as const;
