import type { RequestContext } from "@/lib/context/request-context";
import { AppError } from "@/lib/errors";
import { activity, inCaseTx, lockCase, touchCase } from "./shared";
import type { AnnotationResult } from "./update-item-annotation.types";
import type { AnnotationInput } from "./types";

// Changes the analyst's annotation on one evidence item; the history keeps the old and the new text.
export async function updateItemAnnotation({
  ctx,
  caseId,
  itemId,
  input,
}: {
  ctx: RequestContext;
  caseId: string;
  itemId: string;
  input: AnnotationInput;
}): Promise<AnnotationResult> {
  const annotation = input.annotation ? input.annotation : null;
  return inCaseTx(async (tx) => {
    await lockCase(tx, caseId);
    const item = await tx.caseItem.findFirst({ where: { id: itemId, caseId } });
    if (!item) throw new AppError("NOT_FOUND", "No such evidence item in this case. It may have been removed; reload the case.");
    if (item.annotation === annotation) return { id: item.id, annotation, changed: false };
    await tx.caseItem.update({ where: { id: item.id }, data: { annotation } });
    await touchCase(tx, caseId);
    await activity(
      tx,
      ctx,
      caseId,
      "item_annotated",
      { itemId: item.id, itemType: item.itemType, refId: item.refId, annotation: item.annotation },
      { itemId: item.id, itemType: item.itemType, refId: item.refId, annotation },
    );
    return { id: item.id, annotation, changed: true };
  });
}
