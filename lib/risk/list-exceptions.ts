import { pool } from "@/lib/db";
import { DEFAULT_TENANT } from "@/lib/context/request-context";
import { dispositionSql } from "./disposition";
import type { FindingException } from "./types";

// The risk acceptances in force (approved by a second person, before their expiry), soonest expiry first: what the
// compliance views list as exceptions. Optionally only those of some rules.
export async function listExceptions({ ruleIds, now = new Date() }: { ruleIds?: string[]; now?: Date } = {}): Promise<FindingException[]> {
  if (ruleIds && ruleIds.length === 0) return [];
  const { rows } = await pool().query<{
    id: string;
    ruleId: string;
    title: string;
    severity: string;
    reason: string;
    acceptedBy: string | null;
    approvedBy: string | null;
    approvedAt: Date;
    expiresAt: Date;
  }>(
    `SELECT f.id, f."ruleId", f.title, f.severity, f."dismissedReason" AS reason, du.email AS "acceptedBy", au.email AS "approvedBy",
            f."riskApprovedAt" AS "approvedAt", f."riskExpiresAt" AS "expiresAt"
       FROM finding f LEFT JOIN app_user du ON du.id = f."dismissedById" LEFT JOIN app_user au ON au.id = f."riskApprovedById"
      WHERE f."tenantId" = $1 AND ${dispositionSql("f", "$2")} = 'exception' AND ($3::text[] IS NULL OR f."ruleId" = ANY($3::text[]))
      ORDER BY f."riskExpiresAt", f.id LIMIT 500`,
    [DEFAULT_TENANT, now, ruleIds ?? null],
  );
  return rows.map((r) => ({ ...r, approvedAt: r.approvedAt.toISOString(), expiresAt: r.expiresAt.toISOString() }));
}
