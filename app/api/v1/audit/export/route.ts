import { userRoute } from "@/lib/api/handler";
import { download } from "@/lib/api/responses";
import { exportAudit } from "@/lib/audit/export-audit";

// GET /api/v1/audit/export?format=csv|ndjson&filters - the filtered audit trail as a streamed download (itself audited)
export const GET = userRoute("GET /api/v1/audit/export", async ({ ctx, query: { format, ...filters } }) => {
  const { stream } = await exportAudit({ ctx, format, filters });
  const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, "");
  return download(stream, {
    fileName: `sessionproof-audit-${stamp}.${format}`,
    contentType: format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
  });
});
