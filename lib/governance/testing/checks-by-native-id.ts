import { pool } from "@/lib/db";
import { listGovernanceChecks } from "../list-governance-checks";
import type { GovernanceCheckItem } from "../types";

/** The stored governance checks (up to `limit`), by their event's native id (CloudTrail eventID, Okta uuid, …). */
export async function checksByNativeId(limit: number): Promise<Map<string, GovernanceCheckItem>> {
  const { items } = await listGovernanceChecks({ limit });
  const ids = await pool().query<{ id: string; nativeId: string }>(`SELECT id::text, "nativeId" FROM event WHERE id = ANY($1::bigint[])`, [
    items.map((i) => i.eventId),
  ]);
  const native = new Map(ids.rows.map((r) => [r.id, r.nativeId]));
  return new Map(items.map((i) => [native.get(i.eventId) ?? "", i]));
}
