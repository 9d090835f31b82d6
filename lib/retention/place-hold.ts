import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { recordCaseActivity } from "@/lib/cases/case-activity";
import { requireActorUserId, type RequestContext } from "@/lib/context/request-context";
import { PURGE_LOCK, type HoldScope, type PlaceHoldInput } from "./types";

// A legal hold on a case's evidence or on a source over a time range. The hold, its audit entry and (for a case)
// the case history entry commit together. It waits for a running purge to finish (PURGE_LOCK), so nothing it
// covers is purged once it is placed. `input` is parsed by placeHoldInput (the route contract, or the caller).
export async function placeHold({
  ctx,
  input: v,
}: {
  ctx: RequestContext;
  input: PlaceHoldInput;
}): Promise<{ id: string; scope: HoldScope }> {
  return db().$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${PURGE_LOCK}::bigint)`;
      let scope: HoldScope;
      if ("caseId" in v) {
        const c = await tx.case.findUnique({ where: { id: v.caseId }, select: { number: true } });
        if (!c) throw new AppError("NOT_FOUND", "There is no such case.");
        const open = await tx.legalHold.findFirst({ where: { caseId: v.caseId, releasedAt: null } });
        if (open) throw new AppError("CONFLICT", "This case is already under a legal hold. Release it first to place a new one.");
        scope = { caseId: v.caseId, caseNumber: c.number };
      } else {
        const s = await tx.source.findUnique({ where: { id: v.sourceId } });
        if (!s) throw new AppError("NOT_FOUND", "There is no such source. Pick one from the list.");
        scope = { sourceId: v.sourceId, rangeStart: v.rangeStart?.toISOString() ?? null, rangeEnd: v.rangeEnd?.toISOString() ?? null };
      }
      const hold = await tx.legalHold.create({
        data: {
          caseId: "caseId" in v ? v.caseId : null,
          sourceId: "sourceId" in v ? v.sourceId : null,
          rangeStart: "sourceId" in v ? (v.rangeStart ?? null) : null,
          rangeEnd: "sourceId" in v ? (v.rangeEnd ?? null) : null,
          reason: v.reason,
          placedById: requireActorUserId(ctx),
        },
      });
      await recordAudit(
        {
          ctx,
          resourceType: "legal_hold",
          resourceId: hold.id,
          details: { type: "hold.placed", holdId: hold.id, scope, reason: v.reason },
        },
        tx,
      );
      if ("caseId" in v) {
        // The case history shows the hold too; its own audit entry is the hold.placed above.
        await recordCaseActivity(tx, {
          ctx,
          caseId: v.caseId,
          action: "hold_placed",
          after: { holdId: hold.id, reason: v.reason },
          audit: false,
        });
      }
      return { id: hold.id, scope };
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}
