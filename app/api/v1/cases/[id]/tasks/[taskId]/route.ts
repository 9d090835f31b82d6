import { z } from "zod";
import { readJson, userRoute } from "@/lib/api/handler";
import { updateTask } from "@/lib/cases/update-task";

const params = z.object({ id: z.guid({ message: "not a case id" }), taskId: z.guid({ message: "not a task id" }) });
const body = z.object({
  title: z.string().optional(),
  done: z.boolean().optional(),
  assigneeId: z.string().nullable().optional(),
  dueAt: z.string().nullable().optional(),
});

// PATCH /api/v1/cases/{id}/tasks/{taskId} - tick a task done or not, rename, reassign or re-date it
export const PATCH = userRoute<{ id: string; taskId: string }>("PATCH /api/v1/cases/[id]/tasks/[taskId]", async ({ req, ctx, params: p }) => {
  const { id, taskId } = params.parse(p);
  const input = body.parse(await readJson(req));
  return updateTask({ ctx, caseId: id, taskId, input });
});
