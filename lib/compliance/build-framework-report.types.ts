import { z } from "zod";
import { frameworkParams } from "./get-framework-status.types";

export const REPORT_FORMATS = ["csv", "html"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

// GET /api/v1/compliance/{framework}/report?format=csv|html: a CSV download, or a printable HTML page.
export const buildFrameworkReportContract = {
  params: frameworkParams,
  query: z.object({ format: z.enum(REPORT_FORMATS, { message: "format must be csv or html" }).default("csv") }),
  download: ["text/csv", "text/html"],
} as const;
