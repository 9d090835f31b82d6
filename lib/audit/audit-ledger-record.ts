// The audit trail's records in the ledger: every audit_log row becomes a raw record of the built-in source of
// platform AUDIT_PLATFORM, whose payload is the entry's JSON (auditRecordJson). Shared by the flush that appends
// them and the check that compares them with audit_log.

export const AUDIT_PLATFORM = "sessionproof-audit";
export const AUDIT_SOURCE_NAME = "sessionproof-audit";

export type AuditLedgerRow = {
  id: string;
  at: Date;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  ip: string | null;
  userAgent: string | null;
  details: unknown;
};

/** The audit_log columns auditRecordJson reads, selected from alias a. */
export const AUDIT_LEDGER_COLUMNS = `a.id::text AS id, a.at, a."actorId"::text AS "actorId", a."actorEmail", a.action, a."resourceType",
  a."resourceId", a.ip, a."userAgent", a.details`;

/** The exact bytes of an entry's raw record: its JSON with a fixed key order. */
export function auditRecordJson(r: AuditLedgerRow): string {
  return JSON.stringify({
    id: r.id,
    at: r.at.toISOString(),
    actorId: r.actorId,
    actorEmail: r.actorEmail,
    action: r.action,
    resourceType: r.resourceType,
    resourceId: r.resourceId,
    ip: r.ip,
    userAgent: r.userAgent,
    details: r.details ?? null,
  });
}
