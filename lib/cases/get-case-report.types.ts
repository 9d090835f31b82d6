import { z } from "zod";
import { caseIdParams } from "./get-case.types";

// GET /api/v1/cases/{id}/report?format=html|pdf: the case report (lib/export/report) as a file, the same report the
// evidence package carries as report.html and report.pdf. Same permission as the package (cases.export).
export const getCaseReportQuery = z.object({
  format: z.enum(["html", "pdf"], { message: "format must be html or pdf" }).default("html"),
});
export const getCaseReportContract = {
  params: caseIdParams,
  query: getCaseReportQuery,
  download: ["text/html", "application/pdf"],
} as const;
