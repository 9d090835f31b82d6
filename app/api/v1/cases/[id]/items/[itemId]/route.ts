import { userRoute } from "@/lib/api/handler";
import { removeCaseItem } from "@/lib/cases/remove-case-item";
import { updateItemAnnotation } from "@/lib/cases/update-item-annotation";

// PATCH /api/v1/cases/{id}/items/{itemId} - change an evidence item's annotation
export const PATCH = userRoute("PATCH /api/v1/cases/[id]/items/[itemId]", async ({ ctx, params: { id, itemId }, body }) =>
  updateItemAnnotation({ ctx, caseId: id, itemId, input: body }),
);

// DELETE /api/v1/cases/{id}/items/{itemId} - take an evidence item out of the case
export const DELETE = userRoute("DELETE /api/v1/cases/[id]/items/[itemId]", async ({ ctx, params: { id, itemId } }) =>
  removeCaseItem({ ctx, caseId: id, itemId }),
);
