import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { recordCaseActivity } from "@/lib/cases/case-activity";
import { actorUserId, type RequestContext } from "@/lib/context/request-context";
import type { HoldScope, ReleaseHoldInput } from "./types";

// Releasing a hold needs a reason too; the hold row stays (released by/at/why), so the list keeps its history.
// `input` is parsed by releaseHoldInput (the route contract, or the caller).
export async function releaseHold({
  ctx,
  holdId,
  input: { reason },
}: {
  ctx: RequestContext;
  holdId: string;
  input: ReleaseHoldInput;
}): Promise<{ id: string; released: true }> {
  return db().$transaction(async (tx) => {
    const hold = await tx.legalHold.findUnique({ where: { id: holdId } });
    if (!hold) throw new AppError("NOT_FOUND", "There is no such legal hold.");
    if (hold.releasedAt) throw new AppError("CONFLICT", "This hold was already released.");
    // Conditional update: of two concurrent releases, exactly one wins.
    const n = await tx.legalHold.updateMany({
      where: { id: holdId, releasedAt: null },
      data: { releasedAt: new Date(), releasedById: actorUserId(ctx), releaseReason: reason },
    });
    if (n.count === 0) throw new AppError("CONFLICT", "This hold was already released.");
    const scope: HoldScope = hold.caseId
      ? { caseId: hold.caseId }
      : {
          sourceId: hold.sourceId ?? "",
          rangeStart: hold.rangeStart?.toISOString() ?? null,
          rangeEnd: hold.rangeEnd?.toISOString() ?? null,
        };
    await recordAudit(
      {
        ctx,
        resourceType: "legal_hold",
        resourceId: holdId,
        details: { type: "hold.released", holdId, scope, reason },
      },
      tx,
    );
    if (hold.caseId) {
      await recordCaseActivity(tx, {
        ctx,
        caseId: hold.caseId,
        action: "hold_released",
        before: { holdId, reason: hold.reason },
        after: { reason },
        audit: false,
      });
    }
    return { id: holdId, released: true as const };
  });
}
