import { db } from "@/lib/db";
import { actorUserId, type RequestContext } from "@/lib/context/request-context";
import type { AuditDetails } from "./audit-details";
import { insertAudit, type AuditExecutor, type AuditRow } from "./insert-audit";

// The dashboard's own audit trail. Callers that change data pass their transaction client, so that the entry
// commits with the change.
export type { AuditDetails } from "./audit-details";

/** Where the audit columns come from: the actor of the request context. */
export async function recordAudit(
  { ctx, resourceType, resourceId, details }: { ctx: RequestContext; resourceType?: string; resourceId?: string; details: AuditDetails },
  tx: AuditExecutor = db(),
): Promise<void> {
  await insertAudit(tx, auditRow(ctx, details, resourceType, resourceId));
}

/** The audit_log columns for an entry by this context's actor (also used by callers that write it through pg). */
export function auditRow(ctx: RequestContext, details: AuditDetails, resourceType?: string, resourceId?: string): AuditRow {
  return {
    actorId: actorUserId(ctx),
    actorEmail: ctx.actor.email,
    resourceType: resourceType ?? null,
    resourceId: resourceId ?? null,
    ip: ctx.actor.ip,
    userAgent: ctx.actor.userAgent,
    details,
  };
}
