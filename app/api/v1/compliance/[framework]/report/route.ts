import { userRoute } from "@/lib/api/handler";
import { download } from "@/lib/api/responses";
import { requireFramework } from "@/lib/compliance/catalogs";
import { buildFrameworkReport } from "@/lib/compliance/build-framework-report";
import { describeAnalysisStatus, getAnalysisStatus } from "@/lib/analysis/analysis-status";

// GET /api/v1/compliance/{framework}/report?format=csv|html&from=&to= - evidence report over an audit period: CSV or printable HTML
export const GET = userRoute("GET /api/v1/compliance/[framework]/report", async ({ ctx, params, query: { format, period } }) => {
  const framework = requireFramework(params.framework);
  const analysis = describeAnalysisStatus(await getAnalysisStatus());
  const report = await buildFrameworkReport({
    framework,
    format,
    period,
    analysis,
    generatedBy: ctx.actor.email ?? `${ctx.actor.kind} ${ctx.actor.id ?? ""}`.trim(),
  });
  // The CSV downloads; the HTML opens in the browser to print (inline, with a name for "save as").
  return download(report.body, { fileName: report.fileName, contentType: report.contentType, inline: format !== "csv" });
});
