import type { Prisma } from "@/lib/generated/prisma/client";
import { DEFAULT_TENANT } from "@/lib/context/request-context";
import { sql } from "@/lib/db/sql";
import type { Queryable } from "@/lib/db/transaction";
import { auditDetails, type AuditDetails } from "./audit-details";
import { scheduleAuditFlush } from "./flush-audit-to-ledger";

// The one INSERT of an audit entry. It runs on whatever the change runs on, a Prisma transaction client or a pg
// connection inside withTransaction, so that the entry commits (or rolls back) with the change it records.

export type AuditRow = {
  actorId?: string | null;
  actorEmail?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  resourceType?: string | null;
  resourceId?: string | null;
  details: AuditDetails;
};

export type AuditExecutor = Prisma.TransactionClient | Queryable;

function isPrisma(x: AuditExecutor): x is Prisma.TransactionClient {
  return typeof (x as Prisma.TransactionClient).$executeRawUnsafe === "function";
}

export async function insertAudit(executor: AuditExecutor, entry: AuditRow): Promise<void> {
  const details = auditDetails.parse(entry.details);
  const q = sql`INSERT INTO audit_log ("tenantId", at, "actorId", "actorEmail", action, "resourceType", "resourceId", ip, "userAgent", details)
    VALUES (${DEFAULT_TENANT}, clock_timestamp(), ${entry.actorId ?? null}::uuid, ${entry.actorEmail ?? null}, ${details.type},
            ${entry.resourceType ?? null}, ${entry.resourceId ?? null}, ${entry.ip ?? null}, ${entry.userAgent?.slice(0, 512) ?? null},
            ${JSON.stringify(details)}::jsonb)`;
  if (isPrisma(executor)) await executor.$executeRawUnsafe(q.text, ...q.values);
  else await executor.query(q);
  // The entry reaches the ledger in a flush after the caller commits (see flush-audit-to-ledger.ts for why).
  scheduleAuditFlush();
}
