import { caseIdParams } from "@/lib/cases/get-case.types";

// GET /api/v1/cases/{id}/export: the case's evidence package, streamed as a zip (docs/evidence-package.md).
export const exportCaseContract = { params: caseIdParams, download: ["application/zip"] } as const;
