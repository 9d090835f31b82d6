import type { Prisma } from "@/lib/generated/prisma/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { actorUserId, type RequestContext } from "@/lib/context/request-context";

// Case history actions written by lib/cases and by the other areas that touch a case (export, legal hold).
export type CaseAction =
  | "created"
  | "updated"
  | "status_changed"
  | "item_added"
  | "item_annotated"
  | "item_removed"
  | "note_added"
  | "note_updated"
  | "task_added"
  | "task_updated"
  | "exported"
  | "export_failed"
  | "report_downloaded"
  | "hold_placed"
  | "hold_released"
  | "viewed";

/**
 * Who a case change is recorded under: the user row when a signed-in user acts (null otherwise), and the actor's
 * label as recorded then (the user's email; `cli:<os user>@<host>` for the command line, which is no user row).
 */
export function caseActor(ctx: RequestContext): { id: string | null; label: string } {
  const label = ctx.actor.email;
  if (!label) throw new Error(`A case change needs a named actor, not an anonymous ${ctx.actor.kind}.`);
  return { id: actorUserId(ctx), label };
}

// JSON-safe copy: Dates become ISO strings, undefined keys drop out, so before/after store what the API shows.
function toJson(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}

/**
 * One entry in a case's history (case_activity: who, what, when, before/after) plus the matching audit_log
 * entry ("case.changed"), both through the caller's transaction client so that they commit or roll back with
 * the change itself. Pass `audit: false` only when the caller writes its own audit entry for the same change.
 */
export async function recordCaseActivity(
  tx: Prisma.TransactionClient,
  entry: {
    ctx: RequestContext;
    caseId: string;
    action: CaseAction | (string & {});
    before?: unknown;
    after?: unknown;
    audit?: false;
  },
): Promise<void> {
  const before = toJson(entry.before);
  const after = toJson(entry.after);
  const actor = caseActor(entry.ctx);
  await tx.caseActivity.create({
    data: { caseId: entry.caseId, actorId: actor.id, actorLabel: actor.label, action: entry.action, before, after },
  });
  if (entry.audit === false) return;
  await recordAudit(
    {
      ctx: entry.ctx,
      resourceType: "case",
      resourceId: entry.caseId,
      details: { type: "case.changed", caseId: entry.caseId, action: entry.action, before, after },
    },
    tx,
  );
}
