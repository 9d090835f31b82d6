import { userRoute } from "@/lib/api/handler";
import { download } from "@/lib/api/responses";
import { getCaseReport } from "@/lib/export/report/get-case-report";

// GET /api/v1/cases/{id}/report?format=html|pdf - the case report (the one in the evidence package) as a file
export const GET = userRoute("GET /api/v1/cases/[id]/report", async ({ ctx, params: { id }, query: { format } }) => {
  const { body, fileName, contentType } = await getCaseReport({ ctx, caseId: id, format });
  // The HTML has no script and forbids any itself; the header says so again should a browser open it from here.
  const headers = format === "html" ? { "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox" } : undefined;
  return download(new Uint8Array(body), { fileName, contentType, headers });
});
