import { z } from "zod";
import { readJson, userRoute } from "@/lib/api/handler";
import { removeCaseItem } from "@/lib/cases/remove-case-item";
import { updateItemAnnotation } from "@/lib/cases/update-item-annotation";
import { annotationInput } from "@/lib/cases/types";

const params = z.object({ id: z.guid({ message: "not a case id" }), itemId: z.guid({ message: "not an item id" }) });
type P = { id: string; itemId: string };

// PATCH /api/v1/cases/{id}/items/{itemId} - change an evidence item's annotation
export const PATCH = userRoute<P>("PATCH /api/v1/cases/[id]/items/[itemId]", async ({ req, ctx, params: p }) => {
  const { id, itemId } = params.parse(p);
  const input = annotationInput.parse(await readJson(req));
  return updateItemAnnotation({ ctx, caseId: id, itemId, input });
});

// DELETE /api/v1/cases/{id}/items/{itemId} - take an evidence item out of the case
export const DELETE = userRoute<P>("DELETE /api/v1/cases/[id]/items/[itemId]", async ({ ctx, params: p }) => {
  const { id, itemId } = params.parse(p);
  return removeCaseItem({ ctx, caseId: id, itemId });
});
