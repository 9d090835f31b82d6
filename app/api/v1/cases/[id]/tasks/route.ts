import { z } from "zod";
import { readJson, userRoute } from "@/lib/api/handler";
import { addTask } from "@/lib/cases/add-task";

const params = z.object({ id: z.guid({ message: "not a case id" }) });
const body = z.object({ title: z.string(), assigneeId: z.string().nullable().optional(), dueAt: z.string().nullable().optional() });

// POST /api/v1/cases/{id}/tasks - add a checklist task (optional assignee and due date)
export const POST = userRoute<{ id: string }>("POST /api/v1/cases/[id]/tasks", async ({ req, ctx, params: p }) => {
  const { id } = params.parse(p);
  const input = body.parse(await readJson(req));
  return addTask({ ctx, caseId: id, input });
});
