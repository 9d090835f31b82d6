import type { RequestContext } from "@/lib/context/request-context";
import { AppError } from "@/lib/errors";
import { activity, inCaseTx, lockCase, touchCase } from "./shared";
import type { RemovedCaseItem } from "./remove-case-item.types";

// Takes an evidence item out of a case, unless the case is under a legal hold. The history keeps what was removed
// (type, reference, annotation), so the removal itself stays reviewable.
export async function removeCaseItem({
  ctx,
  caseId,
  itemId,
}: {
  ctx: RequestContext;
  caseId: string;
  itemId: string;
}): Promise<RemovedCaseItem> {
  return inCaseTx(async (tx) => {
    const c = await lockCase(tx, caseId);
    if (c.status === "closed") throw new AppError("CONFLICT", "This case is closed. Reopen it before removing evidence.");
    const item = await tx.caseItem.findFirst({ where: { id: itemId, caseId } });
    if (!item) throw new AppError("NOT_FOUND", "No such evidence item in this case. It may already have been removed; reload the case.");
    // A legal hold covers the case's evidence: taking an item out would end its cover (the database refuses too).
    if (await tx.legalHold.findFirst({ where: { caseId, releasedAt: null }, select: { id: true } })) {
      throw new AppError(
        "CONFLICT",
        "This case is under a legal hold, so its evidence stays in it. Release the hold on the Retention page first.",
      );
    }
    await tx.caseItem.delete({ where: { id: item.id } });
    await touchCase(tx, caseId);
    await activity(
      tx,
      ctx,
      caseId,
      "item_removed",
      { itemId: item.id, itemType: item.itemType, refId: item.refId, annotation: item.annotation },
      undefined,
    );
    return { id: item.id, removed: true as const };
  });
}
