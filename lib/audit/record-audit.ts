import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import type { AuditDetails } from "./audit-details";
import { insertAudit } from "./insert-audit";

// The dashboard's own audit trail. Callers that change data pass their transaction client, so that the entry
// commits with the change.
export { auditDetails, type AuditDetails } from "./audit-details";

export type AuditContext = {
  actorId?: string | null;
  actorEmail?: string | null;
  ip?: string | null;
  userAgent?: string | null;
};

export async function recordAudit(
  entry: AuditContext & { resourceType?: string; resourceId?: string; details: AuditDetails },
  tx: Prisma.TransactionClient = db(),
): Promise<void> {
  await insertAudit(tx, entry);
}
