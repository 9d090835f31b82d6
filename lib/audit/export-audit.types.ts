import { z } from "zod";
import { auditFilters } from "./list-audit.types";

// GET /api/v1/audit/export: the list's filters plus the file format; the file streams as CSV or NDJSON.
const exportAuditQuery = auditFilters.extend({
  format: z.enum(["csv", "ndjson"], { message: "format must be csv or ndjson" }).default("csv"),
});
export const exportAuditContract = { query: exportAuditQuery, download: ["text/csv", "application/x-ndjson"] } as const;
