import { z } from "zod";
import { frameworkParams } from "./get-framework-status.types";
import { REPORT_FORMATS } from "./build-framework-report";

export const buildFrameworkReportContract = {
  params: frameworkParams,
  query: z.object({ format: z.enum(REPORT_FORMATS, { message: "format must be csv or html" }).default("csv") }),
};
