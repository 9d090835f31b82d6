import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { recordCaseActivity } from "@/lib/cases/case-activity";
import { releaseHoldInput, type HoldScope, type RetentionActor } from "./types";

// Releasing a hold needs a reason too; the hold row stays (released by/at/why), so the list keeps its history.
export async function releaseHold({ actor, holdId, input }: { actor: RetentionActor; holdId: string; input: unknown }) {
  const { reason } = releaseHoldInput.parse(input);
  return db().$transaction(async (tx) => {
    const hold = await tx.legalHold.findUnique({ where: { id: holdId } });
    if (!hold) throw new AppError("NOT_FOUND", "There is no such legal hold.");
    if (hold.releasedAt) throw new AppError("CONFLICT", "This hold was already released.");
    // Conditional update: of two concurrent releases, exactly one wins.
    const n = await tx.legalHold.updateMany({
      where: { id: holdId, releasedAt: null },
      data: { releasedAt: new Date(), releasedById: actor.id, releaseReason: reason },
    });
    if (n.count === 0) throw new AppError("CONFLICT", "This hold was already released.");
    const scope: HoldScope = hold.caseId
      ? { caseId: hold.caseId }
      : { sourceId: hold.sourceId ?? "", rangeStart: hold.rangeStart?.toISOString() ?? null, rangeEnd: hold.rangeEnd?.toISOString() ?? null };
    await recordAudit(
      {
        actorId: actor.id,
        actorEmail: actor.email,
        ip: actor.ip,
        userAgent: actor.userAgent,
        resourceType: "legal_hold",
        resourceId: holdId,
        details: { type: "hold.released", holdId, scope, reason },
      },
      tx,
    );
    if (hold.caseId) {
      await recordCaseActivity(tx, { caseId: hold.caseId, actorId: actor.id, action: "hold_released", before: { holdId, reason: hold.reason }, after: { reason }, audit: false });
    }
    return { id: holdId, released: true };
  });
}
