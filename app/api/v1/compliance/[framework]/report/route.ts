import { z } from "zod";
import { userRoute } from "@/lib/api/handler";
import { requireFramework } from "@/lib/compliance/catalogs";
import { buildFrameworkReport, REPORT_FORMATS } from "@/lib/compliance/build-framework-report";

const query = z.object({
  format: z.enum(REPORT_FORMATS, { message: "format must be csv or html" }).default("csv"),
});

// GET /api/v1/compliance/{framework}/report?format=csv|html - evidence report: CSV download or printable HTML
export const GET = userRoute<{ framework: string }>("GET /api/v1/compliance/[framework]/report", async ({ req, params: p }) => {
  const framework = requireFramework(p.framework);
  const { format } = query.parse(Object.fromEntries(new URL(req.url).searchParams));
  const report = await buildFrameworkReport({ framework, format });
  return new Response(report.body, {
    headers: {
      "Content-Type": report.contentType,
      // The CSV downloads; the HTML opens in the browser to print (inline, with a name for "save as").
      "Content-Disposition": `${format === "csv" ? "attachment" : "inline"}; filename="${report.fileName}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
