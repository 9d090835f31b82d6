import { z } from "zod";
import { pool } from "@/lib/db";
import { DEFAULT_TENANT } from "@/lib/context/request-context";

// The audit trail with filters, for the Audit page, GET /api/v1/audit and the export. Filtering, sorting and paging
// happen in SQL (the table grows with every view); the export walks the same query by keyset on id.

export const AUDIT_SORTS = ["at", "actor", "action", "resource", "ip"] as const;

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

export type AuditEntry = {
  id: string;
  at: string;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  ip: string | null;
  userAgent: string | null;
  details: unknown;
  rawRecordId: string | null;
  leafIndex: number | null;
};

const SORT_SQL: Record<(typeof AUDIT_SORTS)[number], string> = {
  at: `a.at`,
  actor: `a."actorEmail"`,
  action: `a.action`,
  resource: `a."resourceType"`,
  ip: `a.ip`,
};

/** The WHERE clause and its parameters for the filters (parameters start at $1). */
export function auditWhere(f: AuditFilters, tenantId = DEFAULT_TENANT): { sql: string; params: unknown[] } {
  const params: unknown[] = [tenantId];
  const cond = [`a."tenantId" = $1`];
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value);
    cond.push(sql(`$${params.length}`));
  };
  if (f.actor) add((p) => `a."actorEmail" ILIKE ${p}`, `%${escapeLike(f.actor)}%`);
  // An action filter of "hold" matches hold.placed and hold.released; "hold.placed" matches only itself.
  if (f.action) add((p) => `(a.action = ${p} OR a.action LIKE ${p} || '.%')`, f.action);
  if (f.resourceType) add((p) => `a."resourceType" = ${p}`, f.resourceType);
  if (f.from) add((p) => `a.at >= ${p}`, f.from);
  if (f.to) add((p) => `a.at <= ${p}`, f.to);
  if (f.q) {
    add(
      (p) =>
        `(a."actorEmail" ILIKE ${p} OR a.action ILIKE ${p} OR a."resourceId" ILIKE ${p} OR a.ip ILIKE ${p} OR a."userAgent" ILIKE ${p} OR a.details::text ILIKE ${p})`,
      `%${escapeLike(f.q)}%`,
    );
  }
  return { sql: cond.join(" AND "), params };
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export const AUDIT_COLUMNS = `a.id::text AS id, a.at, a."actorId"::text AS "actorId", a."actorEmail", a.action, a."resourceType", a."resourceId",
  a.ip, a."userAgent", a.details, a."rawRecordId"::text AS "rawRecordId", r."leafIndex"::text AS "leafIndex"`;

type Row = Omit<AuditEntry, "at" | "leafIndex"> & { at: Date; leafIndex: string | null };
export const toEntry = (r: Row): AuditEntry => ({ ...r, at: r.at.toISOString(), leafIndex: r.leafIndex === null ? null : Number(r.leafIndex) });

export async function listAudit({ query, tenantId = DEFAULT_TENANT }: { query: AuditListQuery; tenantId?: string }) {
  const { sql, params } = auditWhere(query, tenantId);
  const order = `${SORT_SQL[query.sort]} ${query.dir === "asc" ? "ASC" : "DESC"} NULLS LAST, a.id ${query.dir === "asc" ? "ASC" : "DESC"}`;
  const [rows, total, actions, resourceTypes] = await Promise.all([
    pool().query<Row>(
      `SELECT ${AUDIT_COLUMNS} FROM audit_log a LEFT JOIN raw_record r ON r.id = a."rawRecordId"
        WHERE ${sql} ORDER BY ${order} LIMIT ${query.limit} OFFSET ${query.offset}`,
      params,
    ),
    pool().query<{ n: string }>(`SELECT count(*)::text AS n FROM audit_log a WHERE ${sql}`, params),
    pool().query<{ action: string }>(`SELECT DISTINCT action FROM audit_log WHERE "tenantId" = $1 ORDER BY 1`, [tenantId]),
    pool().query<{ t: string }>(`SELECT DISTINCT "resourceType" AS t FROM audit_log WHERE "tenantId" = $1 AND "resourceType" IS NOT NULL ORDER BY 1`, [tenantId]),
  ]);
  return {
    items: rows.rows.map(toEntry),
    total: Number(total.rows[0].n),
    offset: query.offset,
    limit: query.limit,
    actions: actions.rows.map((r) => r.action),
    resourceTypes: resourceTypes.rows.map((r) => r.t),
  };
}
