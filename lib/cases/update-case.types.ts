import { caseIdParams } from "./get-case.types";
import { updateCaseInput } from "./types";

export const updateCaseContract = { params: caseIdParams, body: updateCaseInput };
