import { pool } from "@/lib/db";
import { DEFAULT_TENANT } from "@/lib/context/request-context";
import { and, like, param, raw, sql, type Sql } from "@/lib/db/sql";
import type { AuditEntry, AuditFilters, AuditListQuery, AuditPage, AuditSort } from "./list-audit.types";

// The audit trail with filters, for the Audit page, GET /api/v1/audit and the export. Filtering, sorting and paging
// happen in SQL (the table grows with every view); the export walks the same query by keyset on id.

export { auditFilters, auditListQuery, type AuditEntry, type AuditFilters, type AuditListQuery } from "./list-audit.types";

const SORT_SQL: Record<AuditSort, string> = {
  at: `a.at`,
  actor: `a."actorEmail"`,
  action: `a.action`,
  resource: `a."resourceType"`,
  ip: `a.ip`,
};

/** The WHERE condition for the filters. */
export function auditWhere(f: AuditFilters): Sql {
  const q = f.q ? param(like(f.q)) : null;
  return and(
    sql`a."tenantId" = ${DEFAULT_TENANT}`,
    f.actor && sql`a."actorEmail" ILIKE ${like(f.actor)}`,
    // An action filter of "hold" matches hold.placed and hold.released; "hold.placed" matches only itself.
    f.action && sql`(a.action = ${f.action} OR a.action LIKE ${like(`${f.action}.`, "prefix")})`,
    f.resourceType && sql`a."resourceType" = ${f.resourceType}`,
    f.from && sql`a.at >= ${f.from}`,
    f.to && sql`a.at <= ${f.to}`,
    q &&
      sql`(a."actorEmail" ILIKE ${q} OR a.action ILIKE ${q} OR a."resourceId" ILIKE ${q} OR a.ip ILIKE ${q} OR a."userAgent" ILIKE ${q} OR a.details::text ILIKE ${q})`,
  );
}

export const AUDIT_COLUMNS = `a.id::text AS id, a.at, a."actorId"::text AS "actorId", a."actorEmail", a.action, a."resourceType", a."resourceId",
  a.ip, a."userAgent", a.details, a."rawRecordId"::text AS "rawRecordId", r."leafIndex"::text AS "leafIndex"`;

type Row = Omit<AuditEntry, "at" | "leafIndex"> & { at: Date; leafIndex: string | null };
export const toEntry = (r: Row): AuditEntry => ({
  ...r,
  at: r.at.toISOString(),
  leafIndex: r.leafIndex === null ? null : Number(r.leafIndex),
});

export async function listAudit({ query }: { query: AuditListQuery }): Promise<AuditPage> {
  const where = auditWhere(query);
  const dir = raw(query.dir === "asc" ? "ASC" : "DESC");
  const [rows, total, actions, resourceTypes] = await Promise.all([
    pool().query<Row>(
      sql`SELECT ${raw(AUDIT_COLUMNS)} FROM audit_log a LEFT JOIN raw_record r ON r.id = a."rawRecordId"
        WHERE ${where} ORDER BY ${raw(SORT_SQL[query.sort])} ${dir} NULLS LAST, a.id ${dir} LIMIT ${query.limit} OFFSET ${query.offset}`,
    ),
    pool().query<{ n: string }>(sql`SELECT count(*)::text AS n FROM audit_log a WHERE ${where}`),
    pool().query<{ action: string }>(sql`SELECT DISTINCT action FROM audit_log WHERE "tenantId" = ${DEFAULT_TENANT} ORDER BY 1`),
    pool().query<{ t: string }>(
      sql`SELECT DISTINCT "resourceType" AS t FROM audit_log WHERE "tenantId" = ${DEFAULT_TENANT} AND "resourceType" IS NOT NULL ORDER BY 1`,
    ),
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
