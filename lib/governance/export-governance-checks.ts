import { csvCell } from "@/lib/audit/csv-cell";
import { recordAudit } from "@/lib/audit/record-audit";
import type { RequestContext } from "@/lib/context/request-context";
import { pool } from "@/lib/db";
import { sql } from "@/lib/db/sql";
import { checksFilterSql, checksPageSql, toItem, type CheckRow, type ChecksScope } from "./list-governance-checks";
import { STATUS_LABEL, type ChecksQuery, type GovernanceCheckItem } from "./types";

// Every governance check under the list's filters, read a page at a time (memory stays bounded): as the CLI's JSON
// shape (`npm run cli -- governance --json`) and as CSV (GET /api/v1/governance/checks/export, the page's download).

type Filters = Partial<Omit<ChecksQuery, "offset" | "limit">> & ChecksScope;

const PAGE = 2000;

/** The checks matching the filters, oldest first unless a sort is given. */
export async function* iterateGovernanceChecks(filters: Filters = {}): AsyncGenerator<GovernanceCheckItem> {
  const order = { sort: filters.sort ?? "time", dir: filters.dir ?? (filters.sort ? "desc" : "asc") } as const;
  for (let offset = 0; ; offset += PAGE) {
    const rows = (await pool().query<CheckRow>(checksPageSql({ ...filters, ...order }, offset, PAGE))).rows;
    for (const r of rows) yield toItem(r);
    if (rows.length < PAGE) return;
  }
}

/** One check as the CLI prints it: approval and grant are the native ticket and grant ids (or null). */
export type CliCheck = {
  eventId: string;
  platform: string;
  action: string;
  actor: string | null;
  status: string;
  reason: string;
  approval: string | null;
  grant: string | null;
};

export function toCliCheck(c: GovernanceCheckItem): CliCheck {
  return {
    eventId: c.eventId,
    platform: c.platform,
    action: c.action,
    actor: c.actorName ?? c.identity?.name ?? null,
    status: c.status,
    reason: c.reason,
    approval: c.approval?.ticketKey ?? c.approvalRef,
    grant: c.grant?.externalId ?? null,
  };
}

export const CSV_COLUMNS = [
  "eventId",
  "time",
  "platform",
  "action",
  "category",
  "actor",
  "identity",
  "target",
  "status",
  "statusLabel",
  "statuses",
  "reason",
  "approval",
  "approvalState",
  "approver",
  "grant",
  "grantPrivilege",
  "minutesOutside",
  "policyResult",
  "rules",
] as const;

export function csvLine(c: GovernanceCheckItem): string {
  const cells: Record<(typeof CSV_COLUMNS)[number], unknown> = {
    eventId: c.eventId,
    time: c.time,
    platform: c.platform,
    action: c.action,
    category: c.category,
    actor: c.actorName,
    identity: c.identity?.email ?? c.identity?.name,
    target: c.targetName,
    status: c.status,
    statusLabel: STATUS_LABEL[c.status] ?? c.status,
    statuses: c.statuses.join(" "),
    reason: c.reason,
    approval: c.approval?.ticketKey ?? c.approvalRef,
    approvalState: c.approval?.state,
    approver: c.approval?.approver,
    grant: c.grant?.externalId,
    grantPrivilege: c.grant?.privilege,
    minutesOutside: c.minutesOutside,
    policyResult: c.policy?.result,
    rules: c.checks.map((r) => `${r.rule}: ${r.result}${r.status ? ` (${r.status})` : ""}`).join("; "),
  };
  return CSV_COLUMNS.map((k) => csvCell(cells[k])).join(",") + "\r\n";
}

/**
 * The matching checks as a CSV stream; the export itself is an audit entry (filters and count), written before the
 * first byte goes out.
 */
export async function exportGovernanceChecks({
  ctx,
  filters,
}: {
  ctx: RequestContext;
  filters: Filters;
}): Promise<{ count: number; stream: ReadableStream<Uint8Array> }> {
  const count = Number(
    (await pool().query<{ n: string }>(sql`SELECT count(*) AS n FROM governance_check g WHERE ${checksFilterSql(filters)}`)).rows[0].n,
  );
  await recordAudit({
    ctx,
    resourceType: "governance_check",
    details: { type: "governance.exported", format: "csv", count, filters: JSON.parse(JSON.stringify(filters)) as Record<string, unknown> },
  });
  const enc = new TextEncoder();
  const it = iterateGovernanceChecks(filters);
  let started = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(enc.encode(CSV_COLUMNS.join(",") + "\r\n"));
      }
      try {
        const lines: string[] = [];
        for (let i = 0; i < 500; i++) {
          const next = await it.next();
          if (next.done) {
            if (lines.length) controller.enqueue(enc.encode(lines.join("")));
            return controller.close();
          }
          lines.push(csvLine(next.value));
        }
        controller.enqueue(enc.encode(lines.join("")));
      } catch (err) {
        controller.error(err);
      }
    },
  });
  return { count, stream };
}
