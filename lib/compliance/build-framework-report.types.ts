import { z } from "zod";
import { frameworkParams } from "./get-framework-status.types";
import { auditPeriodQuery } from "./audit-period.types";

export const REPORT_FORMATS = ["csv", "html"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

// GET /api/v1/compliance/{framework}/report?format=csv|html&from=&to=: a CSV download, or a printable HTML page, over
// the audit period (lib/compliance/audit-period.types.ts).
export const buildFrameworkReportContract = {
  params: frameworkParams,
  query: z
    .object({
      format: z.enum(REPORT_FORMATS, { message: "format must be csv or html" }).default("csv"),
      from: z.string().optional(),
      to: z.string().optional(),
    })
    .transform(({ format, from, to }, zctx) => {
      const period = auditPeriodQuery.safeParse({ from, to });
      if (!period.success) {
        for (const issue of period.error.issues) zctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
        return z.NEVER;
      }
      return { format, period: period.data };
    }),
  download: ["text/csv", "text/html"],
} as const;
