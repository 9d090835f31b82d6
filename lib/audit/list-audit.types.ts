import { auditListQuery } from "./list-audit";

// GET /api/v1/audit: the audit trail's filters, sort and page.
export const listAuditContract = { query: auditListQuery };
