import { caseIdParams } from "./get-case.types";
import { addItemInput } from "./types";

export const addCaseItemContract = { params: caseIdParams, body: addItemInput };
