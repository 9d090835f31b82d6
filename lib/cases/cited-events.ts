import { param, sql, type Sql } from "@/lib/db/sql";
import { DEFAULT_TENANT } from "@/lib/context/request-context";

/** What a case cites that has events: its sessions, its events and its findings (ids as stored in case_item). */
export type CitedRefs = { sessionIds: string[]; eventIds: string[]; findingIds: string[] };

/**
 * `cited AS (...)`: the ids of a case's events as one set, for a WITH clause (the case timeline, the case report):
 * the events of cited sessions, cited events and the events behind cited findings, deduplicated. Each branch uses an
 * index (event(sessionId, time), the primary key, finding's).
 */
export function citedEventsCte({ sessionIds, eventIds, findingIds }: CitedRefs): Sql {
  const tenant = param(DEFAULT_TENANT);
  return sql`cited AS (
      SELECT e.id FROM event e WHERE e."sessionId" = ANY(${sessionIds}::uuid[]) AND e."tenantId" = ${tenant}
      UNION SELECT unnest(${eventIds}::bigint[])
      UNION SELECT unnest(f."eventIds") FROM finding f WHERE f.id = ANY(${findingIds}::uuid[]) AND f."tenantId" = ${tenant})`;
}
