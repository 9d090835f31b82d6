import { userRoute } from "@/lib/api/handler";
import { created } from "@/lib/api/responses";
import { addCaseItem } from "@/lib/cases/add-case-item";

// POST /api/v1/cases/{id}/items - cite a session, event, identity, finding or lineage snapshot, with an annotation
export const POST = userRoute("POST /api/v1/cases/[id]/items", async ({ ctx, params: { id }, body }) => {
  const item = await addCaseItem({ ctx, caseId: id, input: body });
  return created(item, `/api/v1/cases/${id}/items/${item.id}`);
});
