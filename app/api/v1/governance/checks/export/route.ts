import { userRoute } from "@/lib/api/handler";
import { download } from "@/lib/api/responses";
import { exportGovernanceChecks } from "@/lib/governance/export-governance-checks";

// GET /api/v1/governance/checks/export - every check matching the filters as CSV (the export is audited)
export const GET = userRoute("GET /api/v1/governance/checks/export", async ({ ctx, query }) => {
  const { stream } = await exportGovernanceChecks({ ctx, filters: query });
  const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, "");
  return download(stream, { fileName: `sessionproof-governance-${stamp}.csv`, contentType: "text/csv; charset=utf-8" });
});
