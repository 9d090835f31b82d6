import { userRoute } from "@/lib/api/handler";
import { created } from "@/lib/api/responses";
import { addTask } from "@/lib/cases/add-task";

// POST /api/v1/cases/{id}/tasks - add a checklist task (optional assignee and due date)
export const POST = userRoute("POST /api/v1/cases/[id]/tasks", async ({ ctx, params: { id }, body }) => {
  const task = await addTask({ ctx, caseId: id, input: body });
  return created(task, `/api/v1/cases/${id}/tasks/${task.id}`);
});
