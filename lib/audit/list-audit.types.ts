import { z } from "zod";
import { pageResult } from "@/lib/list-result";

// The audit trail's filters, sort and page (GET /api/v1/audit, the Audit page, the export), and its entries. A
// filter the server cannot read is dropped (`.catch`), never refused: the page stays usable with any URL.

const AUDIT_SORTS = ["at", "actor", "action", "resource", "ip"] as const;
export type AuditSort = (typeof AUDIT_SORTS)[number];

export const auditFilters = z.object({
  actor: z.string().trim().max(200).optional().catch(undefined),
  action: z.string().trim().max(100).optional().catch(undefined),
  resourceType: z.string().trim().max(100).optional().catch(undefined),
  from: z.coerce.date().optional().catch(undefined),
  to: z.coerce.date().optional().catch(undefined),
  q: z.string().trim().max(200).optional().catch(undefined),
});
export type AuditFilters = z.infer<typeof auditFilters>;

export const auditListQuery = auditFilters.extend({
  sort: z.enum(AUDIT_SORTS).catch("at").default("at"),
  dir: z.enum(["asc", "desc"]).catch("desc").default("desc"),
  offset: z.coerce.number().int().min(0).catch(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).catch(50).default(50),
});
export type AuditListQuery = z.infer<typeof auditListQuery>;

export const auditEntry = z.object({
  id: z.string(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorEmail: z.string().nullable(),
  action: z.string(),
  resourceType: z.string().nullable(),
  resourceId: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  details: z.unknown(),
  rawRecordId: z.string().nullable(),
  /** The entry's leaf in the ledger, once flushed there. */
  leafIndex: z.number().int().min(0).nullable(),
});
export type AuditEntry = z.infer<typeof auditEntry>;

/** One page of entries, and the actions and resource types there are (for the filter choices). */
export const auditPage = pageResult(auditEntry).extend({ actions: z.array(z.string()), resourceTypes: z.array(z.string()) });
export type AuditPage = z.infer<typeof auditPage>;

// GET /api/v1/audit
export const listAuditContract = { query: auditListQuery, response: auditPage };
