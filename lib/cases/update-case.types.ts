import { caseIdParams } from "./get-case.types";
import { changeResult, updateCaseInput } from "./types";

// PATCH /api/v1/cases/{id}: fields and/or a status move.
export const updateCaseContract = { params: caseIdParams, body: updateCaseInput, response: changeResult };
