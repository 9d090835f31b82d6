import { caseIdParams } from "./get-case.types";
import { noteInput } from "./types";

export const addNoteContract = { params: caseIdParams, body: noteInput };
