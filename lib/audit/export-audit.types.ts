import { z } from "zod";
import { auditFilters } from "./list-audit";

// GET /api/v1/audit/export: the list's filters plus the file format.
const exportAuditQuery = auditFilters.extend({
  format: z.enum(["csv", "ndjson"], { message: "format must be csv or ndjson" }).default("csv"),
});
export const exportAuditContract = { query: exportAuditQuery };
