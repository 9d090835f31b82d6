import { userRoute } from "@/lib/api/handler";
import { created } from "@/lib/api/responses";
import { createCase } from "@/lib/cases/create-case";
import { listCases } from "@/lib/cases/list-cases";

// GET /api/v1/cases - list cases (status list, severity, assignee, tag, text; sort; offset pagination with the total)
export const GET = userRoute("GET /api/v1/cases", async ({ query }) => listCases(query));

// POST /api/v1/cases - open a new case
export const POST = userRoute("POST /api/v1/cases", async ({ ctx, body }) => {
  const c = await createCase({ ctx, input: body });
  return created(c, `/api/v1/cases/${c.id}`);
});
