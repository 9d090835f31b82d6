import { z } from "zod";
import { readJson, userRoute } from "@/lib/api/handler";
import { addNote } from "@/lib/cases/add-note";
import { noteInput } from "@/lib/cases/types";

const params = z.object({ id: z.guid({ message: "not a case id" }) });

// POST /api/v1/cases/{id}/notes - add a markdown note
export const POST = userRoute<{ id: string }>("POST /api/v1/cases/[id]/notes", async ({ req, ctx, params: p }) => {
  const { id } = params.parse(p);
  const input = noteInput.parse(await readJson(req));
  return addNote({ ctx, caseId: id, input });
});
