import type { RequestContext } from "@/lib/context/request-context";
import { activity, assertAssignable, inCaseTx, lockCase, touchCase } from "./shared";
import type { AddedTask } from "./add-task.types";
import type { TaskInput } from "./types";

// A checklist task on a case, optionally assigned and due.
export async function addTask({ ctx, caseId, input: v }: { ctx: RequestContext; caseId: string; input: TaskInput }): Promise<AddedTask> {
  return inCaseTx(async (tx) => {
    await lockCase(tx, caseId);
    if (v.assigneeId) await assertAssignable(tx, v.assigneeId);
    const t = await tx.caseTask.create({ data: { caseId, title: v.title, assigneeId: v.assigneeId ?? null, dueAt: v.dueAt ?? null } });
    await touchCase(tx, caseId);
    await activity(tx, ctx, caseId, "task_added", undefined, {
      taskId: t.id,
      title: t.title,
      assigneeId: t.assigneeId,
      dueAt: t.dueAt,
      done: t.done,
    });
    return { id: t.id, title: t.title, done: t.done };
  });
}
