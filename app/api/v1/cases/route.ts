import { readJson, userRoute } from "@/lib/api/handler";
import { createCase } from "@/lib/cases/create-case";
import { listCases } from "@/lib/cases/list-cases";
import { casesQuery, createCaseInput } from "@/lib/cases/types";

// GET /api/v1/cases - list cases (status list, severity, assignee, tag, text; sort; offset pagination with the total)
export const GET = userRoute("GET /api/v1/cases", async ({ req }) => {
  const q = casesQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  return listCases(q);
});

// POST /api/v1/cases - open a new case
export const POST = userRoute("POST /api/v1/cases", async ({ req, ctx }) => {
  const input = createCaseInput.parse(await readJson(req));
  return createCase({ ctx, input });
});
