import { z } from "zod";
import { userRoute } from "@/lib/api/handler";
import { auditFilters } from "@/lib/audit/list-audit";
import { exportAudit } from "@/lib/audit/export-audit";

const formatQuery = z.object({ format: z.enum(["csv", "ndjson"], { message: "format must be csv or ndjson" }).default("csv") });

// GET /api/v1/audit/export?format=csv|ndjson&filters - the filtered audit trail as a streamed download (itself audited)
export const GET = userRoute("GET /api/v1/audit/export", async ({ req, ctx }) => {
  const sp = Object.fromEntries(new URL(req.url).searchParams);
  const { format } = formatQuery.parse(sp);
  const filters = auditFilters.parse(sp);
  const { stream } = await exportAudit({ format, filters, ctx });
  const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, "");
  return new Response(stream, {
    headers: {
      "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      "Content-Disposition": `attachment; filename="sessionproof-audit-${stamp}.${format === "csv" ? "csv" : "ndjson"}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
