import type { RequestContext } from "@/lib/context/request-context";
import { AppError } from "@/lib/errors";
import { activity, assertAssignable, inCaseTx, lockCase, touchCase } from "./shared";
import type { ChangeResult, UpdateTaskInput } from "./types";

// Ticks a task done (or not), renames, reassigns or re-dates it; the history records the changed fields only.
export async function updateTask({
  ctx,
  caseId,
  taskId,
  input: v,
}: {
  ctx: RequestContext;
  caseId: string;
  taskId: string;
  input: UpdateTaskInput;
}): Promise<ChangeResult> {
  return inCaseTx(async (tx) => {
    await lockCase(tx, caseId);
    const t = await tx.caseTask.findFirst({ where: { id: taskId, caseId } });
    if (!t) throw new AppError("NOT_FOUND", "No such task in this case. Reload the case.");
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const f of ["title", "done", "assigneeId", "dueAt"] as const) {
      const next = v[f];
      if (next === undefined) continue;
      const prev = t[f];
      const same = prev instanceof Date && next instanceof Date ? prev.getTime() === next.getTime() : (prev ?? null) === (next ?? null);
      if (same) continue;
      before[f] = prev ?? null;
      after[f] = next ?? null;
    }
    if (Object.keys(after).length === 0) return { id: t.id, changed: false };
    if (after.assigneeId) await assertAssignable(tx, after.assigneeId as string);
    await tx.caseTask.update({
      where: { id: t.id },
      data: { ...(after as object), ...("done" in after ? { completedAt: after.done ? new Date() : null } : {}) },
    });
    await touchCase(tx, caseId);
    await activity(
      tx,
      ctx,
      caseId,
      "task_updated",
      { taskId: t.id, title: t.title, ...before },
      { taskId: t.id, title: v.title ?? t.title, ...after },
    );
    return { id: t.id, changed: true };
  });
}
