import { z } from "zod";
import { changeResult, noteInput } from "./types";

export const updateNoteContract = {
  params: z.object({ id: z.guid({ message: "not a case id" }), noteId: z.guid({ message: "not a note id" }) }),
  body: noteInput,
  response: changeResult,
};
