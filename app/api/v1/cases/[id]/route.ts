import { userRoute } from "@/lib/api/handler";
import { recordView } from "@/lib/audit/record-view";
import { AppError } from "@/lib/errors";
import { getCase } from "@/lib/cases/get-case";
import { updateCase } from "@/lib/cases/update-case";

// GET /api/v1/cases/{id} - one case with its items, notes, tasks and history
export const GET = userRoute("GET /api/v1/cases/[id]", async ({ ctx, params: { id } }) => {
  const c = await getCase({ id });
  if (!c) throw new AppError("NOT_FOUND", "No such case. Check the link, or find the case on the Cases page.");
  await recordView({ ctx, type: "case", id: c.id });
  return c;
});

// PATCH /api/v1/cases/{id} - edit title, description, severity, assignee, tags, or move the status
export const PATCH = userRoute("PATCH /api/v1/cases/[id]", async ({ ctx, params: { id }, body }) =>
  updateCase({ ctx, caseId: id, input: body }),
);
