import { userRoute } from "@/lib/api/handler";
import { updateTask } from "@/lib/cases/update-task";

// PATCH /api/v1/cases/{id}/tasks/{taskId} - tick a task done or not, rename, reassign or re-date it
export const PATCH = userRoute("PATCH /api/v1/cases/[id]/tasks/[taskId]", async ({ ctx, params: { id, taskId }, body }) =>
  updateTask({ ctx, caseId: id, taskId, input: body }),
);
