import { z } from "zod";
import { readJson, userRoute } from "@/lib/api/handler";
import { addCaseItem } from "@/lib/cases/add-case-item";
import { addItemInput } from "@/lib/cases/types";

const params = z.object({ id: z.guid({ message: "not a case id" }) });

// POST /api/v1/cases/{id}/items - cite a session, event, identity, finding or lineage snapshot, with an annotation
export const POST = userRoute<{ id: string }>("POST /api/v1/cases/[id]/items", async ({ req, ctx, params: p }) => {
  const { id } = params.parse(p);
  const input = addItemInput.parse(await readJson(req));
  return addCaseItem({ ctx, caseId: id, input });
});
