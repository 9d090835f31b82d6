import { caseIdParams } from "@/lib/cases/get-case.types";

export const exportCaseContract = { params: caseIdParams };
